"""Exact masked text, blocks, links and directives of the Markdown parser.

These pin the behaviour the parser's fast paths rely on: markdown-it's block pass
alone (no inline pass) gives each block's lines, inline syntax is blanked step by
step on the block's own text, a step whose syntax characters the block lacks is
skipped, and block rules that cannot fire in a document are switched off.
"""

from __future__ import annotations

import pytest

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
