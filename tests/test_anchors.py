"""Start anchors: the prefixes a pattern can begin with, and anchored scans equal to full scans."""

from __future__ import annotations

import marshal
import random
import re

import pytest
import regex

from rhetlint import anchors, diskcache
from rhetlint.anchors import UPPER, AnchorIndex, start_prefixes
from rhetlint.kinds.common import _anchored
from rhetlint.model import Span


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # \b makes every prefix begin a word; a prefix ends after its first non-word character,
        # unless the word is one of the most common ("will"): then it goes on into the next
        (r"\b(?:will|shall|won['’]t)\s+never", {("will nev", True), ("shall ", True), ("won'", True), ("won’", True)}),
        # eight characters at most; case is folded
        (r"\b(?i:Compar(?:e|es|ed|ing))\s+", {("comparin", True), ("compare ", True), ("compares", True), ("compared", True)}),
        # no \b: the prefix may start inside a word
        (r"(?:will|['’]ll)\s", {("will ", False), ("'ll ", False), ("’ll ", False)}),
        # a lookbehind for a non-word character also means a word start
        (r"(?<=[,\"”]\s*)said", {("said", True)}),
        (r"(?<![\w-])Stalin", {("stalin", True)}),
        # so does a lookbehind class holding every letter
        (r"(?<![\p{L}'’])(?i:it)\s+is", {("it is", True)}),
        # but not a negated one: (?<![^\w]) is "after a word character"
        (r"(?<![^\w])ing\b", {("ing", False)}),
        # a capital letter at a word start
        (r"\b\p{Lu}\w+ said", {(UPPER, True)}),
        # named lists give their entries
        (r"\b(?:\L<who>)\s+say", {("experts ", True), ("critics ", True)}),
        # optional starts: both ways
        # after "the", "a", "is" ... a prefix goes on into the next word
        (r"\b(?:a\s+)?new\s+deal", {("a new ", True), ("new ", True)}),
        (r"\b(?:the|a)\s+new", {("the new", True), ("a new", True)}),
        # regex's own group syntax: a name used in two alternatives, and (?<name>...)
        (r"\b(?P<span>likened)\s+to|\b(?P<span>equated)\s+with", {("likened ", True), ("equated ", True)}),
        (r"\b(?<who>cited|quoted)\s+by", {("cited ", True), ("quoted ", True)}),
        # but an escaped "(" before "?<" is a literal: "<b>" after an optional "("
        (r"\(?<b>bold", {("<b>", False), ("(<", False)}),
        # (?!) never holds: a way through it adds no prefix (and an empty one no longer spoils the rest)
        (r"(?:\b(?i:a)\s+)?(?<![\w-])(?:Munich|(?!))\s+moment", {("a munich", True), ("munich ", True)}),
    ],
)
def test_start_prefixes(pattern: str, expected: set[tuple[str, bool]]) -> None:
    assert start_prefixes(pattern, {"who": ["experts", "Critics"]}) == frozenset(expected)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+ly said",  # an open class first
        r"(?:[A-Za-z]+)\s+said",
        r"(?:x)?",  # may match the empty string
        r"\p{Ll}+ing",  # a property other than \p{Lu}
        r"[\p{Lu}]x",  # \p{Lu} inside a class is an open class
    ],
)
def test_unanchored(pattern: str) -> None:
    assert start_prefixes(pattern, {}) is None


def _full(pattern: regex.Pattern[str], text: str, windows: list[Span]) -> list[tuple[int, int]]:
    return [m.span() for w in windows for m in pattern.finditer(text, w.start, w.end)]


PATTERNS = [
    r"\b(?:will|won['’]t|['’]ll)\s+(?:never|always)\b",
    r"(?<![\w-])(?:Stalin|Hitler)(?:['’]s)?\s+\w+",
    r"\b\p{Lu}[\p{L}.\-]*\s+(?:officials|experts)\s+(?:say|said)",
    r"(?:won|['’]s)\s+\w+",
    r"(?<=[,\"”]\s*)(?:said|says)\s+(?:officials|critics)",
    r"\ba\s+(?:new|modern)\s+\w+",
    r"aa|ab",
    r"\b(?P<s>new)\s+\w+|(?<=, )(?P<s>modern)\s+\w+",
    r"(?:\ba\s+)?(?:Stalin|(?!))\s+\w+",
]
WORDS = ("will won't 'll never always Stalin Hitler's new modern a officials experts say said "
         "critics , \" ” Big The x aaa ab won's").split()


@pytest.mark.parametrize("seed", range(40))
def test_anchored_scan_equals_finditer(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(WORDS) + rng.choice([" ", "  ", "\n", "", ", "]) for _ in range(400))
    compiled = [regex.compile(p) for p in PATTERNS]
    prefixes = {c: start_prefixes(p, {}) for c, p in zip(compiled, PATTERNS)}
    assert all(prefixes.values()), prefixes
    starts = AnchorIndex(prefixes).scan(text)
    cut = sorted(rng.sample(range(len(text)), 6))
    windows = [Span(0, len(text))] if seed % 2 else [Span(cut[0], cut[1]), Span(cut[2], cut[3]), Span(cut[4], cut[5])]
    for c in compiled:
        got = [m.span() for m in _anchored(c, text, windows, starts.get(c))]
        assert got == _full(c, text, windows), c.pattern


