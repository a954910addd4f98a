"""The ``junit`` format: JUnit XML for CI test reports.

One ``<testcase>`` per file (``classname`` rhetlint, ``name`` the path) and one
``<failure>`` per finding, whose ``type`` is the rule id and whose text is the
``path:line:col: severity rule message`` line. A file without findings is a
passing test case.
"""

from __future__ import annotations

from collections import defaultdict

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Finding, Formatter, Report

# characters XML 1.0 cannot hold, even escaped (compiled at the first render)
_INVALID_CHARS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


def _clean(text: str) -> str:
    import regex

    return regex.sub(_INVALID_CHARS, "\ufffd", text)


def _line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"


def render(report: Report) -> str:
    """Render ``<testsuites><testsuite name="rhetlint">`` with a test case per file."""
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_file[f.path].append(f)
    files = list(report.files) + sorted(p for p in by_file if p not in set(report.files))
    failed = sum(1 for p in files if by_file.get(p))
    counts = {"tests": str(len(files)), "failures": str(failed), "errors": "0", "skipped": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": "rhetlint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "rhetlint", **counts})
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", {"name": "rhetlint.version", "value": report.version})
    ET.SubElement(props, "property", {"name": "findings", "value": str(len(report.findings))})
    for path in files:
        case = ET.SubElement(suite, "testcase", {"classname": "rhetlint", "name": _clean(path),
                                                 "file": _clean(path), "time": "0"})
        for f in by_file.get(path, ()):
            failure = ET.SubElement(case, "failure", {
                "message": _clean(f"{f.rule}: {f.message}"),
                "type": f.rule,
            })
            failure.text = _clean(_line(f) + (f"\nflagged: {f.text}" if f.text else ""))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``junit`` format."""
    return [Formatter("junit", "JUnit XML: a test case per file, a failure per finding", render)]
