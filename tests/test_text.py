"""Text geometry: line index, sentences, quotations and the Context rules receive."""

from __future__ import annotations

import pytest

from rhetlint.model import Span
from rhetlint.parsers import markdown
from rhetlint.parsers import text as plain
from rhetlint.text import Context, LineIndex, find_quotes, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def quotes(text: str) -> list[str]:
    return [text[s:e] for s, e in find_quotes(text, 0, len(text))]


# -- LineIndex -----------------------------------------------------------------


def test_line_index_lf_crlf_and_lone_cr():
    src = "ab\r\ncd\ref\ngh"
    idx = LineIndex(src)
    assert idx.starts == [0, 4, 7, 10]
    assert [idx.position(i) for i in range(len(src) + 1)] == [
        (1, 1), (1, 2), (1, 3), (1, 4),  # a b \r \n
        (2, 1), (2, 2), (2, 3),  # c d \r
        (3, 1), (3, 2), (3, 3),  # e f \n
        (4, 1), (4, 2), (4, 3),  # g h <end>
    ]


def test_line_index_counts_characters_not_bytes():
    src = "é😀x\nÿz"
    idx = LineIndex(src)
    assert idx.position(src.index("x")) == (1, 3)
    assert idx.position(src.index("z")) == (2, 2)


def test_line_index_blank_lines_and_trailing_newline():
    idx = LineIndex("\n\nx\n")
    assert idx.position(2) == (3, 1)
    assert idx.position(4) == (4, 1)


# -- sentences -------------------------------------------------------------------


def test_sentences_split_at_terminators():
    assert sentences("One two. Three four! Five? Six… Seven") == [
        "One two.", "Three four!", "Five?", "Six…", "Seven",
    ]


def test_sentences_keep_closing_quotes_and_brackets():
    assert sentences('He said "Stop." She left. (It rained.) Then calm.') == [
        'He said "Stop."', "She left.", "(It rained.)", "Then calm.",
    ]


def test_sentences_do_not_split_at_abbreviations_initials_or_decimals():
    assert sentences("Mr. Smith met Dr. Jones. J. R. Tolkien wrote. It cost 5.5 million. The U.S. agreed.") == [
        "Mr. Smith met Dr. Jones.", "J. R. Tolkien wrote.", "It cost 5.5 million.", "The U.S. agreed.",
    ]


def test_sentences_need_a_capital_or_digit_next():
    assert sentences("Rates fell. then rose. 2024 was calm.") == ["Rates fell. then rose.", "2024 was calm."]


def test_sentence_spans_are_trimmed_offsets_in_the_block():
    text = "xx  One.   Two.  yy"
    assert split_sentences(text, 2, 16) == [Span(4, 8), Span(11, 15)]


# -- quotations ----------------------------------------------------------------


def test_straight_double_quotes():
    assert quotes('He said "no deal" and "never" again.') == ['"no deal"', '"never"']


def test_curly_quotes_nested():
    text = "She wrote: “He called it ‘a disaster’ today.” Done."
    assert find_quotes(text, 0, len(text)) == [Span(11, 45), Span(25, 37)]
    assert quotes(text) == ["“He called it ‘a disaster’ today.”", "‘a disaster’"]


def test_straight_outer_curly_inner():
    assert quotes('He said "it is “fine” now" and left.') == ['"it is “fine” now"', "“fine”"]


def test_straight_single_quotes_and_apostrophes():
    assert quotes("It's the dog's 'bone' here.") == ["'bone'"]
    assert quotes("He said 'yes, it's true' and left.") == ["'yes, it's true'"]


def test_curly_apostrophes_are_not_quotes():
    assert quotes("Rock ’n’ roll, the dog’s ‘bone’.") == ["‘bone’"]


def test_guillemets_and_low_quotes():
    assert quotes("«Bonjour» dit-il, „Guten Tag“ sagte er.") == ["«Bonjour»", "„Guten Tag“"]