def test_index_is_rebuilt_after_a_registration() -> None:
    before = anchors.index()
    pattern = regex.compile(r"\bzyxwv\w+")
    anchors.register(pattern, pattern.pattern, {})
    after = anchors.index()
    assert after is not before
    assert after.scan("a zyxwvut b").get(pattern) == [2]


def test_prefix_cache_round_trip_and_broken_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(anchors, "_cache", None)
    monkeypatch.setattr(anchors, "_pending", {})
    monkeypatch.setattr(anchors, "_patterns", {})
    monkeypatch.setattr(anchors, "_index", None)
    one = regex.compile(r"\b\L<w>\s+said", w={"pundits"})
    anchors.register(one, r"\b\L<w>\s+said", {"w": ["pundits"]})
    assert anchors.anchored(one)
    path = anchors._cache_path()
    assert path is not None and path.is_file()
    # a new process reads the prefixes from the file; a changed lexicon is a new entry
    monkeypatch.setattr(anchors, "_cache", None)
    cached = anchors._load_cache()
    assert anchors._pack(frozenset({("pundits ", True)})) in cached.values()
    other = regex.compile(r"\b\L<w>\s+said", w={"seers"})
    anchors.register(other, r"\b\L<w>\s+said", {"w": ["seers"]})
    assert anchors.index().scan("the seers said").get(other) == [4]
    # a broken file is ignored (and replaced)
    path.write_bytes(b"not a pickle")
    monkeypatch.setattr(anchors, "_cache", None)
    assert anchors._load_cache() == {}


