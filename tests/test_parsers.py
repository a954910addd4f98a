"""The Markdown and plain-text parsers: masking, blocks, offsets, line/column.

Every test lints with the real ``loaded.term`` rule (which flags "vicious" and
"chilling") and asserts exact spans, or inspects the parsed `Document`.
"""

from __future__ import annotations

import pytest

import rhetlint
from rhetlint.config import Config
from rhetlint.parsers import markdown
from rhetlint.parsers import text as plain

TERM = Config(select=("loaded.term",))


def spans(source: str, filename: str = "doc.md") -> list[tuple]:
    """(start, end, line, column, end_line, end_column, text) of every loaded.term finding."""
    return [
        (f.start, f.end, f.line, f.column, f.end_line, f.end_column, f.text)
        for f in rhetlint.lint_text(source, filename=filename, config=TERM)
    ]


def at(source: str, word: str, nth: int = 0) -> int:
    i = -1
    for _ in range(nth + 1):
        i = source.index(word, i + 1)
    return i


# -- never linted -----------------------------------------------------------

NOT_LINTED = {
    "fenced code": "Calm words.\n\n```\nA vicious attack.\n```\n",
    "tilde fence": "~~~python\nchilling = 1\n~~~\n",
    "indented code": "Calm words.\n\n    A vicious attack.\n",
    "indented code in list": "- item\n\n      code vicious\n",
    "inline code": "Use `vicious` here.\n",
    "double-backtick code": "Use ``a ` vicious`` here.\n",
    "code span across lines": "Para `with\nvicious` code.\n",
    "link destination": "See [the site](http://example.com/vicious/chilling) now.\n",
    "link title": 'See [the site](http://example.com "a vicious title") now.\n',
    "angle destination": "See [the site](<http://example.com/a vicious>) now.\n",
    "reference label": "See [the site][vicious] now.\n\n[vicious]: http://example.com\n",
    "link definition": "Calm.\n\n[ref]: http://example.com/chilling\n",
    "image target": "![calm](http://example.com/vicious.png)\n",
    "image inside link": "[![calm](img/vicious.png)](http://example.com/chilling) tail\n",
    "bare url": "Visit https://example.com/vicious today.\n",
    "www url": "Visit www.vicious.example.com today.\n",
    "email": "Mail vicious@example.com today.\n",
    "autolink": "<http://chilling.example.com> calm\n",
    "html comment": "<!-- vicious -->\nCalm.\n",
    "inline html comment": "Calm <!-- a vicious aside --> words.\n",
    "html block": "<div>\nvicious\n</div>\n",
    "html attribute": "Text <span title='vicious'>calm</span>.\n",
    "yaml front matter": "---\ntitle: vicious\n---\nCalm.\n",
    "toml front matter": "+++\ntitle = 'chilling'\n+++\nCalm.\n",
    "front matter after bom": "\ufeff---\ntitle: vicious\n---\nCalm.\n",
}


@pytest.mark.parametrize("source", NOT_LINTED.values(), ids=NOT_LINTED.keys())
def test_markup_code_and_urls_are_never_linted(source):
    assert spans(source) == []
    # sanity: the same word as prose is flagged, so the masking did the work
    assert spans("A vicious chilling attack.\n") != []


# -- linted, with exact offsets ---------------------------------------------

LINTED = {
    "paragraph": ("A vicious attack.\n", 1, 3),
    "link text": ("See [a vicious site](http://example.com) now.\n", 1, 8),
    "reference link text": ("See [a vicious site][ref].\n\n[ref]: http://x.org\n", 1, 8),
    "atx heading": ("# A vicious heading ##\n", 1, 5),
    "setext heading": ("A vicious\nheading\n=======\n", 1, 3),
    "bullet item": ("- one\n- a vicious item\n", 2, 5),
    "ordered item": ("1. one\n2. a vicious two\n", 2, 6),
    "task item": ("- [ ] a vicious task\n", 1, 9),
    "blockquote": ("> first line\n> a vicious quote\n", 2, 5),
    "nested blockquote": ("> > deep vicious\n", 1, 10),
    "table cell": ("| a | b |\n|---|---|\n| x | vicious |\n", 3, 7),
    "strong": ("Some **vicious** talk.\n", 1, 8),
    "emphasis": ("Some _vicious_ talk.\n", 1, 7),
    "emphasis in link": ("A [**vicious**](http://x.org) link.\n", 1, 6),
    "text between inline tags": ("Text <b>bold vicious</b> end\n", 1, 14),
    "after inline code": ("`x` vicious\n", 1, 5),
    "after entity": ("&amp; vicious\n", 1, 7),
    "lazy continuation": ("- item\nlazy vicious\n", 2, 6),
    "after front matter": ("---\na: b\n---\nA vicious end.\n", 4, 3),
    "escaped pipe cell": ("| a \\| vicious | b |\n|---|---|\n| c | d |\n", 1, 8),
}


