"""Exact masked text, blocks, links and directives of the Markdown parser.

These pin the behaviour the parser's fast paths rely on: markdown-it's block pass
alone (no inline pass) gives each block's lines, inline syntax is blanked step by
step on the block's own text, a step whose syntax characters the block lacks is
skipped, and block rules that cannot fire in a document are switched off.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rhetlint.model import Block, Directive, Span
from rhetlint.parsers import markdown

P, L, Q, C = "paragraph", "list-item", "blockquote", "table-cell"

CASES = {
    # no inline markup character at all: every step is skipped, the text is the source
    "plain": (
        "Plain words, no markup at all.\nSecond line here.\n",
        "Plain words, no markup at all.\nSecond line here.\n",
        [(P, 0, 48)], [], [],
    ),
    # leading and trailing white space of a line (a no-break space too) is blank
    "edge white space": (
        "  Indented lead\u00a0\nand trail  \n",
        "  Indented lead \nand trail  \n",
        [(P, 2, 26)], [], [],
    ),
    # a code span is blanked before links are looked for
    "code span hides a link": (
        "Code `[a](http://b.org)` then [c](http://d.org).\n",
        "Code                     then  c               .\n",
        [(P, 0, 48)], [(30, 47)], [],
    ),
    # the link pass repeats: the image's target is found once the outer brackets go
    "image inside link": (
        "[![alt](i.png)](http://u.org) after\n",
        "   alt                        after\n",
        [(P, 0, 35)], [(0, 29), (1, 14)], [],
    ),
    "mail, autolink, tag, directive": (
        "Mail a@b.org or <http://x.org> <b>bold</b> <!-- rhetlint-disable loaded.term --> x\n",
        "Mail         or                   bold                                           x\n",
        [(P, 0, 82)], [(5, 12), (16, 30)], [(43, 80, " rhetlint-disable loaded.term ")],
    ),
    "task items, escape, entity, www": (
        "- [x] done *now*\n- [ ] \\*not* &amp; www.x.com\n",
        "      done  now \n        not                 \n",
        [(L, 2, 16), (L, 19, 45)], [(36, 45)], [],
    ),
    "blockquote": (
        "> quoted _text_\n> more\n",
        "  quoted  text \n  more\n",
        [(Q, 2, 22)], [], [],
    ),
    "table with escaped pipe": (
        "| a \\| b | c |\n|---|---|\n| d | e |\n",
        "  a  | b   c  \n         \n  d   e  \n",
        [(C, 2, 8), (C, 11, 12), (C, 27, 28), (C, 31, 32)], [], [],
    ),
    "crlf paragraph": (
        "One *two*\r\nthree\r\n",
        "One  two \r\nthree\r\n",
        [(P, 0, 16)], [], [],
    ),
}


@pytest.mark.parametrize("source,text,blocks,links,directives", CASES.values(), ids=CASES.keys())
def test_exact_masking(source, text, blocks, links, directives):
    doc = markdown.parse("a.md", source)
    assert doc.text == text
    assert doc.blocks == tuple(Block(*b) for b in blocks)
    assert doc.links == tuple(Span(*s) for s in links)
    assert doc.directives == tuple(Directive(*d) for d in directives)


# -- block rules that cannot fire are off ------------------------------------

RULES = ("fence", "blockquote", "html_block", "heading", "list", "table", "hr", "lheading")

ON = {
    # a rule's construct after a container prefix (indentation, ">", list markers)
    "fence": ["```\nx\n```\n", "> - ~~~\n", "1.    ```\n"],
    "blockquote": ["> q\n", "- > q\n", "1) >q\n", "  *   > q\n"],
    "html_block": ["<div>\n", "> <!-- c -->\n", "- <p>\n"],
    "heading": ["# h\n", "> - ## h\n", "#\n", "######\tx\n", "1. ###"],
    "list": ["- a\n", ">* a\n", "123456789) a\n", "-\n", "> > 1.\ta\n"],
    "table": ["a | b\n--|--\n", "> |a|\n> |-|\n", "- x|y\n  :-|-:\n"],
    "hr": ["***\n", "- - -\n", "> _ _ _  \n", "- ***\n"],
    "lheading": ["a\n===\n", "a\n---\n", "> a\n> =\n", "- a\n  ---\n", "a\r---"],
}
OFF_EVERYWHERE = (
    "Prose with -, =, *, _, #, >, <, |, 1. and ``` inside lines: a - b = c > d.\n"
    "#hashtag and\n####### are not headings\n\n====\n"  # "=" under a blank line
)


@pytest.mark.parametrize("rule,source", [(r, s) for r in RULES for s in ON[r]])
def test_a_rule_that_can_fire_stays_on(rule, source):
    assert rule not in markdown._unused_rules(source)


def test_rules_whose_markers_sit_inside_lines_are_off():
    assert markdown._unused_rules(OFF_EVERYWHERE) == frozenset(RULES)


TRICKY = [
    OFF_EVERYWHERE,
    "Para\n- item\n\n  lazy\n1. one\n2) two\n> q\nlazy\n",
    "- a\n  - b\n    - c\n      - d\n       - e\n",
    "> - a\n>   b\n> ---\n> c\n> ===\n",
    "Title\n=====\nText - with dash -\nmore\n-- \n",
    "| a | b |\n|---|:-:|\n| c | d |\nafter\n\n- | x |\n  |---|\n",
    "1. x\n\n    code\n<div>\n*emph*\n</div>\n\n***\n_ _ _\n",
    "#5 is not a heading\n#\tbut this is\n####### not\n",
    "x\n\u2028\n   - y\n\t> z\n",
]


@pytest.mark.parametrize("source", TRICKY)
def test_disabling_unused_rules_keeps_the_block_tokens(source):
    def key(tokens):
        return [(t.type, t.tag, t.level, t.map, t.content, t.markup, t.info) for t in tokens]

    assert key(markdown._markdown(markdown._unused_rules(source)).parse(source)) == key(
        markdown._markdown().parse(source)
    )


def test_a_block_starting_inside_an_earlier_one_is_merged_into_it(monkeypatch):
    """markdown-it never gives this (inline tokens' lines are disjoint but for table
    rows); should it, the result is the old character-by-character one."""
    from markdown_it.token import Token

    class Stub:
        def parse(self, source):
            tokens = []
            for content, lines in [("x *a\n\nz* [d", [0, 3]), ("[c](u) *k", [1, 2]), ("w", [3, 4])]:
                inline = Token("inline", "", 0)
                inline.content, inline.map = content, lines
                tokens += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
            return tokens

    monkeypatch.setattr(markdown, "_markdown", lambda off=frozenset(): Stub())
    monkeypatch.setattr(markdown, "_plain_tokens", lambda source, off: None)  # the stub's tokens, always
    doc = markdown.parse("a.md", "x *a\n[c](u) *k\nz* [d\nw\n")
    assert doc.text == "x  a\n c      k\nz  [d\nw\n"
    assert doc.blocks == (Block(P, 0, 20), Block(P, 5, 14), Block(P, 21, 22))
    assert doc.links == (Span(5, 11),)


# The plain-prose path (`_plain_tokens`): markdown-it's tokens without markdown-it.
PLAIN_PIECES = ["# ", "## x", "###", "#######", "x #", " #", "#5", " ", "   ", "    ", "\n", "\n\n", "a", "Word.",
                "[", "]", "\u00a0", "\u2003", "\u2028", "\x85", "\t", "\r", "\x00", "*", "-", "=", "1.", ">", "<",
                "|", "`", "\ufeff", "<!-- x -->", "&amp;", "(", ")"]


LIST_PIECES = ["Word", "text.", "\n", "\n\n", " ", "  ", "- ", "* ", "+ ", "-", "*", "+", "1. ", "2) ", "# ", "## x",
               "1.", "3. ", "10) ", "===", "***", "___", "\n---\n", "\n1.\n", "\n2. x", "\n* * *\n", "\n==\n",
               "\n As", "\n  two", "\n   three", "\n  - x", "\n 1. x",
               "#tag", "x", "A", "é", "“q”", "[", "[x]: /u", "> ", "<b>", "`", "~~~", "|", "=", "_", "---", "* * *",
               "- - x", "- # h", "- 1. x", "-  two", "\u00a0", "- [ ] task", "(", "9", "]", "]:", ":", " /u", "[W]e",
               "[1] note", "\n[", "[a\nb]: /x"]


def _token_key(tokens):
    return [(t.type, t.map, t.content) for t in tokens if t.type in ("inline", "paragraph_open", "heading_open")]


def _stream_key(tokens):
    # every token's type, in order, with the lines and content `parse` reads (and the paragraphs' and headings' lines)
    return [(t.type, t.map if t.type in ("inline", "paragraph_open", "heading_open") else None,
             t.content if t.type == "inline" else None) for t in tokens]


@settings(max_examples=int(os.environ.get("RHETLINT_FUZZ_EXAMPLES", "400")), deadline=None, derandomize=True)
@given(st.one_of(st.lists(st.sampled_from(PLAIN_PIECES), max_size=24),
                 st.lists(st.sampled_from(LIST_PIECES), max_size=40)).map("".join))
def test_the_plain_path_gives_markdown_its_tokens(source):
    off = markdown._unused_rules(source)
    plain = markdown._plain_tokens(source, off)
    if plain is not None:
        assert _stream_key(plain) == _stream_key(markdown._markdown(off).parse(source))
        assert _stream_key(plain) == _stream_key(markdown._markdown().parse(source))


@pytest.mark.parametrize("source", [
    "Intro.\n* one\nruns on\n* two\n\nAfter.\n- dash item -\n+ plus\n# Head\n* three\n",
    "- a\n\n- b\n\nText\n\n* c\n",
    "# Title\n\nThe points:\n* PM faces elections\n* Says will counter\nMore text\n\nEnd.\n",
])
def test_simple_lists_are_read_without_markdown_it(source):
    plain = markdown._plain_tokens(source, markdown._unused_rules(source))
    assert plain is not None and _stream_key(plain) == _stream_key(markdown._markdown().parse(source))
    assert any(t.type == "list_item_open" for t in plain)


@pytest.mark.parametrize("source,expected", [
    ("# Title #\n\nOne line\n  two lines\n## Next ##x\n\n\n### ###\nEnd \u00a0\n", [
        ("heading_open", [0, 1], ""), ("inline", [0, 1], "Title"),
        ("paragraph_open", [2, 4], ""), ("inline", [2, 4], "One line\n  two lines"),
        ("heading_open", [4, 5], ""), ("inline", [4, 5], "Next ##x"),
        ("heading_open", [7, 8], ""), ("inline", [7, 8], ""),
        ("paragraph_open", [8, 9], ""), ("inline", [8, 9], "End"),
    ]),
    ("#hashtag\n####### seven\n \u00a0\nx", [
        ("paragraph_open", [0, 4], ""), ("inline", [0, 4], "#hashtag\n####### seven\n \u00a0\nx"),
    ]),
])
def test_plain_prose_is_read_without_markdown_it(source, expected):
    plain = markdown._plain_tokens(source, markdown._unused_rules(source))
    assert _token_key(plain) == expected
    assert _token_key(markdown._markdown().parse(source)) == expected


@pytest.mark.parametrize("source", [
    # thematic breaks and setext underlines ("---" under text is a heading, "***" a break)
    "Part one.\n***\nPart two\n---\nRest.\n\n---\n- - -\nLast\n===\n",
    # an item ends at a break; "===" and "--" under an item's text run on in it
    "- one\n===\n--\n---\n- two\n",
    # ordered lists: "1." ends a paragraph, another number runs on in it; "." and ")" make two lists
    "Steps:\n1. Ask\n2. Wait\n3) Again\n\nIn\n2016. That year\n1. One\n- a bullet\n",
    # an empty item runs on in a paragraph ("1." alone); "-" alone under text is an underline
    "The goals are simple.\n1.\nKeep the media happy\n2.\nAnd\n-\n",
    # a bracket line is prose where no text defines a link reference
    "- [And then] he said\n-Genesis 18:16\n",
    # an indented line of text runs on in an item (less the item's indentation) or a paragraph
    "* Yes, he should.\nMaybe?\n As the caravan nears\n   the border\n\nText\n  more text\n",
])
def test_breaks_setext_headings_and_ordered_lists_are_read_without_markdown_it(source):
    plain = markdown._plain_tokens(source, markdown._unused_rules(source))
    assert plain is not None
    assert _stream_key(plain) == _stream_key(markdown._markdown().parse(source))


@pytest.mark.parametrize("source", [
    "  - an indented list\n", "1.\n", "Text\n\n-\nx\n", "- a\n1.\n", "- [x]: /link-definition\n", "-  two spaces\n",
    "- a\n   ---\n", "- a\n\n  b\n", "- a\n  - b\n", "> quote\n", "text\n\n    code\n", "[x]: http://example.org\n",
    "a\ttab\n", "line\r\nbreak\n", "nul\x00\n", "<div>\n", "a\n\x85\n", "| a |\n|---|\n",
])
def test_anything_else_goes_to_markdown_it(source):
    assert markdown._plain_tokens(source, markdown._unused_rules(source)) is None


def test_the_plain_path_does_not_import_markdown_it(tmp_path):
    probe = ("import sys; from rhetlint.parsers import markdown; "
             "doc = markdown.parse('a.md', '# Title\\n\\nThe *vicious* plan, [link](http://x.org).\\n'); "
             "print(doc.text.replace(chr(10), '|'), doc.blocks[0].kind, 'markdown_it' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "  Title||The  vicious  plan,  link               .| heading False\n"


def test_blanking_keeps_line_breaks_only():
    assert markdown._blanked("\n\r\n\n") == "\n\r\n\n"
    assert markdown._blanked("a *b*\n\nc\r\nd") == "     \n\n \r\n "
    assert markdown._blanked("x y") == "   "
