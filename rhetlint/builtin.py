"""The built-in ``rhetlint_parser_for``: choose a parser by file suffix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Parser


class SuffixChooser:
    """Maps file suffixes to the registered parsers; runs after every other plugin."""

    def __init__(self, parsers: Mapping[str, Parser]) -> None:
        self.parsers = parsers

    @hookimpl(trylast=True)
    def rhetlint_parser_for(self, path: str, config: Any) -> str | None:
        """Return the parser whose suffixes end ``path`` (case-insensitive)."""
        lowered = path.lower()
        for parser in sorted(self.parsers.values(), key=lambda p: p.name):
            if lowered.endswith(parser.suffixes):
                return parser.name
        return None
