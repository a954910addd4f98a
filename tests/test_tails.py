"""Tails: a pattern cut to begin where its required word does, and the starts they let a scan skip."""

from __future__ import annotations

import random

import pytest
import regex

from rhetlint import anchors, regexsource
from rhetlint.model import Block, Document, Span
from rhetlint.text import Context


def _items(source: str) -> list[tuple[str, str, int]]:
    tree = regexsource.items(source)
    assert tree is not None
    return [(source[i.start : i.end], i.kind, i.open) for i in tree.items]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a plain non-capturing group dissolves into the sequence, as in the standard parser's tree
        ("a(?:bc)d", [("a", "other", 0), ("b", "other", 1), ("c", "other", 1), ("d", "other", 0)]),
        (r"x(?:y(?P<g>K)z)w", [("x", "other", 0), ("y", "other", 1), ("(?P<g>K)", "group", 1),
                               ("z", "other", 1), ("w", "other", 0)]),
        # escapes, classes (a "]" first is a literal), named lists and quantifiers are single items
        (r"[\]a-z]+\L<name>\s{1,3}?\x27\p{Lu}\N{EM DASH}", [
            (r"[\]a-z]+", "repeat", 0), (r"\L<name>", "other", 0), (r"\s{1,3}?", "repeat", 0),
            (r"\x27", "other", 0), (r"\p{Lu}", "other", 0), (r"\N{EM DASH}", "other", 0)]),
        # a content with alternatives is one item; lookarounds and scoped flags are groups
        (r"(?<!x)(?i:a|b)(?=c)(?:d|e)", [("(?<!x)", "group", 0), ("(?i:a|b)", "group", 0), ("(?=c)", "group", 0),
                                         ("d|e", "alternation", 1)]),
        ("a|b(c)", [("a|b(c)", "alternation", 0)]),
    ],
)
def test_items_line_up_with_the_parser(source: str, expected: list[tuple[str, str, int]]) -> None:
    assert _items(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        r"(?x) a b", r"(?i)ab", r"a(?#note)b", r"(a)\1", r"(?P<n>a)(?P=n)", r"\g<1>", r"\Ga", r"a\Kb",
        r"(?(1)a|b)", r"(?|(a)|(b))", r"(*SKIP)a", r"a{1i<=2}", r"a{x}", r"{2}a", r"[[:alpha:]]", r"[a[b]]",
        r"(?V1:a)", r"(?x:a b)", r"a)", r"(a", r"\x2", r"(?R)",
    ],
)
def test_items_refuse_syntax_they_do_not_read(source: str) -> None:
    assert regexsource.items(source) is None


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        # entered groups become non-capturing (scoped flags kept), followed by what followed them
        (r"\b(?P<span>(?P<who>\w+\s+)(?P<noun>(?i:\L<n>|people))\s+said)\b",
         (1, 1, 0), r"(?:(?:(?i:\L<n>|people))\s+said)\b"),
        # a cut inside a dissolved group opens it again
        ("a(?:bc)d", (2,), "(?:c)d"),
        (r"x(?:y(?P<g>K)z)w", (2, 0), "(?:(?:K)z)w"),
        ("abc", (0,), "abc"),
    ],
)
def test_tail(source: str, path: tuple[int, ...], expected: str) -> None:
    tree = regexsource.items(source)
    assert tree is not None
    assert regexsource.tail(source, tree, path) == expected
    regex.compile(expected, n=["x"]) if r"\L<n>" in expected else regex.compile(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the required word begins at a named list inside groups
        (r"\b(?:(?:some|Old)\s+){0,3}(?P<noun>\L<nouns>)\s+(?:say|said)\b", r"(?:\L<nouns>)\s+(?:say|said)\b"),
        # ... at an alternation each of whose branches begins with one
        (r"\b(?:\w+\s+){0,2}(?P<n>(?i:experts|pundits))\s+say", r"(?:(?i:experts|pundits))\s+say"),
        # ... the last telling one ("warn" over the nouns)
        (r"\b(?:\w+\s+){0,2}(?P<n>(?i:experts|pundits))\s+warn", r"warn"),
        # none: the branches' most telling words lie further in ("close to"), not where they begin
        (r"\b(?:\w+\s+){0,2}(?:person\s+close\s+to|member\s+of\s+\w+|aide)\s+(?:is|was)\b", None),
        # ... at a literal word after whitespace
        (r"\ba\s+new\s+\w+\s+moment\b", r"moment\b"),
        # none: the word lies inside a repeat's later turns, or a back reference follows
        (r"\b(?:\w+\s+pundits\s+){1,3}say", None),
        (r"\b(\w+)\s+pundits\s+\1", None),
        # none: no telling word at all
        (r"\b\w+\s+\w+", None),
    ],
)
def test_required_tail(source: str, expected: str | None) -> None:
    assert anchors.required_tail(source, {"nouns": ["experts", "pundits"]}) == expected


