"""The ``github`` format: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

from itertools import groupby

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Formatter, Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a message: ``%``, CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value: also ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    """Render one annotation per finding, grouped per file."""
    out = []
    for path, items in groupby(report.findings, key=lambda f: f.path):
        out.append(f"::group::{escape_data(path)}")
        for f in items:
            props = ",".join(
                [
                    f"file={escape_property(f.path)}",
                    f"line={f.line}",
                    f"col={f.column}",
                    f"endLine={f.end_line}",
                    f"endColumn={f.end_column}",
                    f"title={escape_property(f.rule)}",
                ]
            )
            out.append(f"::{_LEVEL[str(f.severity)]} {props}::{escape_data(f.message)}")
        out.append("::endgroup::")
    return "".join(line + "\n" for line in out)


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``github`` format."""
    return [Formatter("github", "GitHub Actions annotations", render)]
