"""Helpers shared by the built-in parsers: line splitting, URL and comment masking."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from rhetlint import recache
from rhetlint.model import Directive, Span

NEWLINE = recache.compile(r"\r\n|\r|\n")
COMMENT = recache.compile(r"<!--(.*?)(?:-->|\Z)", regex.DOTALL)
_WEB_ADDRESS = (
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"'“”‘’()\[\]]*(?:\([^\s()]*\)[^\s<>\"'()\[\]]*)*"
    r"[^\s<>\"'“”‘’()\[\].,;:!?]"
)
_MAIL_ADDRESS = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
BARE_URL = recache.compile(f"{_WEB_ADDRESS}|{_MAIL_ADDRESS}")
_WEB_ONLY = recache.lazy(_WEB_ADDRESS)
_MAIL_ONLY = recache.lazy(_MAIL_ADDRESS)
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


def bare_urls(text: str, start: int = 0, end: int | None = None) -> Iterator[regex.Match[str]]:
    """``BARE_URL.finditer(text, start, end)``, faster.

    A web address holds "://" or "www.", an e-mail address "@": an alternative
    whose literal the range lacks cannot match, so the other is searched alone
    (the same matches; the e-mail part, which tries every word, is the slow one).
    """
    end = len(text) if end is None else end
    mail = text.find("@", start, end) >= 0
    web = text.find("://", start, end) >= 0 or text.find("www.", start, end) >= 0
    pattern = BARE_URL if mail and web else _MAIL_ONLY if mail else _WEB_ONLY if web else None
    return iter(()) if pattern is None else pattern.finditer(text, start, end)


def mask_urls(chars: list[str], text: str, start: int, end: int, links: list[Span]) -> None:
    """Mask bare URLs and e-mail addresses in a range and record them as links."""
    for m in bare_urls(text, start, end):
        blank(chars, m.start(), m.end())
        links.append(Span(m.start(), m.end()))


def find_citations(text: str, start: int, end: int, links: list[Span]) -> None:
    """Record citation and footnote markers ("[1]", "[^note]") as links."""
    if text.find("[", start, end) < 0 and text.find("(", start, end) < 0:
        return  # every marker begins with one of them (a scan in C, before the pattern's)
    for m in CITATION.finditer(text, start, end):
        links.append(Span(m.start(), m.end()))


def directive_of(m: regex.Match[str]) -> Directive:
    """Return the `Directive` for a comment match."""
    return Directive(m.start(), m.end(), m.group(1))
