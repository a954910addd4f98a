"""The ``json`` format: a stable, versioned contract (fields are added, never removed)."""

from __future__ import annotations

from collections import Counter

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Formatter, Report


def render(report: Report) -> str:
    """Render ``{"version": 1, "tool", "findings", "summary"}``."""
    import json

    by_sev = Counter(str(f.severity) for f in report.findings)
    doc = {
        "version": 1,
        "tool": {"name": "rhetlint", "version": report.version},
        "findings": [f.as_dict() for f in report.findings],
        "summary": {
            "files": len(report.files),
            "findings": len(report.findings),
            "by_severity": {k: by_sev.get(k, 0) for k in ("error", "warning", "info")},
            "by_category": dict(sorted(Counter(f.category for f in report.findings).items())),
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``json`` format."""
    return [Formatter("json", "JSON document with offsets, lines and columns", render)]
