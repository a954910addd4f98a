"""Unit tests for the clause splitter (rhetlint.text.split_clauses)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rhetlint.model import Span
from rhetlint.text import split_clauses


def clauses(text: str) -> list[str]:
    return [text[s:e] for s, e in split_clauses(text, Span(0, len(text)))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no break: one clause
        ("The summit will take place on Monday.", ["The summit will take place on Monday."]),
        # bare commas (lists, parenthetical adverbs) do not split
        (
            "Rents, wages and prices will, in all likelihood, rise.",
            ["Rents, wages and prices will, in all likelihood, rise."],
        ),
        # comma + coordinating conjunction
        ("He has not yet decided, but it will lose.", ["He has not yet decided", "but it will lose."]),
        ("Prices rose, and the bank may act.", ["Prices rose", "and the bank may act."]),
        # "not yet", "a while", "as if", "even if" do not split
        ("For a while he will stay.", ["For a while he will stay."]),
        # leading subordinate clause ends at its first comma
        (
            "Unless he is deterred, he will keep fighting.",
            ["Unless he is deterred", "he will keep fighting."],
        ),
        (
            "While she may talk, she will never sign.",
            ["While she may talk", "she will never sign."],
        ),
        # nested: subordinate inside a subordinate, then the main clause
        (
            "While he may talk if terms favor him, he will never accept it.",
            ["While he may talk", "if terms favor him", "he will never accept it."],
        ),
        # a conjunction before the leading subordinator
        (
            "He acted as if he could not lose, and even if he wins, the party will split.",
            ["He acted as if he could not lose", "and even if he wins", "the party will split."],
        ),
        # bare subordinators
        ("He will lose because voters may stay home.", ["He will lose", "because voters may stay home."]),
        ("The reform will fail if the unions resist.", ["The reform will fail", "if the unions resist."]),
        ("She will fight until she wins.", ["She will fight", "until she wins."]),
        # non-restrictive relative clause closes at its comma
        (
            "The bill, which may pass, will never fix the deficit.",
            ["The bill", "which may pass", "will never fix the deficit."],
        ),
        # semicolons, colons, dashes and brackets
        ("Prices may rise; wages will not.", ["Prices may rise", "wages will not."]),
        ("One thing is clear: the plan will fail.", ["One thing is clear", "the plan will fail."]),
        ("Prices will rise — perhaps sharply — soon.", ["Prices will rise", "perhaps sharply", "soon."]),
        ("The plan will fail (it may not).", ["The plan will fail", "it may not", "."]),
        # quotations
        ('"It will never work," said Maria Lopez.', ["It will never work", "said Maria Lopez."]),
        ("“It will never work,” she said.", ["It will never work", "she said."]),
        ('Lopez said, "The plan will fail."', ["Lopez said", 'The plan will fail."']),
    ],
)
def test_split(text, expected):
    assert clauses(text) == expected


def test_offsets_inside_sentence():
    text = "Intro. Unless he is deterred, he will keep fighting. Outro."
    sentence = Span(7, 52)
    spans = split_clauses(text, sentence)
    assert [text[s:e] for s, e in spans] == ["Unless he is deterred", "he will keep fighting."]
    assert all(sentence.start <= s < e <= sentence.end for s, e in spans)


def test_context_clause_at():
    from rhetlint.parsers.text import parse
    from rhetlint.text import Context

    text = "Unless he is deterred, he will keep fighting. It may rain."
    ctx = Context(parse("doc.txt", text))
    clause = ctx.clause_at(text.index("will"))
    assert text[clause.start : clause.end] == "he will keep fighting."
    got = [text[s:e] for s, e in ctx.clauses(ctx.sentences[0])]
    assert got == ["Unless he is deterred", "he will keep fighting."]


_WORDS = ["if ", "but ", "which ", "unless ", "will ", "and "]
_TOKENS = st.sampled_from(list("ab ,;:—()\"“”'.?!") + _WORDS)


@given(st.lists(_TOKENS, min_size=1, max_size=40).map("".join))
def test_spans_are_ordered_nonempty_and_inside(text):
    spans = split_clauses(text, Span(0, len(text)))
    assert spans
    prev_end = 0
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert s >= prev_end
        prev_end = e