def test_unclosed_quote_runs_to_block_end():
    assert quotes('It said "never again, ever') == ['"never again, ever']


def test_inch_mark_does_not_open_a_quotation():
    # regression: 5'11" used to open a quote that swallowed the next one
    assert quotes('He is 5\'11" tall and "quoted" here.') == ['"quoted"']


# -- Context ---------------------------------------------------------------------


@pytest.fixture
def ctx():
    source = (
        "# A heading\n\nFirst one. Second “quoted ‘inner’ bit” here.\nThird on a new line.\n\n"
        "- Item sentence. See https://example.org/x now.\n"
    )
    return Context(markdown.parse("c.md", source))


def test_context_sentences_never_cross_blocks(ctx):
    assert [ctx.text[s:e] for s, e in ctx.sentences] == [
        "A heading",
        "First one.",
        "Second “quoted ‘inner’ bit” here.",
        "Third on a new line.",
        "Item sentence.",
        "See                       now.",
    ]


def test_context_sentence_at_and_next_sentence(ctx):
    second = ctx.source.index("Second")
    s = ctx.sentence_at(second + 3)
    assert ctx.source[s.start:s.end] == "Second “quoted ‘inner’ bit” here."
    nxt = ctx.next_sentence(second)
    assert ctx.source[nxt.start:nxt.end] == "Third on a new line."
    # the gap between blocks is not a sentence
    gap = ctx.source.index("\n\n")
    assert ctx.sentence_at(gap) == Span(gap, gap)
    assert ctx.sentence_index(gap) is None
    # the last sentence of the file has no next one
    assert ctx.next_sentence(ctx.source.index("now.")) is None


def test_next_sentence_stops_at_blank_line():
    doc = plain.parse("p.txt", "One here.\n\nTwo there.\n")
    ctx = Context(doc)
    assert ctx.next_sentence(0) is None


def test_context_quotes_and_quote_at_innermost(ctx):
    outer = ctx.source.index("“")
    inner = ctx.source.index("‘")
    assert ctx.quotes == (Span(outer, outer + 20), Span(inner, inner + 7))
    word = ctx.source.index("inner")
    assert ctx.quote_at(word, word + 5) == Span(inner, inner + 7)
    bit = ctx.source.index("bit")
    assert ctx.quote_at(bit, bit + 3) == Span(outer, outer + 20)
    assert ctx.quote_at(0, 3) is None


def test_is_reported_speech_needs_a_named_speaker():
    src = "“It was a disaster,” Maria Lopez said. “It was a disaster,” the paper said.\n"
    ctx = Context(plain.parse("q.txt", src))
    first, second = ctx.quotes
    assert ctx.is_reported_speech(first) is True
    assert ctx.is_reported_speech(second) is False


def test_links_in(ctx):
    url = ctx.source.index("https://")
    sentence = ctx.sentence_at(url)
    assert list(ctx.links_in(sentence)) == [Span(url, url + len("https://example.org/x"))]
    assert list(ctx.links_in(Span(0, 10))) == []


def test_a_combining_accent_is_part_of_the_word_before_a_period():
    # "cafe" + U+0301: the accent is a word character, so "s." is not read as an initial
    text = "They love cafe\u0301s. Critics say so."
    assert [text[s.start:s.end] for s in split_sentences(text, 0, len(text))] == [
        "They love cafe\u0301s.", "Critics say so."]


@pytest.mark.parametrize(("src", "expected"), [
    # a quotation that goes on after the named speaker's tag is theirs too
    ("“It was chilling,” said Eliot Hart. “The bosses are thugs.”\n", [True, True]),
    ("“We are devastated,” he said. “It was a vicious attack.”\n", [True, True]),
    # ... unless it has a tag of its own
    ("“It was a disaster,” Maria Lopez said. “It was a farce,” the paper said.\n", [True, False]),
    # a colon after a named person introduces their words, in the sentence or the next paragraph
    ("Eliot Hart was blunt: “The bosses are thugs.”\n", [True]),
    ("Carl Webb described the scene:\n\n“It was a vicious attack.”\n", [True]),
    ("The mood was grim: “The bosses are thugs.”\n", [False]),
    # a paragraph break ends the speaker's turn
    ("“It was chilling,” said Eliot Hart.\n\n“The bosses are thugs.”\n", [True, False]),
])
def test_reported_speech_carries_over_to_the_speakers_next_quotation(src, expected):
    ctx = Context(plain.parse("q.txt", src))
    assert [ctx.is_reported_speech(q) for q in ctx.quotes] == expected