def test_tail_marks_keeps_the_required_words_where_the_rest_matches(monkeypatch) -> None:
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    text = "Old experts say no. Old experts met. Some pundits said so."
    tail = regex.compile(r"(?:experts|pundits)\s+(?:say|said)\b")
    marks = [text.index("experts"), text.index("experts", 10), text.index("pundits")]
    starts = sorted({0, 4, 20, 24, 37, 42, *marks})
    assert anchors.tail_marks(tail, text, starts, marks, [(0, len(text))]) == [marks[0], marks[2]]
    # each mark is tried only up to the end of its window: "pundits said" does not fit in the first
    windows = [(0, text.index("said")), (text.index("said"), len(text))]
    assert anchors.tail_marks(tail, text, starts, marks, windows) == [marks[0]]
    # windows out of order or overlapping (a plugin parser's blocks): no cut
    assert anchors.tail_marks(tail, text, starts, marks, [(0, 30), (20, len(text))]) is None
    # more marks than half the starts: not worth a try each
    assert anchors.tail_marks(tail, text, starts[:5], marks, [(0, len(text))]) is None


_MODS = ["(?i:some|many)", r"\p{Lu}[\p{L}.]*", "the", r"(?i:a\s+few)"]
_NOUNS = [r"(?P<noun>\L<nouns>)", r"(?P<noun>(?i:\L<nouns>|people(?=\s+close)))", "(?:experts|pundits)",
          r"(?i:experts|pundits)", r"(?P<noun>\L<nouns>|people\s+close\s+to|member\s+of\s+\w+)"]
_ENDS = [r"\s+(?:say|said|warn)\b", r"(?:\s+(?:in|at)\s+\w+)?\s+(?:say|said)(?!\s+so)",
         r"\s*,?\s+(?:have\s+)?(?:long\s+)?(?:warned|said)\b(?!-)", r"\s+\w+",
         # nothing telling after the noun: the tail begins there
         r"\s+(?:are|were|have)\s+(?:\w+ly\s+)?(?!so\b)\w+", r"(?=\s*[,.])"]


def _random_pattern(rng: random.Random) -> str:
    space = rng.choice([r"\s+", r"[^\S\n]+"])
    who = rf"(?:(?:{rng.choice(_MODS)}|{rng.choice(_MODS)}){space}){{0,{rng.randrange(1, 4)}}}"
    body = who + rng.choice(_NOUNS) + rng.choice(_ENDS)
    wrap = rng.choice(["(?P<span>{})", "(?:{})", "{}", "(?P<span>(?P<who>{}))", "(?i:{})"])
    lead = rng.choice([r"\b", r"\b(?<!\b(?:of|by)\s)", r"(?<![\p{L}])"])
    return lead + wrap.format(body) + rng.choice(["", r"\b", "(?!-)"])


@pytest.mark.parametrize("seed", range(40))
def test_tails_leave_the_matches_unchanged(seed: int, monkeypatch) -> None:
    from rhetlint.kinds.common import finditer_in

    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)  # reach and tails cut from here on
    monkeypatch.setattr(anchors, "TAIL_MIN_RATIO", 0)  # a tail is tried whatever the counts
    rng = random.Random(seed)
    words = ["Some", "many", "Old", "U.S.", "the", "a few", "experts", "pundits", "people", "close", "say", "to",
             "member", "of",
             "said", "so", "warn", "warned", "have", "long", "in", "at", "Kyiv", "of", "by", "-", ".", "x", "are",
             "were", "quietly", ","]
    text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", ", ", "\u2003", "-"]) for _ in range(400))
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    lists = {"nouns": ["experts", "pundits"]}
    sources = [_random_pattern(rng) for _ in range(6)]
    patterns = []
    for source in sources:
        used = {k: v for k, v in lists.items() if f"<{k}>" in source}
        pattern = regex.compile(source, **used)
        anchors.register(pattern, source, used)
        patterns.append(pattern)
    ctx = Context(doc)
    # windows that end right after a verb too: a look-ahead there sees no further than the window
    verb_ends = [m.end() for m in regex.finditer(r"\b(?:say|said|warned|are)\b", text)]
    for pattern in patterns:
        cut = sorted(rng.sample(range(len(text)), 2) + rng.sample(verb_ends, 2))
        for windows in (None, [Span(cut[0], cut[1]), Span(cut[2], cut[3])]):
            got = [m.span() for m in finditer_in(pattern, text, windows, ctx)]
            full = [m.span() for w in (windows or [Span(0, len(text))]) for m in pattern.finditer(text, w.start, w.end)]
            assert got == full, (pattern.pattern, windows)