def test_index_snapshot_round_trip(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    for name, value in (("_cache", None), ("_pending", {}), ("_patterns", {}), ("_keys", {}), ("_index", None),
                        ("_required_of", {}), ("_snapshots", None)):
        monkeypatch.setattr(anchors, name, value)
    one = regex.compile(r"\b(?:experts|critics)\s+say")
    two = regex.compile(r"\b\p{Lu}\w+\s+said")
    for p in (one, two):
        anchors.register(p, p.pattern, {})
    text = "Critics say, Experts say. Jones said so."
    first = anchors.index().scan(text)
    expected = {p: first.get(p) for p in (one, two)}
    assert expected == {one: [0, 13], two: [0, 13, 26]}
    # a new process: the index comes from its snapshot, nothing is unpacked or sorted again
    monkeypatch.setattr(anchors, "_snapshots", None)
    monkeypatch.setattr(anchors, "_index", None)

    def refuse(*a, **k):
        raise AssertionError("rebuilt")

    built = anchors.AnchorIndex.__init__
    monkeypatch.setattr(anchors.AnchorIndex, "__init__", refuse)
    again = anchors.index().scan(text)
    assert {p: again.get(p) for p in (one, two)} == expected
    # a damaged snapshot (a position past the patterns, or not marshal data) is built afresh, and replaced
    rebuilt = []

    def count(self, patterns):
        rebuilt.append(1)
        built(self, patterns)

    monkeypatch.setattr(anchors.AnchorIndex, "__init__", count)
    [key] = [k for k in anchors._snapshots.stored if not k.endswith(":tries")]
    sound = anchors._snapshots.get(key)
    assert marshal.loads(diskcache.unseal(sound)) == anchors.index().owners
    # damage: a table of the wrong shape, bytes that are no marshal data, a changed byte, a cut
    # entry, an entry without its seal, an empty one
    damaged = [marshal.dumps({"\1crit": (7,)}), b"\xff not marshal", sound[:70] + bytes([sound[70] ^ 1]) + sound[71:],
               sound[:-3], sound[diskcache._SEAL:], b""]
    for damage in damaged:
        anchors._snapshots.added.pop(key, None)
        anchors._snapshots.stored[key] = (0, damage)
        monkeypatch.setattr(anchors, "_index", None)
        fresh = anchors.index().scan(text)
        assert {p: fresh.get(p) for p in (one, two)} == expected
        assert marshal.loads(diskcache.unseal(anchors._snapshots.get(key))) == anchors.index().owners
    assert len(rebuilt) == len(damaged)
    # the tries' sources are kept too: a new process compiles them without rendering
    anchors.index().compile()
    monkeypatch.setattr(anchors, "_snapshots", None)
    monkeypatch.setattr(anchors, "_index", None)
    monkeypatch.setattr(anchors, "_trie", refuse)
    monkeypatch.setattr(anchors, "SMALL_SCAN", 0)  # the compiled tries, not the lookups
    tried = anchors.index().scan(text)
    assert anchors.index()._compiled is not None
    assert {p: tried.get(p) for p in (one, two)} == expected


def test_no_cache_env(monkeypatch) -> None:
    monkeypatch.setenv("RHETLINT_NO_CACHE", "1")
    assert anchors._cache_path() is None


def test_case_equivalents_that_lower_misses_fall_back_to_ignorecase() -> None:
    # IGNORECASE equates the long s with "s" and the dotless ı with "i", but lower() keeps them:
    # the scan must still see "ſaid" and "aſſeſſ" where a pattern would match them
    pattern = regex.compile(r"(?i)\bsaid\b")
    index = AnchorIndex({pattern: start_prefixes(pattern.pattern, {})})
    text = "they ſaid so; İstanbul said"
    starts = index.scan(text).get(pattern)
    assert [m.span() for m in _anchored(pattern, text, [Span(0, len(text))], starts)] == \
        [m.span() for m in pattern.finditer(text)] == [(5, 9), (23, 27)]


def _same_as_finditer(source: str, text: str, flags: int = 0, lists: dict | None = None) -> list[tuple[int, int]]:
    """Run the anchored scan (both the lookup and the trie path) and check it against finditer."""
    lists = lists or {}
    used = {k: set(v) for k, v in lists.items() if f"\\L<{k}>" in source}
    lists = {k: v for k, v in lists.items() if k in used}
    pattern = regex.compile(source, flags, **used)
    full = [m.span() for m in pattern.finditer(text)]
    prefixes = start_prefixes(source, lists, flags)
    if prefixes is None:
        return full
    for small in (True, False):
        index = AnchorIndex({pattern: prefixes})
        anchors._scanned = 0 if small else 10**9
        got = [m.span() for m in _anchored(pattern, text, [Span(0, len(text))], index.scan(text).get(pattern))]
        assert got == full, (source, text, small)
    return full


@pytest.mark.parametrize(
    ("source", "text", "flags", "expected"),
    [
        # a prefix with a dotless ı must not disturb the folding of plain i (and the reverse)
        (r"\bKılıçdaroğlu\b|\bsaid\b", "Kılıçdaroğlu said, KILIÇDAROĞLU said", regex.IGNORECASE,
         [(0, 12), (13, 17), (19, 31), (32, 36)]),
        (r"(?i)\bin\b", "İn here", 0, [(0, 2)]),
        (r"\bİstanbul", "İstanbul", 0, [(0, 8)]),
        # a word after a numeral that regex does not count as a word character
        (r"\bthe\b", "½the x²the", 0, [(1, 4), (7, 10)]),
        # \p{..} in a lookbehind is not a word boundary
        (r"(?<![\p{L}])It\s+is", "2It is", 0, [(1, 6)]),
        # Ⅻ is a word character to regex but no letter: (?<![\p{L}]) may begin after it
        (r"(?<![\p{L}])the", "Ⅻthe ½the xthe", 0, [(1, 4), (6, 9)]),
        # named lists and \p{Lu} in a lookbehind may be word characters
        (r"(?<=\p{Lu})s\b", "CEOs", 0, [(3, 4)]),
        (r"(?<=\L<pre>)war", "postwar", 0, [(4, 7)]),
        # (?i)\p{Lu} is any letter
        (r"(?i)\b\p{Lu}\w+ said", "jones said", 0, [(0, 10)]),
        # two whitespace items are one run
        (r"\bit\s\s+was", "it  was", 0, [(0, 7)]),
        # a free prefix that begins with whitespace
        (r"[ \t]foo", "a\tfoo", 0, [(1, 5)]),
        # regex-only syntax the stdlib parser would misread: no anchor, a full scan
        (r"\b[[:alpha:]]+ing", "running", 0, [(0, 7)]),
        (r"\b(?:foo){e<=1}", "fox", 0, [(0, 3)]),
    ],
)
def test_anchored_scan_edge_cases(source: str, text: str, flags: int, expected: list) -> None:
    assert _same_as_finditer(source, text, flags, {"pre": ["post"]}) == expected


def test_an_empty_prefilter_means_nothing_is_scanned(tmp_path) -> None:
    from rhetlint.api import lint_text

    rules = tmp_path / "house" / "style"
    rules.mkdir(parents=True)
    (rules / "cuts.yml").write_text(
        "kind: pattern\nmessage: cuts\nprefilter: {patterns: ['budget']}\npatterns: ['\\bcuts\\b']\n"
        "examples:\n  flag: ['The budget [[cuts]] hurt.']\n  pass: ['The cuts hurt.']\n", encoding="utf-8")
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n", encoding="utf-8")
    config = tmp_path / ".rhetlint.yml"
    assert [f.rule for f in lint_text("The cuts hurt everyone.", "a.txt", config) if f.rule == "style.cuts"] == []
    assert [f.start for f in lint_text("The budget cuts hurt.", "a.txt", config) if f.rule == "style.cuts"] == [11]


def test_prefilter_contains_lets_matches_begin_only_up_to_a_hit(tmp_path) -> None:
    from rhetlint.api import lint_text

    rules = tmp_path / "house" / "style"
    rules.mkdir(parents=True)

    def rule(name: str, prefilter: str, pattern: str) -> None:
        (rules / f"{name}.yml").write_text(
            f"kind: pattern\nmessage: m\nprefilter: {prefilter}\npatterns: ['{pattern}']\n"
            "examples:\n  flag: ['He [[said budget cuts]] hurt.']\n  pass: ['The cuts hurt.']\n", encoding="utf-8")

    # every match holds "budget": it may begin anywhere up to the hit, however far ahead
    # (masked markup and spaces make long runs)
    rule("cuts", "{patterns: ['budget'], radius: 400, contains: true}", "\\bsaid\\s+(?:\\w+\\s+)*?budget\\s+cuts\\b")
    # without the promise a prefilter only picks the windows: "cuts" after the word still counts
    rule("after", "{patterns: ['budget']}", "\\bcuts\\b")
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n", encoding="utf-8")
    config = tmp_path / ".rhetlint.yml"

    def found(text: str, rid: str) -> list[tuple[int, int]]:
        return [(f.start, f.end) for f in lint_text(text, "a.txt", config) if f.rule == rid]

    assert found("He said" + " " * 200 + "the budget cuts hurt.", "style.cuts") == [(3, 222)]
    assert found("Budget talk. He said the budget cuts; she said the budget cuts.", "style.cuts") == [(16, 36), (42, 62)]
    assert found("The budget cuts hurt.", "style.after") == [(11, 15)]


@pytest.mark.parametrize("seed", range(30))
def test_prefilter_begins_end_at_the_furthest_hit_of_each_window(seed: int, monkeypatch) -> None:
    from types import SimpleNamespace

    from rhetlint.kinds.common import Prefilter
    from rhetlint.model import Block, RuleSpec

    rng = random.Random(seed)
    blocks = [Block("paragraph", a, a + 90) for a in range(0, 1000, 100)]
    prefilter = Prefilter(RuleSpec("t.x", "t.yml", {}, {}), {"patterns": ["a"], "radius": rng.choice([3, 20]),
                                                                  "contains": True})
    hits = []
    for _ in range(rng.randrange(1, 25)):
        i = rng.randrange(len(blocks))
        start = rng.randrange(blocks[i].start, blocks[i].end)
        hits.append((i, start, start + rng.choice([1, 4, 30])))  # some run past their block's end
    monkeypatch.setattr(prefilter, "_hits", lambda ctx: hits)
    windows, begins = prefilter.regions(SimpleNamespace(document=SimpleNamespace(blocks=blocks)))
    expected = []
    for w in windows:
        inside = [me for _, ms, me in hits if w.start <= ms < w.end]
        if inside:
            expected.append(Span(w.start, min(w.end, max(inside))))
    assert begins == expected


def test_lazy_patterns_copy_and_pickle() -> None:
    import copy
    import pickle

    from rhetlint import recache

    lazy = recache.LazyPattern(r"ab+", 0, {})
    assert copy.copy(lazy).match("abb").span() == (0, 3)
    assert pickle.loads(pickle.dumps(lazy)).match("abb").span() == (0, 3)


@pytest.mark.parametrize("seed", range(30))
def test_local_starts_equal_finditer_in_windows(seed: int, monkeypatch) -> None:
    # window-only patterns (exceptions) find their starts in the window alone
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)  # a process past its first short texts
    rng = random.Random(seed)
    words = [*WORDS, "Ⅻ", "½the", "İt", "ſaid"]
    text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "", ", ", "\t\t  "]) for _ in range(300))
    low = anchors.fold(text)
    after = anchors._after_numerals(text)
    for source in [*PATTERNS, r"(?<![\p{L}])(?:the|said)\s+\w", r"(?i)s[ae]id\s+\w+"]:
        pattern = regex.compile(source)
        anchors.register(pattern, source, {}, 0, local=True)
        assert not anchors.anchored(pattern)  # never in the document scan
        for _ in range(8):
            lo = rng.randrange(len(text))
            hi = min(len(text), lo + rng.randrange(1, 200))
            starts = anchors.local_starts(pattern, text, low, lo, hi, after)
            assert starts is not None and starts == sorted(starts) and all(lo <= s < hi for s in starts)
            got = [m.span() for m in anchors.iter_matches(pattern, text, [(lo, hi)], starts)]
            assert got == [m.span() for m in pattern.finditer(text, lo, hi)], (source, lo, hi)


