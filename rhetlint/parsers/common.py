"""Helpers shared by the built-in parsers: line splitting, URL and comment masking."""

from __future__ import annotations

import regex

from rhetlint import recache
from rhetlint.model import Directive, Span

NEWLINE = recache.compile(r"\r\n|\r|\n")
COMMENT = recache.compile(r"<!--(.*?)(?:-->|\Z)", regex.DOTALL)
BARE_URL = recache.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"'“”‘’()\[\]]*(?:\([^\s()]*\)[^\s<>\"'()\[\]]*)*"
    r"[^\s<>\"'“”‘’()\[\].,;:!?]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",
)
CITATION = recache.compile(
    r"\[\^[\w.-]{1,20}\]"  # footnote reference
    r"|\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]"  # numbered citation
    r"|\((?:\p{Lu}[\p{L}'’-]+(?:\s+et al\.?|\s+(?:and|&)\s+\p{Lu}[\p{L}'’-]+)?,?\s+"
    r"(?:1[5-9]|20)\d\d[a-z]?(?:,\s*(?:p|pp)\.\s*\d+(?:[–-]\d+)?)?(?:;\s*)?)+\)"  # (Smith 2021)
)


def lines(source: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every line, its line break excluded."""
    out = []
    pos = 0
    for m in NEWLINE.finditer(source):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(source)))
    return out


def blank(chars: list[str], start: int, end: int) -> None:
    """Replace ``chars[start:end]`` with spaces, keeping line breaks."""
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def mask_urls(chars: list[str], text: str, start: int, end: int, links: list[Span]) -> None:
    """Mask bare URLs and e-mail addresses in a range and record them as links."""
    for m in BARE_URL.finditer(text, start, end):
        blank(chars, m.start(), m.end())
        links.append(Span(m.start(), m.end()))


def find_citations(text: str, start: int, end: int, links: list[Span]) -> None:
    """Record citation and footnote markers ("[1]", "[^note]") as links."""
    for m in CITATION.finditer(text, start, end):
        links.append(Span(m.start(), m.end()))


def directive_of(m: regex.Match[str]) -> Directive:
    """Return the `Directive` for a comment match."""
    return Directive(m.start(), m.end(), m.group(1))