def test_the_random_patterns_have_tails() -> None:
    """The patterns above exercise tails: at the verb, and at the noun inside groups."""
    rng = random.Random(0)
    tails = [anchors.required_tail(_random_pattern(rng), {"nouns": ["experts", "pundits"]}) for _ in range(200)]
    assert sum(t is not None for t in tails) >= 50
    assert any(t is not None and t.startswith("(?:(?:") and "nouns" in t for t in tails)


def test_a_tail_sees_no_further_than_the_window(monkeypatch) -> None:
    from rhetlint.kinds.common import finditer_in

    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    monkeypatch.setattr(anchors, "TAIL_MIN_RATIO", 0)
    text = "Some Old experts said so. Old Some pundits say so, and Some experts said it."
    source = r"\b(?:(?:Some|Old)\s+){0,2}(?P<noun>\L<nouns>)\s+(?:say|said)(?!\s+so)"
    lists = {"nouns": ["experts", "pundits"]}
    pattern = regex.compile(source, **lists)
    anchors.register(pattern, source, lists)
    need = anchors.required(pattern)
    assert need is not None and need.tail is not None
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    ends = [m.end() for m in regex.finditer(r"\b(?:say|said)\b", text)]
    # cut right after each verb: there the look-ahead cannot see " so", and the pattern matches
    windows = [Span(0, ends[0]), Span(ends[0], ends[1]), Span(ends[1], len(text))]
    got = [text[a:b] for a, b in (m.span() for m in finditer_in(pattern, text, windows, Context(doc)))]
    assert got == ["Some Old experts said", "Old Some pundits say", "Some experts said"]
    whole = [text[a:b] for a, b in (m.span() for m in finditer_in(pattern, text, None, Context(doc)))]
    assert whole == ["Some experts said"]


