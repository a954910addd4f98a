"""The ``json`` format: a stable, versioned contract (fields are added, never removed)."""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Finding, Formatter, Report

_MARK = "\x00findings\x00"


def render(report: Report) -> str:
    """Render ``{"version": 1, "tool", "findings", "summary"}``."""
    import json

    # counted by rule and severity (a C loop), then summed up
    pairs = Counter(map(attrgetter("rule", "severity"), report.findings))
    by_sev: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for (rule, severity), n in pairs.items():
        by_sev[str(severity)] += n
        by_category[rule.split(".", 1)[0]] += n
    doc = {
        "version": 1,
        "tool": {"name": "rhetlint", "version": report.version},
        "findings": [_MARK] if report.findings else [],
        "summary": {
            "files": len(report.files),
            "findings": len(report.findings),
            "by_severity": {k: by_sev.get(k, 0) for k in ("error", "warning", "info")},
            "by_category": dict(sorted(by_category.items())),
        },
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if not report.findings:
        return text
    # json.dumps(..., indent=2) encodes in pure Python; the findings, which are most of the
    # document, are written here in its exact layout with the C string encoder instead
    return text.replace(json.dumps(_MARK, ensure_ascii=False), _findings(report.findings), 1)


def _findings(findings: tuple[Finding, ...]) -> str:
    """The findings as ``json.dumps([f.as_dict() ...], indent=2)`` writes them inside the findings list.

    A path, and a rule with its category and severity, are encoded once each:
    most findings share them with others.
    """
    from json.encoder import encode_basestring as s

    paths: dict[str, str] = {}
    kinds: dict[tuple[str, str], str] = {}
    out = []
    add = out.append
    for f in findings:
        path = paths.get(f.path)
        if path is None:
            path = paths[f.path] = s(f.path)
        kind = kinds.get((f.rule, f.severity))
        if kind is None:
            kind = kinds[(f.rule, f.severity)] = (
                f'      "rule": {s(f.rule)},\n      "category": {s(f.category)},\n'
                f'      "severity": {s(str(f.severity))},\n')
        add(f'{{\n      "path": {path},\n      "line": {f.line},\n      "column": {f.column},\n'
                   f'      "end_line": {f.end_line},\n      "end_column": {f.end_column},\n      "offset": {f.start},\n'
                   f'      "end_offset": {f.end},\n{kind}      "message": {s(f.message)},\n      "text": {s(f.text)}\n    }}')
    return ",\n    ".join(out)


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``json`` format."""
    return [Formatter("json", "JSON document with offsets, lines and columns", render)]