def test_local_starts_wait_until_a_process_has_scanned_enough(monkeypatch) -> None:
    # compiling a window-only pattern's scans costs a short text more than trying every position
    source = r"\bwidgetry\s+\w+"
    pattern = regex.compile(source)
    anchors.register(pattern, source, {}, 0, local=True)
    text = "a widgetry here"
    monkeypatch.setattr(anchors, "_scanned", 100)
    assert anchors.local_starts(pattern, text, text, 0, len(text), []) is None
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    assert anchors.local_starts(pattern, text, text, 0, len(text), []) == [2]
    monkeypatch.setattr(anchors, "_scanned", 100)  # once compiled, they serve short texts too
    assert anchors.local_starts(pattern, text, text, 0, len(text), []) == [2]


def test_local_scan_sources_come_from_the_cache(tmp_path, monkeypatch) -> None:
    # a window-only pattern's scans are rendered once; a later process reads their sources
    import marshal

    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(anchors, "_local_sources", None)
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    prefixes = frozenset({("said", True), ("’s", False), (anchors.UPPER, True)})
    text = "He said Tom’s said"
    low = anchors.fold(text)
    first = anchors.LocalAnchor(prefixes)
    expected = first.starts(text, low, 0, len(text), [])
    assert expected == [0, 3, 8, 11, 14]
    rendered = first._sources()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("local-tries")]  # saved at once
    monkeypatch.setattr(anchors, "_local_sources", None)

    def refuse(*a, **k):
        raise AssertionError("rendered again")

    render = anchors._trie
    monkeypatch.setattr(anchors, "_trie", refuse)
    again = anchors.LocalAnchor(prefixes)
    assert again._sources() == rendered
    assert again.starts(text, low, 0, len(text), []) == expected
    # a damaged entry is rendered afresh and replaced
    monkeypatch.setattr(anchors, "_trie", render)
    [key] = anchors._local_sources.stored
    sound = anchors._local_sources.stored[key][1]
    changed = sound.replace(b"said", b"sail")  # still marshal data of the right shape: the seal tells
    assert changed != sound and marshal.loads(changed[diskcache._SEAL:])[0] != rendered[0]
    for damage in (marshal.dumps(("x", None)), diskcache.seal(marshal.dumps((1, None, None))), b"\xff not marshal",
                   changed):
        anchors._local_sources.added.pop(key, None)
        anchors._local_sources.stored[key] = (0, damage)
        assert anchors.LocalAnchor(prefixes)._sources() == rendered
        assert marshal.loads(diskcache.unseal(anchors._local_sources.get(key))) == rendered