def test_a_cached_tail_is_cut_again_when_the_cutting_code_changes(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from rhetlint import diskcache

    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(anchors, "_index", None)
    monkeypatch.setattr(anchors, "_keys", {})
    cut: list[str] = []
    real = anchors.required_tail
    monkeypatch.setattr(anchors, "required_tail", lambda *a: cut.append(a[0]) or real(*a))
    source = r"\b(?:some\s+|many\s+)?(?:experts|pundits)\s+(?:is|was)\b"

    def tail_of_a_fresh_process() -> str:
        for name, value in (("_cache", None), ("_pending", {}), ("_patterns", {}), ("_required_of", {})):
            monkeypatch.setattr(anchors, name, value)  # what a new process starts with: the file is read again
        pattern = regex.compile(source)
        anchors.register(pattern, source, {})
        need = anchors.required(pattern)
        assert need is not None and need.tail is not None
        return need.tail.pattern

    assert tail_of_a_fresh_process() == r"(?:experts|pundits)\s+(?:is|was)\b"
    assert tail_of_a_fresh_process() == r"(?:experts|pundits)\s+(?:is|was)\b" and len(cut) == 1  # from the file
    # rhetlint/regexsource.py changes (another digest of its source): the tail is cut afresh
    where = str(Path(anchors.__file__).with_name("regexsource.py"))
    monkeypatch.setitem(diskcache._sources, where, "another version")
    assert tail_of_a_fresh_process() == r"(?:experts|pundits)\s+(?:is|was)\b" and len(cut) == 2


@pytest.mark.parametrize("source", [r"\bsome \w+ \\pL experts say", r"\bsome \w+ \\L<ab> experts say",
                                    r"\bsome \w+ C:\\Program experts say"])
def test_an_escaped_backslash_before_p_or_l_is_a_literal(source: str, monkeypatch) -> None:
    # "\\pL" is a backslash and "pL", no property; the cut must land on the same item the parser's tree has
    from rhetlint.kinds.common import finditer_in

    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    monkeypatch.setattr(anchors, "TAIL_MIN_RATIO", 0)
    assert anchors.required_tail(source, {}) == "experts say"
    text = source.replace(r"\b", "").replace(r"\w+", "guy").replace("\\\\", "\\") + ". " * 2
    text = text + text
    pattern = regex.compile(source)
    anchors.register(pattern, source, {})
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    assert [m.span() for m in finditer_in(pattern, text, None, Context(doc))] == [m.span() for m in pattern.finditer(text)]
    assert len(list(pattern.finditer(text))) == 2


def test_a_tail_compiled_at_its_first_use_is_written_to_the_cache_at_once(tmp_path, monkeypatch) -> None:
    # a one-file run may write nothing after it lints: a tail compiled then must be saved
    # at once, or every such run compiles it again (no run compiles the tails it never tries)
    from rhetlint import recache

    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    for name, value in (("_cache", None), ("_pending", {}), ("_patterns", {}), ("_index", None),
                        ("_required_of", {}), ("_keys", {})):
        monkeypatch.setattr(anchors, name, value)
    monkeypatch.setattr(recache, "_compiled", {})
    monkeypatch.setattr(recache, "_lazies", {})
    monkeypatch.setattr(recache, "_patterns", recache.Store("patterns-test", max_entries=100, max_bytes=1 << 20))
    source = r"\b(?:some\s+|many\s+)?(?:experts|pundits)\s+(?:is|was)\b"
    pattern = regex.compile(source)
    anchors.register(pattern, source, {})
    need = anchors.required(pattern)  # the registrations are read: the tail is cut, not compiled
    assert need is not None and need.tail is not None
    path = recache._patterns.path()
    assert path is None or recache.pattern_key(need.tail.pattern, 0, {}) not in recache.Store._read(path)
    assert need.tail.compiled().match("experts was") is not None
    assert path is not None and recache.pattern_key(need.tail.pattern, 0, {}) in recache.Store._read(path)


_UNANCHORED = [
    # no literal begins them, but each match holds a word a bounded number of runs of whitespace on
    r"\b(?:[\w-]+['’]s|(?i:his|her))\s+(?:(?i:own)\s+)?(?:Waterloo|Vietnam)(?!\w)",
    r"(?<![\w-])\w+(?:\s+\w+)?\s+(?i:experts|pundits)\s+(?:say|said)\b",
    r"[\w.]+\s*,\s+(?:experts|pundits)(?:\s+\w+){0,2}",
]


@pytest.mark.parametrize("seed", range(30))
def test_a_pattern_without_an_anchor_is_tried_near_its_required_words(seed: int, monkeypatch) -> None:
    from rhetlint.kinds import common

    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)  # the near stretches are used from here on
    rng = random.Random(seed)
    words = ["Napoleon's", "the", "club’s", "his", "HER", "own", "Own", "Waterloo", "Vietnam", "Waterloos", "x-y's",
             "some", "many", "experts", "Pundits", "pundits", "say", "said", "sayings", ",", ".", "U.S.", "a", "b"]
    text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", ", ", "\u2003", "", "\t"]) for _ in range(300))
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    patterns = []
    for source in _UNANCHORED:
        pattern = regex.compile(source)
        anchors.register(pattern, source, {})
        patterns.append(pattern)
    ctx = Context(doc)
    tried_near = []
    real_near = anchors.near_marks
    monkeypatch.setattr(anchors, "near_marks", lambda *a: tried_near.append(a) or real_near(*a))
    for pattern in patterns:
        need = anchors.required(pattern)
        assert need is not None and need.reach is not None and anchors.start_prefixes(pattern.pattern) is None
        cut = sorted(rng.sample(range(len(text)), 4))
        for windows in (None, [Span(cut[0], cut[1]), Span(cut[2], cut[3])], [],
                        [Span(cut[2], cut[3]), Span(cut[0], cut[1])], [Span(cut[0], cut[3]), Span(cut[1], cut[2])]):
            got = [m.span() for m in common.finditer_in(pattern, text, windows, ctx)]
            full = [m.span() for w in (windows if windows is not None else [Span(0, len(text))])
                    for m in pattern.finditer(text, w.start, w.end)]
            assert got == full, (pattern.pattern, windows)
    assert tried_near


def test_near_marks_gives_up_where_the_stretches_cover_much_of_the_windows(monkeypatch) -> None:
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    text = "a b c Waterloo d e f g h i j k l m n o p q r s t u v w x y z Waterloo"
    first, second = text.index("Waterloo"), text.rindex("Waterloo")
    # two runs of whitespace back from each mark, through the mark's own first letter
    assert anchors.near_marks([first, second], text, 2, [(0, len(text))]) == [
        *range(text.index("b "), first + 1), *range(text.index("y "), second + 1)]
    assert anchors.near_marks([first], text, 2, [(first + 1, len(text))]) == []  # the mark lies outside the window
    assert anchors.near_marks([first, second], text, 12, [(0, len(text))]) is None  # most of the text: search it
    # windows out of order or overlapping (a plugin parser's blocks may be): the offsets would not
    # rise, and the windows are searched instead
    middle = len(text) // 2
    assert anchors.near_marks([first, second], text, 2, [(middle, len(text)), (0, middle)]) is None
    assert anchors.near_marks([first, second], text, 2, [(0, len(text)), (0, len(text))]) is None
    monkeypatch.setattr(anchors, "_scanned", 0)
    assert anchors.near_marks([first], text, 2, [(0, len(text))]) is None  # short texts are searched
