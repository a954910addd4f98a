"""An example rhetlint plugin: house rules as YAML plus one output format.

Installed, it adds the category ``house`` (rules in ``rules/house/``) and the
format ``--format count`` (one line per rule with its number of findings).
"""

from __future__ import annotations

from collections import Counter
from importlib.resources import files

from rhetlint import Formatter, Report, hookimpl


@hookimpl
def rhetlint_rule_dirs():
    """Register the ``house`` category folder."""
    return [files(__name__) / "rules" / "house"]


def _render(report: Report) -> str:
    counts = Counter(f.rule for f in report.findings)
    return "".join(f"{n}\t{rule}\n" for rule, n in sorted(counts.items()))


@hookimpl
def rhetlint_formatters():
    """Register ``--format count``."""
    return [Formatter("count", "findings per rule, tab-separated", _render)]
