"""The ``analogy`` category: rules in ``rules/analogy/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rhetlint.hookspecs import hookimpl
from rhetlint.host import plugin_dirs

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


@hookimpl
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register ``rules/analogy``."""
    return plugin_dirs("analogy")()
