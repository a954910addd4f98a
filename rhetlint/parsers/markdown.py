"""The Markdown parser (CommonMark + tables, through markdown-it-py).

markdown-it-py gives block tokens with line ranges but no character offsets, so
the parser finds each inline token's content lines in the source lines it maps
to, copies them into an all-blank mask, then blanks the inline syntax that is
not prose: code spans, HTML, link and image targets, URLs, emphasis markers and
escapes. Front matter, code blocks, HTML blocks and link definitions are never
copied, so they stay blank.
"""

from __future__ import annotations

from functools import cache

import regex

from rhetlint.hookspecs import hookimpl
from rhetlint.model import Block, Directive, Document, Parser, Span
from rhetlint.parsers.common import (
    BARE_URL,
    COMMENT,
    blank,
    directive_of,
    find_citations,
    lines,
)

_FRONT_MATTER = regex.compile(
    r"\A\ufeff?(?:(---)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|\Z)"
    r"|(\+\+\+)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)\+\+\+[ \t]*(?=\r\n|\r|\n|\Z))",
    regex.DOTALL,
)
_CODE_SPAN = regex.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", regex.DOTALL)
_AUTOLINK = regex.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>")
_HTML_TAG = regex.compile(
    r"</?[A-Za-z][A-Za-z0-9\-]*(?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>"
)
_LINK = regex.compile(
    r"(?P<bang>!?)(?P<open>\[)(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)(?P<tail>\]"
    r"(?:\(\s*(?:<[^<>\n]*>|(?:[^\s()]|\((?:[^\s()])*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|\[[^\[\]]*\]))"
)
_EMPHASIS = regex.compile(r"(?<![\w\\])[*_~]+|[*_~]+(?![\w])|(?<=\W)\*+(?=\w)")
_ESCAPE = regex.compile(r"\\(?=[!-/:-@\[-`{-~]|\r?\n|\r)")
_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TASK = regex.compile(r"\[[ xX]\](?=\s)")

_CONTAINERS = {
    "blockquote_open": "blockquote",
    "list_item_open": "list-item",
    "th_open": "table-cell",
    "td_open": "table-cell",
    "heading_open": "heading",
}


# CommonMark's preset allows 20; newsroom Markdown never nests deeper than 100,
# and markdown-it-py stays far below Python's recursion limit at 100.
MAX_NESTING = 100


@cache
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # maxNesting bounds markdown-it's recursion (blockquotes, lists, links): content
    # nested deeper than this is not linted, and no RecursionError can escape.
    return MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")


def _mask_inline(chars: list[str], start: int, end: int, links: list[Span],
                 directives: list[Directive]) -> None:
    """Blank non-prose inline syntax in ``chars[start:end]`` (already masked text).

    Works on the block's own slice so the cost is linear in the document.
    """

    def segment() -> str:
        return "".join(chars[start:end])

    def blank_at(s: int, e: int) -> None:
        blank(chars, start + s, start + e)

    text = segment()
    for m in _CODE_SPAN.finditer(text):
        blank_at(m.start(), m.end())
    text = segment()
    for m in COMMENT.finditer(text):
        blank_at(m.start(), m.end())
        directives.append(Directive(start + m.start(), start + m.end(), m.group(1)))
    for m in _AUTOLINK.finditer(text):
        blank_at(m.start(), m.end())
        links.append(Span(start + m.start(), start + m.end()))
    for m in _HTML_TAG.finditer(text):
        blank_at(m.start(), m.end())
    # Repeat: a link's label may hold an image or link ("[![alt](img.png)](url)")
    # whose target only matches once the outer brackets are blanked.
    for _ in range(4):
        text = segment()
        found = False
        for m in _LINK.finditer(text):
            found = True
            blank_at(m.start("bang"), m.end("open"))
            blank_at(m.start("tail"), m.end("tail"))
            links.append(Span(start + m.start(), start + m.end()))
        if not found:
            break
    text = segment()
    for m in BARE_URL.finditer(text):
        blank_at(m.start(), m.end())
        links.append(Span(start + m.start(), start + m.end()))
    text = segment()
    for pattern in (_EMPHASIS, _ESCAPE, _ENTITY):
        for m in pattern.finditer(text):
            blank_at(m.start(), m.end())


def parse(path: str, source: str) -> Document:
    """Parse Markdown into a `Document` whose masked text keeps the source's length."""
    line_spans = lines(source)
    chars = [c if c in "\r\n" else " " for c in source]
    # Front matter: blank it in what markdown-it sees so line numbers stay.
    md_source = source
    fm = _FRONT_MATTER.match(source)
    if fm:
        md_source = "".join(c if c in "\r\n" else " " for c in source[: fm.end()]) + source[fm.end() :]
    elif source.startswith("\ufeff"):
        # a byte-order mark is not text: markdown-it sees a space (same length), so
        # "\ufeff# Title" is still a heading
        md_source = " " + source[1:]
    tokens = _markdown().parse(md_source)

    blocks: list[Block] = []
    links: list[Span] = []
    directives: list[Directive] = []
    containers: list[str] = []
    cursor: dict[int, int] = {}
    for tok in tokens:
        if tok.type in _CONTAINERS:
            containers.append(_CONTAINERS[tok.type])
            continue
        if tok.type.endswith("_close") and tok.type.replace("_close", "_open") in _CONTAINERS:
            containers.pop()
            continue
        if tok.type == "html_block" and tok.map:
            lo = line_spans[tok.map[0]][0]
            hi = line_spans[min(tok.map[1], len(line_spans)) - 1][1]
            directives.extend(directive_of(m) for m in COMMENT.finditer(source, lo, hi))
            continue
        if tok.type != "inline" or not tok.map:
            continue
        kind = containers[-1] if containers else "paragraph"
        first_line = tok.map[0]
        bstart = bend = None
        for i, content_line in enumerate(tok.content.split("\n")):
            n = first_line + i
            if n >= len(line_spans):
                break
            lstart, lend = line_spans[n]
            piece = content_line.strip()
            if not piece:
                continue
            at = source.find(piece, cursor.get(n, lstart), lend)
            if at < 0 and "|" in piece:
                # table cells: markdown-it unescapes "\|" in a cell's content
                piece = piece.replace("|", "\\|")
                at = source.find(piece, cursor.get(n, lstart), lend)
            if at < 0:
                continue
            cursor[n] = at + len(piece)
            for k in range(at, at + len(piece)):
                chars[k] = source[k]
            bstart = at if bstart is None else bstart
            bend = at + len(piece)
        if bstart is None or bend is None:
            continue
        if kind == "list-item":
            task = _TASK.match(source, bstart, bend)
            if task:
                blank(chars, task.start(), task.end())
        _mask_inline(chars, bstart, bend, links, directives)
        blocks.append(Block(kind, bstart, bend))
    text = "".join(chars)
    for b in blocks:
        find_citations(source, b.start, b.end, links)
    return Document(
        path,
        source,
        text,
        tuple(blocks),
        tuple(sorted(set(links))),
        tuple(sorted(set(directives))),
    )


@hookimpl
def rhetlint_parsers() -> list[Parser]:
    """Register the ``markdown`` parser."""
    return [Parser("markdown", (".md", ".markdown", ".mdown", ".mkd"), parse)]
