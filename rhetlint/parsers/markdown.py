"""The Markdown parser (CommonMark + tables, through markdown-it-py).

markdown-it-py gives block tokens with line ranges but no character offsets, so
the parser finds each inline token's content lines in the source lines it maps
to, copies them into an all-blank mask, then blanks the inline syntax that is
not prose: code spans, HTML, link and image targets, URLs, emphasis markers and
escapes. Front matter, code blocks, HTML blocks and link definitions are never
copied, so they stay blank.

Only markdown-it's block pass runs, with the block rules that cannot fire in the
document switched off, and the masked text is built block by block: this parses
a megabyte of news text several times faster than the full parse did, with the
same result. A document of plain paragraphs and ATX headings is read without
markdown-it at all (`_plain_tokens` gives the tokens markdown-it would).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import accumulate
from typing import NamedTuple

import regex

from rhetlint import recache
from rhetlint.hookspecs import hookimpl
from rhetlint.model import Block, Directive, Document, Parser, Span
from rhetlint.parsers.common import (
    COMMENT,
    bare_urls,
    directive_of,
    find_citations,
    lines,
)

_FRONT_MATTER = recache.compile(
    r"\A\ufeff?(?:(---)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|\Z)"
    r"|(\+\+\+)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)\+\+\+[ \t]*(?=\r\n|\r|\n|\Z))",
    regex.DOTALL,
)
_CODE_SPAN = recache.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", regex.DOTALL)
_AUTOLINK = recache.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>")
_HTML_TAG = recache.compile(
    r"</?[A-Za-z][A-Za-z0-9\-]*(?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>"
)
_LINK = recache.compile(
    r"(?P<bang>!?)(?P<open>\[)(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)(?P<tail>\]"
    r"(?:\(\s*(?:<[^<>\n]*>|(?:[^\s()]|\((?:[^\s()])*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|\[[^\[\]]*\]))"
)
_EMPHASIS = recache.compile(r"(?<![\w\\])[*_~]+|[*_~]+(?![\w])|(?<=\W)\*+(?=\w)")
_ESCAPE = recache.compile(r"\\(?=[!-/:-@\[-`{-~]|\r?\n|\r)")
_ENTITY = recache.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TASK = recache.compile(r"\[[ xX]\](?=\s)")

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
def _markdown(off: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    """The block parser, with the block rules in ``off`` disabled (see `_unused_rules`)."""
    from markdown_it import MarkdownIt

    # maxNesting bounds markdown-it's recursion (blockquotes, lists, links): content
    # nested deeper than this is not linted, and no RecursionError can escape.
    # The parser reads only block tokens (their type, line map and raw content), so
    # the inline pass (and text_join, which only merges inline children) is off:
    # an inline token's ``content`` and ``map`` come from the block pass alone.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")
    return md.disable(["inline", "text_join", *sorted(off)])


# Which block rules can fire in a document. A block rule starts at the first
# character after a line's container prefix: the indentation, blockquote ">" and
# list markers ("-", "*", "+", "1.", "1)") that precede it on the line. Each
# pattern below matches wherever its rule could succeed (and more), so a rule
# none of them finds in a document cannot fire there; markdown-it tries the rules
# in order and one that fails changes nothing a later rule reads (lheading leaves
# ``parentType`` at "paragraph", but only the list rule reads it, in silent mode,
# and every caller of silent rules sets it first), so disabling such a rule leaves
# the tokens unchanged while sparing markdown-it the attempt on every line of
# every paragraph. The patterns run on the text as markdown-it splits it into
# lines: line breaks normalized to "\n", and a "\n" in front so every line starts
# after one.
_PREFIX = r"[ \t>*+\-0-9.)]*+"  # a superset of every container prefix
_PREFIX_CHARS = " \t>*+-0123456789.)"
_RULE_STARTS = {
    "fence": re.compile(r"\n" + _PREFIX + r"(?:```|~~~)"),
    # the first ">" of a line, after list markers and indentation only
    "blockquote": re.compile(r"\n[ \t*+\-0-9.)]*+>"),
    "html_block": re.compile(r"\n" + _PREFIX + "<"),
    # one to six "#", then a space, a tab or the line's end
    "heading": re.compile(r"\n" + _PREFIX + r"#{1,6}(?:[ \t\n]|\Z)"),
    # the outermost list marker of a line follows indentation and ">" only
    "list": re.compile(r"\n[ \t>]*+(?:[-*+]|[0-9]++[.)])(?:[ \t\n]|\Z)"),
    # a line with "|" (here its last one), then a line of "|", "-", ":" and spaces
    # after the prefix
    "table": re.compile(r"\|[^\n|]*+\n[ \t>*+\-0-9.)|:]++(?:\n|\Z)"),
}
# hr and setext underlines are runs of one marker (and spaces) that end a line
_MARKER_RUN_END = re.compile(r"[-=*_](?=[ \t]*+(?:\n|\Z))")


def _unused_rules(source: str, breaks: bool = True) -> frozenset[str]:
    """The block rules that cannot produce a token for ``source``.

    Thematic breaks and setext underlines are looked for only with ``breaks``
    (the plain path, `_plain_tokens`, reads them itself): without it, "hr"
    and "lheading" are left out of the answer, as if they could fire.
    """
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    source = "\n" + source
    off = {name for name, pattern in _RULE_STARTS.items() if not pattern.search(source)}
    if not breaks:
        return frozenset(off)
    hr = lheading = False
    for m in _MARKER_RUN_END.finditer(source):
        marker = m.group()
        start = source.rfind("\n", 0, m.start())
        line = source[start + 1 : m.end()]
        # hr: three or more of one marker, with only spaces between, end the line
        if marker != "=" and line[len(line.rstrip(marker + " \t")) :].count(marker) >= 3:
            hr = True
        # setext underline: a line of "-" or "=" after the prefix, under a line
        # that is not blank (a blank line ends the paragraph it would underline)
        if (
            marker in "-="
            and not line.rstrip(marker).strip(_PREFIX_CHARS)
            and source[source.rfind("\n", 0, start) + 1 : start].strip(" \t")
        ):
            lheading = True
        if hr and lheading:
            break
    if not hr:
        off.add("hr")
    if not lheading:
        off.add("lheading")
    return frozenset(off)


class _Token(NamedTuple):
    """The part of a markdown-it token `parse` reads."""

    type: str
    map: list[int] | None
    content: str


# What a document may not hold for `_plain_tokens` to read it: characters markdown-it
# rewrites or counts as indentation (\r, NUL, tab), characters Python's strip() removes
# and markdown-it 4's trim keeps (U+001C-U+001F, U+0085), a line that may open a link
# reference definition ("[", in a text with "]:") and a line indented four columns or more (an indented
# code block, or a lazy continuation line). The characters are looked for one by one
# (a memchr each, 3 times faster than a class); the lines only where "]:", or four
# spaces after a line break, occur at all (one search for all three tries the
# line-start branches at every position: 3.5 times slower on news text).
_ODD_CHARS = "\r\t\0\x1c\x1d\x1e\x1f\x85"
_BRACKET_LINE = re.compile(r"^ {0,3}\[", re.MULTILINE)
_INDENTED_LINE = re.compile(r"^ {4,}[^ \n]", re.MULTILINE)


def _not_plain(source: str) -> bool:
    # a reference definition is a label followed at once by a colon: without "]:" a line
    # opening with "[" is prose
    return bool(any(ch in source for ch in _ODD_CHARS) or ("]:" in source and _BRACKET_LINE.search(source))
                or (("\n    " in source or source.startswith("    ")) and _INDENTED_LINE.search(source)))


_PLAIN_OFF = frozenset({"fence", "blockquote", "html_block", "table"})
_ATX = re.compile(r" {0,3}(#{1,6})(?: |$)")
# A list marker at the start of a line: "-", "*", "+" or up to nine digits and "." or ")",
# then a space or the line's end (tabs never reach the plain path)
_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?: |$)")
# A simple item: its marker, one space, then text that opens nothing of its own (no marker,
# heading, quote, fence, HTML, table, setext or thematic-break line); group 1 is an ordered
# item's number, group 2 the bullet or the number's "." or ")"
_ITEM = re.compile(r"(?:([0-9]{1,9})([.)])|([-*+])) (?![-*+#>`~<|=_])(?![0-9]{1,9}[.)](?: |$))\S")
# A thematic break: three or more of one of "-", "*", "_", with spaces between
_HR = re.compile(r" {0,3}([-*_])(?: *\1){2,} *")
# A setext underline: "=" or "-" repeated, nothing else but spaces
_UNDERLINE = re.compile(r" {0,3}(?:=+|-+) *")

_TEXT, _BLANK, _BREAK, _HEADING, _ITEM_ROW, _EMPTY, _INDENTED = range(7)
# a list's tokens by its mark: the bullet, or the "." or ")" after its numbers
_LIST_OF = {"-": "bullet_list", "*": "bullet_list", "+": "bullet_list", ".": "ordered_list", ")": "ordered_list"}
# an indented line of plain text: no marker, break, heading, underline or other block after its spaces
_PLAIN_START = re.compile(r" {1,3}[^ \-*+_=#>`~<|\[0-9]")
# the first characters of a line that may make it anything but text
_SPECIAL_FIRST = frozenset(["", " ", "-", "*", "_", "=", "#", "+", *"0123456789"])


def _plain_tokens(source: str, off: frozenset[str]) -> list[_Token] | None:
    """The block tokens markdown-it gives a document of paragraphs, headings, thematic breaks and simple lists, or None.

    Such a document (`_unused_rules` rules out fences, quotes, HTML blocks and
    tables, and `_not_plain` finds nothing) needs no Markdown parser: blank
    lines separate paragraphs; a line "# ..." is a heading and a line of
    three "-", "*" or "_" a thematic break (both end a paragraph); paragraph
    lines over a line of "=" or "-" are a setext heading. A list is read too
    when every line that opens with a list marker is a simple item (`_ITEM`)
    and the indented lines are plain text (`_PLAIN_START`) that no item's
    blank line comes before: an item is its line and the lines that run on
    from it (less the item's indentation), up to a blank line, a heading, a
    thematic break or the next item; items with the same bullet (or the same
    "." or ")" after their number) form one list, across blank lines. A
    bullet item, or an ordered one numbered 1, ends a paragraph; another
    number, or a marker alone, runs on in it. These follow markdown-it's
    block rules at the top level. Plain prose is common, and so are news
    articles with a list of points and rules between parts; importing
    markdown-it for them costs more than linting a short article.
    """
    if not off >= _PLAIN_OFF or _not_plain(source):
        return None
    rows = source.split("\n")
    if source.endswith("\n"):
        rows.pop()  # a final line break ends the last line; it starts none
    n = len(rows)
    kinds = [_TEXT] * n
    lists: list[tuple[str, int | None, int] | None] = [None] * n  # an item's list mark, number, text offset
    underlines: set[int] = set()  # lines of "=" or "-" alone: under a paragraph's text, a setext heading
    definitions = "]:" in source  # without it no line can define a link reference
    listed = "list" not in off
    for i, row in enumerate(rows):
        first = row[:1]
        if first not in _SPECIAL_FIRST:
            continue  # text (most lines): a letter, a quotation mark...
        if first == " " or not first:
            if not row.strip(" "):
                kinds[i] = _BLANK
                continue
            if listed:
                if not _PLAIN_START.match(row):
                    return None  # indented: a nested block, perhaps
                kinds[i] = _INDENTED  # text: it runs on in a paragraph or an item (less its indentation)
                continue
            first = row.lstrip(" ")[:1]
        if first in "=-" and _UNDERLINE.fullmatch(row):
            underlines.add(i)
        if first == "#" and _ATX.match(row):
            kinds[i] = _HEADING
        elif first in "-*_" and _HR.fullmatch(row):
            kinds[i] = _BREAK
        elif listed:
            marker = _MARKER.match(row)
            if marker is not None:
                if not row[marker.end() :].strip(" "):
                    kinds[i] = _EMPTY  # "1." alone: runs on in a paragraph, and is read nowhere else
                    continue
                item = _ITEM.match(row)
                if item is None or (definitions and row[item.end() - 1] == "["):
                    return None  # a nested block, or a link definition
                number = item.group(1)
                lists[i] = (item.group(2) or item.group(3), int(number) if number else None, item.end() - 1)
                kinds[i] = _ITEM_ROW
    tokens: list[_Token] = []
    mark = None  # the list open, if any: its bullet, or the "." or ")" after its numbers
    line = 0
    while line < n:
        kind = kinds[line]
        if kind == _BLANK:
            line += 1
            continue
        if kind == _EMPTY or (kind == _INDENTED and mark is not None):
            return None  # an empty item opening a list, or a block in an item (or after its list)
        if mark is not None and (kind != _ITEM_ROW or lists[line][0] != mark):  # type: ignore[index]
            tokens.append(_Token(f"{_LIST_OF[mark]}_close", None, ""))
            mark = None
        if kind == _BREAK:
            tokens.append(_Token("hr", [line, line + 1], ""))
            line += 1
            continue
        if kind == _HEADING:
            head = _ATX.match(rows[line])
            # a closing sequence ("#"s after a space, ending the line) is not content
            text = rows[line][head.end(1) :].rstrip(" ")  # type: ignore[union-attr]
            bare = text.rstrip("#")
            if len(bare) < len(text) and bare.endswith(" "):
                text = bare
            tokens += (_Token("heading_open", [line, line + 1], ""),
                       _Token("inline", [line, line + 1], text.strip()),
                       _Token("heading_close", None, ""))
            line += 1
            continue
        end = line + 1
        if kind == _ITEM_ROW:
            # the lines that run on from an item: text ("===" and "--" lines among it)
            while end < n and (kinds[end] == _TEXT or kinds[end] == _INDENTED):
                end += 1
            item_mark, _number, at = lists[line]  # type: ignore[misc]
            if mark is None:
                mark = item_mark
                tokens.append(_Token(f"{_LIST_OF[mark]}_open", [line, end], ""))
            # each line loses as many leading spaces as the item's text is indented, at most
            content = "\n".join([rows[line][at:], *(row[min(at, len(row) - len(row.lstrip(" "))):]
                                                   for row in rows[line + 1 : end])]).strip()
            tokens += (_Token("list_item_open", [line, end], ""), _Token("paragraph_open", [line, end], ""),
                       _Token("inline", [line, end], content), _Token("paragraph_close", None, ""),
                       _Token("list_item_close", None, ""))
            line = end
            continue
        # a paragraph, unless an underline comes before anything that ends it (a setext heading)
        underlined = False
        while end < n:
            kind = kinds[end]
            if (kind == _TEXT or kind == _INDENTED) and end not in underlines:
                end += 1
                continue
            if end in underlines:
                underlined = True
                break
            if kind == _EMPTY or (kind == _ITEM_ROW and lists[end][1] not in (None, 1)):  # type: ignore[index]
                end += 1  # a marker alone, or a number other than 1, runs on in a paragraph
                continue
            break  # a blank line, a break, a heading, a bullet item or an item numbered 1
        text = "\n".join(rows[line:end]).strip()
        if underlined:
            tokens += (_Token("heading_open", [line, end + 1], ""), _Token("inline", [line, end], text),
                       _Token("heading_close", None, ""))
            line = end + 1
        else:
            tokens += (_Token("paragraph_open", [line, end], ""), _Token("inline", [line, end], text),
                       _Token("paragraph_close", None, ""))
            line = end
    if mark is not None:
        tokens.append(_Token(f"{_LIST_OF[mark]}_close", None, ""))
    return tokens


_CLOSES = frozenset(name.replace("_open", "_close") for name in _CONTAINERS)
_LINE_TEXT = recache.compile(r"[^\r\n]+")


def _spaces(m: regex.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _blanked(text: str) -> str:
    """``text`` with every character but line breaks replaced by a space."""
    if "\n" in text or "\r" in text:
        if not text.strip("\r\n"):
            return text  # line breaks alone (the gap between two blocks, mostly): nothing to blank
        return _LINE_TEXT.sub(_spaces, text)
    return " " * len(text)


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank the (possibly overlapping) ``spans`` of ``text``, keeping line breaks."""
    out = []
    pos = 0
    for s, e in sorted(spans):
        s = max(s, pos)
        if e <= s:
            continue
        out.append(text[pos:s])
        out.append(_blanked(text[s:e]))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _mask_inline(text: str, start: int, links: list[Span], directives: list[Directive]) -> str:
    """Return the block's masked ``text`` (at offset ``start``) with non-prose inline syntax blanked.

    Each step scans the text as the previous step left it; the spans one step finds
    are blanked together, which is the same as blanking them one by one because
    blanking is idempotent. A step whose syntax needs a character the text lacks
    is skipped: its patterns cannot match.
    """
    if "`" in text:
        spans = [m.span() for m in _CODE_SPAN.finditer(text)]
        if spans:
            text = _blank_spans(text, spans)
    if "<" in text:
        spans = []
        for m in COMMENT.finditer(text):
            spans.append(m.span())
            directives.append(Directive(start + m.start(), start + m.end(), m.group(1)))
        for m in _AUTOLINK.finditer(text):
            spans.append(m.span())
            links.append(Span(start + m.start(), start + m.end()))
        spans.extend(m.span() for m in _HTML_TAG.finditer(text))
        if spans:
            text = _blank_spans(text, spans)
    # Repeat: a link's label may hold an image or link ("[![alt](img.png)](url)")
    # whose target only matches once the outer brackets are blanked.
    for _ in range(4):
        if "[" not in text:
            break
        spans = []
        for m in _LINK.finditer(text):
            spans.append((m.start("bang"), m.end("open")))
            spans.append(m.span("tail"))
            links.append(Span(start + m.start(), start + m.end()))
        if not spans:
            break
        text = _blank_spans(text, spans)
    # a bare URL starts with "http://", "https://", "ftp://" or "www.", or has an "@"
    if "@" in text or "://" in text or "www." in text:
        spans = []
        for m in bare_urls(text):
            spans.append(m.span())
            links.append(Span(start + m.start(), start + m.end()))
        if spans:
            text = _blank_spans(text, spans)
    spans = []
    if "*" in text or "_" in text or "~" in text:
        spans.extend(m.span() for m in _EMPHASIS.finditer(text))
    if "\\" in text:
        spans.extend(m.span() for m in _ESCAPE.finditer(text))
    if "&" in text:
        spans.extend(m.span() for m in _ENTITY.finditer(text))
    if spans:
        text = _blank_spans(text, spans)
    return text


def _line_bounds(source: str) -> tuple[list[int], list[int]]:
    """The start and end (line break excluded) of every line, as `lines` gives them."""
    if "\r" in source:
        spans = lines(source)
        return [s for s, _ in spans], [e for _, e in spans]
    bounds = list(accumulate(map((1).__add__, map(len, source.split("\n"))), initial=0))
    return bounds[:-1], [b - 1 for b in bounds[1:]]


def _edges_blanked(line: str, piece: str) -> str:
    """``line`` with the white space around its stripped text ``piece`` blanked."""
    if not piece:
        return " " * len(line)
    lead = len(line) - len(line.lstrip())
    return " " * lead + piece + " " * (len(line) - lead - len(piece))


def parse(path: str, source: str) -> Document:
    """Parse Markdown into a `Document` whose masked text keeps the source's length.

    Each inline token's content lines are stripped and found in the source lines
    its map gives (after the previous piece on the same line: table cells share a
    line); the block runs from its first piece to its last, everything in it but
    the pieces is blank, and its inline syntax is then blanked. Inline tokens'
    maps never share a line, except cells of one table row, so blocks come in
    source order without overlapping and the masked text is built block by block;
    should a block ever start inside the text built so far, it is merged into it,
    as if the text were one list of characters.
    """
    starts, ends = _line_bounds(source)
    nlines = len(starts)
    # Front matter: blank it in what markdown-it sees so line numbers stay.
    md_source = source
    fm = _FRONT_MATTER.match(source)
    if fm:
        md_source = _blanked(source[: fm.end()]) + source[fm.end() :]
    elif source.startswith("\ufeff"):
        # a byte-order mark is not text: markdown-it sees a space (same length), so
        # "\ufeff# Title" is still a heading
        md_source = " " + source[1:]
    tokens = _plain_tokens(md_source, _unused_rules(md_source, breaks=False))
    if tokens is None:
        tokens = _markdown(_unused_rules(md_source)).parse(md_source)

    blocks: list[Block] = []
    links: list[Span] = []
    directives: list[Directive] = []
    containers: list[str] = []
    cursor: dict[int, int] = {}
    out: list[str] = []  # the masked text of source[:done]
    done = 0
    find = source.find
    for tok in tokens:
        ttype = tok.type
        if ttype in _CONTAINERS:
            containers.append(_CONTAINERS[ttype])
            continue
        if ttype in _CLOSES:
            containers.pop()
            continue
        if ttype == "html_block" and tok.map:
            lo = starts[tok.map[0]]
            hi = ends[min(tok.map[1], nlines) - 1]
            directives.extend(directive_of(m) for m in COMMENT.finditer(source, lo, hi))
            continue
        if ttype != "inline" or not tok.map:
            continue
        kind = containers[-1] if containers else "paragraph"
        first = tok.map[0]
        content = tok.content
        at = starts[first] if first < nlines else -1
        last = first + content.count("\n")
        if (
            at >= done
            and kind != "table-cell"
            and last < nlines
            and ends[last] - at == len(content)
            and source.startswith(content, at)
        ):
            # The content is the source's lines as they are (no container prefix,
            # indentation or line break but "\n"): each piece is a line stripped.
            content_lines = content.split("\n")
            pieces = [line.strip() for line in content_lines]
            if pieces != content_lines:
                content = "\n".join(map(_edges_blanked, content_lines, pieces))
            lead = len(content) - len(content.lstrip())
            if lead == len(content):
                continue
            bstart = at + lead
            bend = at + len(content.rstrip())
            segment = content[lead : bend - at]
            out.append(_blanked(source[done:bstart]))
            tail = ""
        else:
            found: list[tuple[int, str]] = []
            n = first
            for content_line in content.split("\n"):
                if n >= nlines:
                    break
                piece = content_line.strip()
                if piece:
                    at = find(piece, cursor.get(n, starts[n]), ends[n])
                    if at < 0 and "|" in piece:
                        # table cells: markdown-it unescapes "\|" in a cell's content
                        piece = piece.replace("|", "\\|")
                        at = find(piece, cursor.get(n, starts[n]), ends[n])
                    if at >= 0:
                        cursor[n] = at + len(piece)
                        found.append((at, piece))
                n += 1
            if not found:
                continue
            bstart = found[0][0]
            bend = found[-1][0] + len(found[-1][1])
            if bstart >= done:
                out.append(_blanked(source[done:bstart]))
                parts = []
                pos = bstart
                for at, piece in found:
                    parts += (_blanked(source[pos:at]), piece)
                    pos = at + len(piece)
                segment = "".join(parts)
                tail = ""
            else:  # not seen: merge into the text built so far
                chars = list("".join(out) + _blanked(source[done:bend]))
                for at, piece in found:
                    chars[at : at + len(piece)] = piece
                out = ["".join(chars[:bstart])]
                segment = "".join(chars[bstart:bend])
                tail = "".join(chars[bend:])
        if kind == "list-item":
            task = _TASK.match(source, bstart, bend)
            if task:
                segment = _blanked(task.group()) + segment[task.end() - bstart :]
        out.append(_mask_inline(segment, bstart, links, directives))
        out.append(tail)
        done = max(done, bend)
        blocks.append(Block(kind, bstart, bend))
    out.append(_blanked(source[done:]))
    text = "".join(out)
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
