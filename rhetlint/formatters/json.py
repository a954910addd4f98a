"""The ``json`` format: a stable, versioned contract (fields are added, never removed)."""

from __future__ import annotations

from collections import Counter

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Finding, Formatter, Report

_MARK = "\x00findings\x00"


def render(report: Report) -> str:
    """Render ``{"version": 1, "tool", "findings", "summary"}``."""
    import json

    by_sev = Counter(str(f.severity) for f in report.findings)
    doc = {
        "version": 1,
        "tool": {"name": "rhetlint", "version": report.version},
        "findings": [_MARK] if report.findings else [],
        "summary": {
            "files": len(report.files),
            "findings": len(report.findings),
            "by_severity": {k: by_sev.get(k, 0) for k in ("error", "warning", "info")},
            "by_category": dict(sorted(Counter(f.category for f in report.findings).items())),
        },
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if not report.findings:
        return text
    # json.dumps(..., indent=2) encodes in pure Python; the findings, which are most of the
    # document, are written here in its exact layout with the C string encoder instead
    return text.replace(json.dumps(_MARK, ensure_ascii=False), ",\n    ".join(map(_finding, report.findings)), 1)


def _finding(f: Finding) -> str:
    """One finding as ``json.dumps(f.as_dict(), indent=2)`` writes it inside the findings list."""
    from json.encoder import encode_basestring as s

    return (f'{{\n      "path": {s(f.path)},\n      "line": {f.line},\n      "column": {f.column},\n'
            f'      "end_line": {f.end_line},\n      "end_column": {f.end_column},\n      "offset": {f.start},\n'
            f'      "end_offset": {f.end},\n      "rule": {s(f.rule)},\n      "category": {s(f.category)},\n'
            f'      "severity": {s(str(f.severity))},\n      "message": {s(f.message)},\n      "text": {s(f.text)}\n    }}')


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``json`` format."""
    return [Formatter("json", "JSON document with offsets, lines and columns", render)]