@pytest.mark.parametrize(("src", "expected"), [
    # a new paragraph (blank line with spaces, CRLF) ends the speaker's turn
    ("“It was chilling,” said Eliot Hart.\r\n\r\n“The bosses are thugs.”\r\n", [True, False]),
    ("“It was chilling,” said Eliot Hart.\n \n“The bosses are thugs.”\n", [True, False]),
    # a quotation inside a carried-over quotation is the same speaker's
    ("“It was chilling,” said Eliot Hart. “The bosses are ‘thugs’ in suits.”\n", [True, True, True]),
    # an unclosed quotation mark does not carry a speaker over the writer's text
    ("“It was chilling,” said Eliot Hart. “The bosses are thugs and so on\n", [True, False]),
    # the colon rule wants the sentence to open with the name
    ("My advice to Joe Biden is simple: “Quit.”\n", [False]),
    ("Last Tuesday the council gave its verdict: “a shambles”\n", [False]),
    ("Carl Webb described the scene:\n\nThe room was silent. “Thugs” was the only word.\n", [False]),
])
def test_carry_over_stops_where_the_speaker_does(src, expected):
    ctx = Context(plain.parse("q.txt", src))
    assert [ctx.is_reported_speech(q) for q in ctx.quotes] == expected


def test_a_long_chain_of_quotations_does_not_recurse():
    items = "".join(f"- “Slogan {n}.”\n" for n in range(3000))
    src = "“Go,” said Eliot Hart.\n" + items.replace("\n- ", " ")  # one paragraph, 3,000 quotations
    ctx = Context(plain.parse("q.txt", src))
    assert ctx.is_reported_speech(ctx.quotes[-1]) is True