def test_compiled_code_cache(tmp_path, monkeypatch) -> None:
    # tries are compiled once; later processes hand the cached code to _sre
    from re import _parser

    from rhetlint import recache

    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(anchors, "_compiled_code", {})
    monkeypatch.setattr(anchors, "_code_store", None)
    source = r"(?<![^\W\d_])(?:said|sa(?:ys|w)|\s+x)"
    first = anchors.compile_cached(source)
    anchors._code_store.save()
    text = "she said, he says; I saw x  x"
    expected = [m.span() for m in re.finditer(source, text)]
    assert [m.span() for m in first.finditer(text)] == expected
    # a new process: the code comes from the file, no parsing
    monkeypatch.setattr(anchors, "_compiled_code", {})
    monkeypatch.setattr(anchors, "_code_store", None)

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(_parser, "parse", no_parse)
    again = anchors.compile_cached(source)
    assert again is not first and [m.span() for m in again.finditer(text)] == expected
    # a damaged entry is compiled afresh
    monkeypatch.undo()
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(anchors, "_compiled_code", {})
    store = recache.Store("re-code", max_entries=40, max_bytes=1 << 20)
    key = next(iter(store._bind()))
    store.put(key, b"\x00garbage")
    store.save()
    monkeypatch.setattr(anchors, "_code_store", None)
    fresh = anchors.compile_cached(source)
    assert [m.span() for m in fresh.finditer(text)] == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # a word later in the pattern, after whitespace: what the anchors ("a new") cannot ask for
        (r"\ba\s+new\s+\w+\s+(?:moment|playbook)\b", {"moment", "playbook"}),
        # after a non-word class ("[-‐]style"); an optional part ending in whitespace keeps it a word start
        (r"\b\w+[-‐](?i:style|esque)\b", {"style", "esque"}),
        (r"\bis\s+(?:\w+ly\s+)?(?:inevitable|doomed)\b", {"inevitab", "doomed"}),
        # whitespace inside a required phrase is one space; prefixes are cut to eight characters
        (r"\bwill\s+stop\s+at\s+nothing", {"nothing"}),
        # two whitespace items in a row are one run, as the scan reads the text ("warn  say" has one space)
        (r"\bwarn\s+\s+say ", {"warn say"}),
        (r"\bwarn \s*\s+say", {"warn"}),
        # nothing telling: common words, words inside words, optional parts
        (r"\b(?:is|was)\s+(?:not|no)\b", None),
        (r"\bx(?:moment|hour)\b", None),
        (r"\bthe(?:\s+moment)?", None),
    ],
)
def test_required_words(pattern: str, expected: set[str] | None) -> None:
    found = anchors.required_words(pattern, {})
    assert (None if found is None else {w for w, bounded in found if bounded}) == expected
    assert found is None or all(bounded for _, bounded in found)