@pytest.mark.parametrize("source,line,column", LINTED.values(), ids=LINTED.keys())
def test_prose_is_linted_with_exact_offsets(source, line, column):
    start = at(source, "vicious")
    assert spans(source) == [(start, start + 7, line, column, line, column + 7, "vicious")]


def test_image_alt_text_is_prose_but_its_target_is_not():
    source = "![a vicious alt](http://example.com/chilling.png)\n"
    assert spans(source) == [(4, 11, 1, 5, 1, 12, "vicious")]


def test_non_ascii_before_a_hit_keeps_columns_in_characters():
    source = "Café é 😀 — vicious.\n"
    start = source.index("vicious")
    assert start == 11  # the emoji is one character, not four bytes or two UTF-16 units
    for name in ("doc.md", "doc.txt"):
        assert spans(source, name) == [(11, 18, 1, 12, 1, 19, "vicious")]


def test_non_ascii_on_a_later_line():
    source = "Ünïcödé 🎉🎉 line.\nThen a chilling 👀 end.\n"
    start = source.index("chilling")
    assert spans(source) == [(start, start + 8, 2, 8, 2, 16, "chilling")]


@pytest.mark.parametrize("name", ["doc.md", "doc.txt"])
def test_crlf_columns(name):
    source = "Line one.\r\n\r\nA vicious line.\r\nAnd a chilling one.\r\n"
    v = source.index("vicious")
    c = source.index("chilling")
    assert (v, c) == (15, 36)
    assert spans(source, name) == [
        (15, 22, 3, 3, 3, 10, "vicious"),
        (36, 44, 4, 7, 4, 15, "chilling"),
    ]


@pytest.mark.parametrize("name", ["doc.md", "doc.txt"])
def test_lone_cr_columns(name):
    source = "Line one.\r\rA vicious line.\r"
    assert spans(source, name) == [(13, 20, 3, 3, 3, 10, "vicious")]


def test_multiline_finding_reports_end_line():
    # "wishful thinking" matches across whitespace, a line break included
    source = "It was wishful\nthinking again.\n"
    found = [f for f in rhetlint.lint_text(source, "doc.md", TERM)]
    assert [(f.start, f.end, f.line, f.column, f.end_line, f.end_column) for f in found] == [
        (7, 23, 1, 8, 2, 9)
    ]
    assert found[0].text == "wishful\nthinking"


def test_txt_file_is_all_prose_but_urls_and_comments():
    source = "```\nA vicious line.\n```\nSee http://x.org/chilling <!-- vicious -->\n"
    assert spans(source, "doc.txt") == [(6, 13, 2, 3, 2, 10, "vicious")]


def test_text_parser_blocks_and_masking():
    source = "  First para\nstill first.\n\n<!-- note -->\nSecond http://a.org/x para.\n"
    doc = plain.parse("a.txt", source)
    assert len(doc.text) == len(source)
    assert [(b.kind, source[b.start:b.end]) for b in doc.blocks] == [
        ("paragraph", "First para\nstill first."),
        ("paragraph", "Second http://a.org/x para."),
    ]
    assert [d.body for d in doc.directives] == [" note "]
    assert doc.text[source.index("<!--"):source.index("-->") + 3].strip() == ""
    assert [source[s:e] for s, e in doc.links] == ["http://a.org/x"]


def test_markdown_blocks_kinds_and_spans():
    source = (
        "---\ntitle: x\n---\n# Title here\n\nPara one.\n\n- item one\n\n> quoted\n\n"
        "| h1 | h2 |\n|----|----|\n| c1 | c2 |\n\n```\ncode\n```\n"
    )
    doc = markdown.parse("a.md", source)
    assert len(doc.text) == len(source)
    assert [(b.kind, source[b.start:b.end]) for b in doc.blocks] == [
        ("heading", "Title here"),
        ("paragraph", "Para one."),
        ("list-item", "item one"),
        ("blockquote", "quoted"),
        ("table-cell", "h1"),
        ("table-cell", "h2"),
        ("table-cell", "c1"),
        ("table-cell", "c2"),
    ]
    # everything outside the blocks is blank (newlines kept)
    outside = list(doc.text)
    for b in doc.blocks:
        outside[b.start:b.end] = " " * (b.end - b.start)
    assert set("".join(outside)) <= {" ", "\n"}
    assert doc.text.count("\n") == source.count("\n")