def test_word_before_a_period_as_the_regex_finds_it():
    # the ASCII loop of `_word_before` against `_WORD_BEFORE`, the regex it stands in for
    import random

    from rhetlint.text import _WORD_BEFORE, _word_before

    rng = random.Random(7)
    pieces = ["Mr", "U", ".", "S", "e", "g", "_", "9", " ", "(", ")", "]", "'", '"', "-", "Dr.", "etc", "é", "’", "\n"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        lo = rng.randrange(0, len(text) + 1)
        end = rng.randrange(lo, len(text) + 1)
        m = _WORD_BEFORE.search(text, lo, end)
        assert _word_before(text, lo, end) == (m.group(1) if m else None), (text, lo, end)
    assert _word_before("said Mr.", 0, 8) == "Mr."
    assert _word_before("the U.S.)", 0, 9) == "U.S."
    assert _word_before("a (x).", 0, 6) == "."


def test_abbreviation_check_reads_the_word_the_regex_finds():
    # `_is_abbreviation` reads ASCII words itself; the reference asks `_WORD_BEFORE` every time
    import random

    from rhetlint.text import _DOTTED, _WORD_BEFORE, ABBREVIATIONS, _is_abbreviation

    def reference(text: str, period: int) -> bool:
        m = _WORD_BEFORE.search(text, max(0, period - 20), period + 1)
        if not m:
            return False
        word = m.group(1).lower().rstrip(".")
        return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or bool(_DOTTED.fullmatch(word))

    rng = random.Random(11)
    pieces = ["Mr", "U", ".", "S", "e", "g", "_", "9", " ", "(", "'", "-", "approx", "Jan", "é", "cafe\u0301",
              "’", "“", "\n", "x" * 15, "i.e", "E.U."]
    checked = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        for period in (i for i, ch in enumerate(text) if ch == "."):
            assert _is_abbreviation(text, period) == reference(text, period), (text, period)
            checked += 1
    assert checked > 10_000
    assert _is_abbreviation("said Mr. Smith", 7) and _is_abbreviation("the U.S. Army", 7)
    assert not _is_abbreviation("They love cafe\u0301s. Critics", 20)


def _reference_place(ctx: Context, offset: int) -> tuple[Span, Span | None]:
    """sentence_at and next_sentence as they were: from the list of all sentences."""
    spans = ctx.sentences
    i = ctx.sentence_index(offset)
    if i is None:
        return Span(offset, offset), None
    if i + 1 >= len(spans):
        return spans[i], None
    gap = ctx.text[spans[i].end : spans[i + 1].start]
    return spans[i], spans[i + 1] if gap.count("\n") < 2 else None


@pytest.mark.parametrize("source", [
    "# Title\nFirst line. Second one.\n\n- item one. More.\n- item two\n\n> Quoted. Still.\n\nLast. End.\n",
    "A heading\n=========\nText right under it. And more.\n\n\n\nFar below.",
    "One.\n\n<!-- a comment -->\n\nTwo after a comment. Three.\n",
    "Text only. No blocks after it",
    # the middle item is code only: a block masked to spaces, with no sentence, which next_sentence steps over
    "One.\n- `code`\n- Two.\n",
    "One.\n- `code`\n- `more`\n- Two. Three.\n\n- `last`\n",
])
def test_sentences_split_per_block_agree_with_the_whole_list(source):
    """Each offset's sentence and next sentence, split block by block, match the whole-document split."""
    for parse in (markdown.parse, plain.parse):
        doc = parse("d.md", source)
        reference = Context(doc)
        for offset in range(len(source) + 1):
            lazy = Context(doc)  # fresh: only the blocks this offset needs are split
            assert (lazy.sentence_at(offset), lazy.next_sentence(offset)) == _reference_place(reference, offset)
            assert "sentences" not in vars(lazy)  # the whole list was never built


def test_sentences_of_overlapping_blocks_come_from_the_whole_list():
    # a plugin parser's blocks are only promised in source order: overlapping ones take the old way
    from rhetlint.model import Block, Document

    text = "First one. Second one. Third one."
    doc = Document("d.txt", text, text, (Block("paragraph", 2, 24), Block("paragraph", 16, 26)))
    ctx = Context(doc)
    reference = Context(doc)
    for offset in range(len(text) + 1):
        assert (ctx.sentence_at(offset), ctx.next_sentence(offset)) == _reference_place(reference, offset)


def test_scans_written_for_speed_match_their_plain_forms():
    # `re` skips to a leading character class in C: the scans below are written to begin with one
    import random
    import re

    from rhetlint import text as T

    plain_hint = re.compile(rf"\b(?:{T.SPEECH_VERBS}|according to)\b")
    plain_end = re.compile(T._SENTENCE_END.pattern.replace("[.!?…][.!?…]*", "[.!?…]+", 1))
    assert plain_end.pattern != T._SENTENCE_END.pattern
    rng = random.Random(4)
    pieces = ["said", "says", "he ", "x", "according to", "accordingly", "_", "1", "é", " ", "told", "resaid",
              "put it", "S", "\n", "called", ".", "!?", "…", "”", ") ", " “A", "Mr. B", "\u2028"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(10)))
        lo = rng.randrange(len(text) + 1)
        hi = rng.randrange(lo, len(text) + 1)
        for fast, plain in ((T._SPEECH_HINT, plain_hint), (T._SENTENCE_END, plain_end)):
            assert [(m.span(), m.groups()) for m in fast.finditer(text, lo, hi)] == [
                (m.span(), m.groups()) for m in plain.finditer(text, lo, hi)], (text, lo, hi)