@pytest.mark.parametrize("seed", range(25))
def test_required_words_leave_the_matches_unchanged(seed: int) -> None:
    from rhetlint.kinds.common import finditer_in
    from rhetlint.model import Block, Document
    from rhetlint.text import Context

    rng = random.Random(seed)
    words = ["a", "new", "Nixon", "moment", "playbook", "is", "inevitable", "doomed", "quietly", "style",
             "Stalin-style", "will", "stop", "at", "nothing", "x", ".", "will  stop", "will \n stop"]
    text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "-", ", "]) for _ in range(300))
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    sources = [r"\ba\s+new\s+\w+\s+(?:moment|playbook)\b", r"\bStalin[-‐](?i:style|esque)\b",
               r"\bis\s+(?:\w+ly\s+)?(?:inevitable|doomed)\b", r"\bwill\s+stop\s+at\s+nothing",
               r"\bwill\s+\s+stop "]
    patterns = [regex.compile(s) for s in sources]
    for pattern, source in zip(patterns, sources):
        anchors.register(pattern, source, {})
    ctx = Context(doc)
    for pattern in patterns:
        assert anchors.required(pattern) is not None
        cut = sorted(rng.sample(range(len(text)), 4))
        for windows in (None, [Span(cut[0], cut[1]), Span(cut[2], cut[3])]):
            got = [m.span() for m in finditer_in(pattern, text, windows, ctx)]
            full = [m.span() for w in (windows or [Span(0, len(text))]) for m in pattern.finditer(text, w.start, w.end)]
            assert got == full, (pattern.pattern, windows)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # each run of whitespace before the required word counts once, "\s+" or " "
        (r"\ba\s+new\s+\w+\s+(?:moment|playbook)\b", 3),
        (r"\bwill stop at\s\s+nothing", 3),  # "\s\s+" is one run
        # a repeat counts its most runs; a list entry its own; lookarounds none
        (r"\b(?<!not\s)(?:(?:some|many|a\s+few)\s+){0,4}(?:experts|pundits)\b", 8),
        (r"\b(?:\L<mods>\s+)?(?:experts|pundits)\b", 4),
        # classes: "[^\S\n]+" is one run, "[\p{L}\-]+" none, "[^a]" may hold one
        (r"\b\p{Lu}[\p{L}\-]+[^\S\n]+\b(?:experts|pundits)\b", 1),
        (r"\b[^a]\b(?:experts|pundits)\b", 1),
        # alternatives: the furthest
        (r"\b(?:an?\s+old|the)\s+(?:experts|pundits)\b", 2),
        # no bound: an open stretch, a repeat without limit, a back reference
        (r"\bthey\s+said\b[^.]{0,80}\b(?:experts|pundits)\b", None),
        (r"\b(?:\w+\s)+(?:experts|pundits)\b", None),
        (r"\b(\w+)\s+\1\s+(?:experts|pundits)\b", None),
        # no requirement at all
        (r"\b(?:is|was)\s+(?:not|no)\b", None),
        # "\S" may match a character str.isspace() takes for whitespace ("\x1c"): no bound;
        # under ASCII matching it takes the other spaces too, so no bound is given at all
        (r"\b\S+\s(?:experts|pundits)\b", None),
        (r"\b\w+\s(?:experts|pundits)\b", 1),
        (r"(?a)\b\w+\s(?:experts|pundits)\b", None),
        (r"\b(?a:\w+)\s(?:experts|pundits)\b", None),
    ],
)
def test_required_reach(pattern: str, expected: int | None) -> None:
    assert anchors.required_reach(pattern, {"mods": ["a few", "a growing  number of", "top"]}) == expected


def test_whitespace_holds_every_space_of_unicode() -> None:
    # the reach counts runs of these characters: every engine's whitespace must be among them
    spaces = {chr(c) for c in range(0x110000)
              if chr(c).isspace() or re.match(r"\s", chr(c)) or regex.match(r"\s", chr(c))}
    assert spaces == set(anchors.WHITESPACE)


@pytest.mark.parametrize(
    ("pattern", "text", "span"),
    [
        # where the standard parser reads a pattern otherwise than `regex`, no anchor, requirement or reach:
        # "{1, 3}" in verbose mode is a repeat for `regex`, a literal for `re`
        (r"(?x) \b widgetry (?: \s+ \w+ ){1, 3} \s+ gizmos \b", "Our widgetry and other gizmos fell.", (4, 29)),
        (r"(?x) \b widgets{1, 2} \s+ gizmos", "the widgetss gizmos", (4, 19)),
        # a fuzzy cost ("up to three insertions") lets the match hold more than its text
        (r"\bwidgetry(?:\s+and){1i<=3}\s+gizmos\b", "widgetry a n d gizmos", (0, 21)),
        (r"\bwidgets(?:ab){1i<=1}\s+gizmos", "the widgetsXab gizmos", (4, 21)),
        # verbose mode skips a no-break space in `regex`, not in `re`
        ("(?x)\\bwidgets\u00a0x", "the widgetsx here", (4, 12)),
        # `regex` lets [^\S\s] match any character
        (r"\bwidgetry[^\S\s]{0,3}\s+gizmos", "widgetry a  gizmos", (0, 18)),
    ],
)
def test_patterns_the_standard_parser_reads_otherwise_keep_their_matches(pattern, text, span, monkeypatch) -> None:
    from rhetlint.kinds.common import finditer_in
    from rhetlint.model import Block, Document
    from rhetlint.text import Context

    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    compiled = regex.compile(pattern)
    assert [m.span() for m in compiled.finditer(text)] == [span]
    anchors.register(compiled, pattern, {})
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    assert [m.span() for m in finditer_in(compiled, text, None, Context(doc))] == [span]