def test_markdown_masks_inline_syntax_in_place():
    source = "A *b* [c](http://d.org) `e` <i>f</i> g\\* &amp; h.\n"
    doc = markdown.parse("a.md", source)
    assert doc.text == "A  b   c                       f     g         h.\n"
    assert [source[s:e] for s, e in doc.links] == ["[c](http://d.org)"]


def test_markdown_directives_outside_code_only():
    source = (
        "<!-- one -->\n\nText <!-- two --> more.\n\n```\n<!-- three -->\n```\n\n"
        "`<!-- four -->` and\n\n    <!-- five -->\n"
    )
    doc = markdown.parse("a.md", source)
    assert [(d.start, d.end, d.body) for d in doc.directives] == [
        (0, 12, " one "),
        (19, 31, " two "),
    ]


def test_markdown_citations_and_footnotes_are_links():
    source = "Rates rose [1] and fell[^a] (Smith 2021).\n"
    doc = markdown.parse("a.md", source)
    assert [source[s:e] for s, e in doc.links] == ["[1]", "[^a]", "(Smith 2021)"]


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n",
        "\r\n\r\n",
        "---\n",
        "```\nunclosed fence vicious\n",
        "<!-- unclosed comment vicious\n",
        "[unclosed link](http://x.org\n",
        "| a |\n|---|\n",
        "> \n>\n",
        "*\n",
        "\ufeffBOM then text.\n",
        "Tab\tand\u00a0nbsp\u2028separator.\n",
    ],
)
@pytest.mark.parametrize("parser", [markdown, plain], ids=["markdown", "text"])
def test_length_contract_on_odd_input(parser, source):
    doc = parser.parse("x", source)
    assert len(doc.text) == len(source)
    for i, ch in enumerate(source):
        if ch in "\r\n":
            assert doc.text[i] == ch
        else:
            assert doc.text[i] in (ch, " ")


def test_unclosed_fence_and_comment_hide_the_rest():
    assert spans("```\nunclosed fence vicious\n") == []
    assert spans("<!-- unclosed comment vicious\n") == []
    assert spans("<!-- unclosed comment vicious\n", "doc.txt") == []


def test_parser_chosen_by_suffix():
    # in .txt backticks and link syntax are prose; in .md they are markup
    source = "`vicious` [x](http://y.org/chilling)\n"
    assert spans(source, "doc.txt") == [(1, 8, 1, 2, 1, 9, "vicious")]
    assert spans(source, "doc.md") == []
    assert spans(source, "doc.markdown") == []


def test_bare_urls_find_what_the_whole_pattern_finds():
    # bare_urls searches only the alternative (web or e-mail address) whose literal the range holds
    import random

    from rhetlint.parsers.common import BARE_URL, bare_urls

    rng = random.Random(3)
    pieces = ["http://", "https://x.org/a", "ftp://", "www.", "www.ex.com", "@", "a@b.co", "mail", ".", " ", "(", ")",
              "x", "-", "+", "é", "\n", "user.name+tag@example.org", "“", ",", "http://u@h.io", "WWW."]
    kinds = set()
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(10)))
        lo = rng.randrange(len(text) + 1)
        hi = rng.randrange(lo, len(text) + 1)
        expected = [m.span() for m in BARE_URL.finditer(text, lo, hi)]
        assert [m.span() for m in bare_urls(text, lo, hi)] == expected, (text, lo, hi)
        kinds.add(("@" in text[lo:hi], "://" in text[lo:hi] or "www." in text[lo:hi], bool(expected)))
    assert {(True, True, True), (True, False, True), (False, True, True), (False, False, False)} <= kinds


def test_citations_found_as_the_pattern_finds_them():
    # find_citations skips a range without "[" or "(" (every marker begins with one)
    import random

    from rhetlint.model import Span
    from rhetlint.parsers.common import CITATION, find_citations

    rng = random.Random(9)
    pieces = ["[", "]", "(", ")", "^", "1", "12", "note", "Smith", " 2021", ", ", "et al.", " and ", "x", " ",
              "[^a]", "(Smith 2019)", "[3]", "\n"]
    found = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(10)))
        lo = rng.randrange(len(text) + 1)
        hi = rng.randrange(lo, len(text) + 1)
        links: list[Span] = []
        find_citations(text, lo, hi, links)
        expected = [Span(*m.span()) for m in CITATION.finditer(text, lo, hi)]
        assert links == expected, (text, lo, hi)
        found += bool(expected)
    assert found > 1_000
