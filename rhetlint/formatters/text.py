"""The ``text`` format: ``path:line:col: severity rule message``, one a line."""

from __future__ import annotations

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Formatter, Report


def _one_line(message: str) -> str:
    """Join a message's lines with spaces: one finding is always one output line."""
    if "\n" not in message and "\r" not in message:
        return message
    return " ".join(part.strip() for part in message.splitlines())


def render(report: Report) -> str:
    """Render findings one per line (the summary goes to stderr, from the CLI)."""
    return "".join(
        f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {_one_line(f.message)}\n"
        for f in report.findings
    )


@hookimpl
def rhetlint_formatters() -> list[Formatter]:
    """Register the ``text`` format."""
    return [Formatter("text", "path:line:col: severity rule message (default)", render)]