@pytest.mark.parametrize(
    ("text", "starts", "marks", "runs", "expected"),
    [
        # "a b c d target": the mark at 8; two runs of whitespace allowed from 4 ("c d "), not from 2
        ("a b c d target", [0, 2, 4, 6, 8], [8], 2, [4, 6, 8]),
        ("a b c d target", [0, 2, 4, 6, 8], [8], 0, [8]),
        # a start after the last mark has none ahead; each start looks at its own next mark
        ("a b c d target", [0, 2, 4, 10, 12], [4, 8], 1, [2, 4]),
        # a long run of spaces is one run
        ("a" + " " * 29 + "target", [0, 1], [30], 1, [0, 1]),
    ],
)
def test_within_reach(text: str, starts: list[int], marks: list[int], runs: int, expected: list[int],
                      monkeypatch) -> None:
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)  # a process past its first short texts
    assert anchors.within_reach(starts, marks, text, runs) == expected


def test_within_reach_keeps_every_start_while_texts_are_short(monkeypatch) -> None:
    # compiling a bound's scan costs more than it saves on the first short texts of a process
    monkeypatch.setattr(anchors, "_scanned", 100)
    assert anchors.within_reach([0, 2, 4, 6, 8], [8], 0, "a b c d target") == [0, 2, 4, 6, 8]


@pytest.mark.parametrize("seed", range(25))
def test_within_reach_keeps_what_the_runs_allow(seed: int, monkeypatch) -> None:
    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)
    rng = random.Random(seed)
    text = "".join(rng.choice(["ab", "x", " ", "  ", "\n", "\u2003", ",", "\t "]) for _ in range(200))
    starts = sorted(rng.sample(range(len(text)), 60))
    marks = sorted(rng.sample(range(len(text)), 8))
    runs = rng.randrange(0, 6)
    # brute force: the next mark, and the runs between
    want = []
    for s in starts:
        ahead = [r for r in marks if r >= s]
        if ahead and len(re.findall(f"[{re.escape(anchors.WHITESPACE)}]+", text[s : ahead[0]])) <= runs:
            want.append(s)
    assert anchors.within_reach(starts, marks, text, runs) == want


@pytest.mark.parametrize("seed", range(25))
def test_required_reach_leaves_the_matches_unchanged(seed: int, monkeypatch) -> None:
    from rhetlint.kinds.common import finditer_in

    monkeypatch.setattr(anchors, "_scanned", anchors.SMALL_SCAN + 1)  # the reach cuts starts from here on
    from rhetlint.model import Block, Document
    from rhetlint.text import Context

    rng = random.Random(seed)
    words = ["Some", "senior", "top", "Nixon", "Old", "experts", "pundits", "say", "a", "few", "a few", "the",
             "x", ".", "EU", "U.S."]
    text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "\u2003", ", ", "\t"]) for _ in range(400))
    doc = Document("a.md", text, text, (Block("paragraph", 0, len(text)),))
    lists = {"mods": ["some", "senior", "top", "a few"]}
    sources = [r"\b(?:(?:(?i:\L<mods>)|\p{Lu}[\p{L}.]*)[^\S\n]+){0,3}(?:experts|pundits)\s+say\b",
               r"\b(?:\p{Lu}\w*\s+){0,2}(?i:a\s+few\s+)?\b(?:experts|pundits)\b",
               r"\b(?:\p{Lu}\w*|the)(?:\s+\w+){0,2}?\s+pundits\b"]
    patterns = [regex.compile(s, **{k: v for k, v in lists.items() if f"<{k}>" in s}) for s in sources]
    for pattern, source in zip(patterns, sources):
        anchors.register(pattern, source, {k: v for k, v in lists.items() if f"<{k}>" in source})
    ctx = Context(doc)
    for pattern in patterns:
        need = anchors.required(pattern)
        assert need is not None and need.reach is not None, pattern.pattern
        cut = sorted(rng.sample(range(len(text)), 4))
        for windows in (None, [Span(cut[0], cut[1]), Span(cut[2], cut[3])]):
            got = [m.span() for m in finditer_in(pattern, text, windows, ctx)]
            full = [m.span() for w in (windows or [Span(0, len(text))]) for m in pattern.finditer(text, w.start, w.end)]
            assert got == full, (pattern.pattern, windows)


