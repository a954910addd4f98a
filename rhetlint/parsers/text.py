"""The plain-text parser: paragraphs separated by blank lines.

HTML comments (for suppression directives) and bare URLs are masked; every
other character is prose.
"""

from __future__ import annotations

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Block, Document, Parser, Span
from rhetlint.parsers.common import (
    COMMENT,
    blank,
    directive_of,
    find_citations,
    lines,
    mask_urls,
)


def parse(path: str, source: str) -> Document:
    """Parse plain text into a `Document`."""
    chars = list(source)
    if source.startswith("\ufeff"):
        chars[0] = " "  # a byte-order mark is not prose
    directives = []
    for m in COMMENT.finditer(source):
        blank(chars, m.start(), m.end())
        directives.append(directive_of(m))
    links: list[Span] = []
    mask_urls(chars, source, 0, len(source), links)
    text = "".join(chars)
    find_citations(text, 0, len(text), links)
    blocks = []
    start = None
    last_end = 0
    for s, e in lines(text):
        if text[s:e].strip():
            if start is None:
                start = s + (len(text[s:e]) - len(text[s:e].lstrip()))
            last_end = e
        elif start is not None:
            blocks.append(Block("paragraph", start, last_end))
            start = None
    if start is not None:
        blocks.append(Block("paragraph", start, last_end))
    return Document(path, source, text, tuple(blocks), tuple(sorted(links)), tuple(directives))


@hookimpl
def rhetlint_parsers() -> list[Parser]:
    """Register the ``text`` parser."""
    return [Parser("text", (".txt", ".text"), parse)]
