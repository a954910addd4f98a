"""The ``prediction`` category: rules in ``rules/prediction/``."""

from __future__ import annotations

from importlib.resources.abc import Traversable

from rhetlint.hookspecs import hookimpl
from rhetlint.host import plugin_dirs


@hookimpl
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register ``rules/prediction``."""
    return plugin_dirs("prediction")()