@pytest.mark.parametrize("seed", range(10))
def test_starts_asked_for_stretches_hold_every_start_there(seed: int) -> None:
    # capitals are looked for only where a pattern anchored on them asks
    rng = random.Random(seed)
    text = "".join(rng.choice(WORDS) + rng.choice([" ", "\n", ", "]) for _ in range(300)) + " ½Big Ⅻx"
    compiled = [regex.compile(p) for p in PATTERNS]
    starts = AnchorIndex({c: start_prefixes(p, {}) for c, p in zip(compiled, PATTERNS)}).scan(text)
    for c in compiled:
        cut = sorted(rng.sample(range(len(text)), 4))
        spans = [(cut[0], cut[1]), (cut[2], cut[3])]
        got = starts.get(c, spans)  # first: a whole-document list, once made, is handed out as it is
        inside = [s for s in starts.get(c) if any(a <= s < b for a, b in spans)]
        assert got == sorted(set(got)) and set(inside) <= set(got), c.pattern
        if c.pattern.startswith(r"\b\p{Lu}"):  # asked for stretches, a capital-anchored pattern gets only
            assert set(got) == set(inside)  # theirs (each call would cost the whole document otherwise)
        window = [Span(a, b) for a, b in spans]
        assert [m.span() for m in _anchored(c, text, window, got)] == _full(c, text, window)


def test_non_ascii_word_characters_are_those_isalnum_takes() -> None:
    # `_after_numerals` takes the non-ASCII characters from the UTF-8 bytes, then keeps those
    # that `re`'s \w takes: what str.isalnum() takes beyond ASCII
    everything = "".join(map(chr, range(0x110000)))  # lone surrogates too
    assert anchors._non_ascii(everything) == everything[0x80:]
    assert anchors._non_ascii("abc_1 é½x ² ’\udcff") == "é½²’\udcff"
    word = re.compile(r"\w")
    assert [c for c in everything[0x80:] if c.isalnum() != bool(word.fullmatch(c))] == []


def test_capital_and_word_start_scans_equal_their_plain_forms() -> None:
    # the scans are written for speed (ASCII tests first, the capital before its look-behind);
    # they find what the plain "not after a letter" forms find, in any window
    plain_upper = re.compile(r"(?<![^\W\d_])[^\W\d_a-z]")
    plain_word = re.compile(r"(?<![^\W\d_])\w")
    rng = random.Random(5)
    alphabet = "aZé É1_ .\n’ßΣσ½ǅİ-"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(14)))
        lo = rng.randrange(len(text) + 1)
        hi = rng.randrange(lo, len(text) + 1)
        for fast, plain in ((anchors._UPPER_START, plain_upper), (anchors._WORD_START, plain_word)):
            assert [m.start() for m in fast.finditer(text, lo, hi)] == [
                m.start() for m in plain.finditer(text, lo, hi)], (text, lo, hi)


def test_fold_translates_exactly_when_a_letter_to_merge_is_there():
    # fold looks for the letters to merge among the text's non-ASCII characters only
    anchors.fold("x")
    rng = random.Random(6)
    merged = sorted(anchors._CANON)
    alphabet = ["a", "S", " ", "é", "’", "\n", *map(chr, merged[:6]), "İ", "Σ", "K"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        low = text.replace("\u0130", "i").lower()
        assert anchors.fold(text) == low.translate(anchors._CANON), text


def test_the_trie_scan_finds_what_the_word_lookups_find_in_any_range() -> None:
    # the compiled scan matches the non-letter before a word and looks ahead for the prefix
    # (`_AFTER_NON_LETTER`): every start it gives, in any range, is one the plain lookups give,
    # including a word at the very start, words inside another prefix's match, after digits,
    # numerals such as ½ (a letter to `re`) and prefixes reaching over runs of whitespace (the
    # text ends at the range's end: the lookups read on past it, where the tries stop)
    sources = [r"\b(?:a|an)\s+(?:new|newer)\b", r"\bnew\s+era", r"(?<![\w-])(?i:ab|abc|b)\w*", r"\b1st\b",
               r"(?:won|['’]s)\s+\w+", r"\bé\w+", r"\b\p{Lu}\w+"]
    compiled = [regex.compile(s) for s in sources]
    index = AnchorIndex({c: start_prefixes(s, {}) for c, s in zip(compiled, sources)})
    rng = random.Random(8)
    pieces = ["a", "an", "new", "newer", "era", "ab", "abc", "b", "1st", "won", "’s", "é", "Big", "x", "½", "-",
              " ", "  ", "\n", "\u2003", ",", "", "1", "ǅ"]
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(16)))
        lo = rng.randrange(len(text) + 1)
        hi = rng.randrange(lo, len(text) + 1)
        anchors._scanned = 0
        looked = index.scan(text[:hi], lo=lo)
        assert index._compiled is None
        anchors._scanned = 10**9
        index.compile()
        scanned = index.scan(text[:hi], lo=lo)
        index._compiled = None
        for c in compiled:
            assert scanned.get(c) == looked.get(c), (c.pattern, text, lo, hi)
