"""The ``sarif`` format: SARIF 2.1.0 for code-scanning dashboards."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Formatter, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
HELP_URI = "https://github.com/rhetlint/rhetlint#rules"


def _uri(path: str) -> str:
    """Return a path as a SARIF ``uri-reference``: "/"-separated, percent-encoded."""
    return path if path == "-" else quote(Path(path).as_posix(), safe="/")


def render(report: Report) -> str:
    """Render one run with a ``rules[]`` entry per rule and a result per finding."""
    import json

    used = sorted({f.rule for f in report.findings})
    rules = {r.id: r for r in report.rules}
    index = {rid: i for i, rid in enumerate(used)}
    driver_rules = []
    for rid in used:
        rule = rules.get(rid)
        entry = {
            "id": rid,
            "name": rid.replace(".", "-"),
            "shortDescription": {"text": rid},
            "fullDescription": {"text": (rule.description if rule and rule.description else rid)},
            "defaultConfiguration": {"level": _LEVEL[str(rule.severity)] if rule else "warning"},
            "helpUri": (rule.link if rule and rule.link else f"{HELP_URI}-{rid.replace('.', '')}"),
            "properties": {"category": rid.split(".", 1)[0]},
        }
        driver_rules.append(entry)
    results = []
    for f in report.findings:
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[str(f.severity)],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(f.path)},
                            "region": {
                                "startLine": f.line,
                                "startColumn": f.column,
                                "endLine": f.end_line,
                                "endColumn": f.end_column,
                                "charOffset": f.start,
                                "charLength": f.end - f.start,
                                "snippet": {"text": f.text},
                            },
                        }
                    }
                ],
            }
        )
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rhetlint",
                        "version": report.version,
                        "informationUri": "https://github.com/rhetlint/rhetlint",
                        "rules": driver_rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``sarif`` format."""
    return [Formatter("sarif", "SARIF 2.1.0 (code scanning)", render)]
