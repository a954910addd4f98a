"""The ``gitlab`` format: GitLab Code Quality JSON (a Code Climate subset).

Each finding is ``{description, check_name, fingerprint, severity, location:
{path, lines: {begin, end}}}``; severities map info → info, warning → minor,
error → major. The fingerprint hashes the path, rule, flagged text (whitespace
collapsed) and the occurrence number of that triple in the file, so it does
not depend on line numbers and is unique within a report.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rhetlint.density import DENSITY, scope_of
from rhetlint.hookspecs import hookimpl
from rhetlint.model import Formatter, Report

_SEVERITY = {"info": "info", "warning": "minor", "error": "major"}


def _path(path: str) -> str:
    p = Path(path).as_posix()
    return p[2:] if p.startswith("./") else p


def render(report: Report) -> str:
    """Render a JSON array of Code Quality issues."""
    import hashlib
    import json

    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for f in report.findings:
        path = _path(f.path)
        what = " ".join(f.text.split()).casefold()
        if f.rule == DENSITY:
            what = scope_of(f)
        key = (path, f.rule, what)
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8")).hexdigest()
        issues.append({
            "type": "issue",
            "description": f.message,
            "check_name": f.rule,
            "fingerprint": digest,
            "severity": _SEVERITY[str(f.severity)],
            "categories": ["Style"],
            "location": {"path": path, "lines": {"begin": f.line, "end": f.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``gitlab`` format."""
    return [Formatter("gitlab", "GitLab Code Quality JSON", render)]
