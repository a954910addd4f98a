"""Named lists written out as factored alternations (`rhetlint.namedlists`): the same matches as regex's lists."""

from __future__ import annotations

import pickle
import random

import pytest
import regex

from rhetlint import recache
from rhetlint.namedlists import written_out


def _matches(pattern: regex.Pattern[str], text: str) -> list[tuple[object, ...]]:
    # the groups a list written once is called in (named "_rl" and a number) never capture
    found = []
    for m in pattern.finditer(text):
        groups = m.groupdict()
        assert all(groups.pop(name) is None for name in [n for n in groups if n.startswith("_rl")])
        found.append((m.span(), groups, m.captures(0)))
    return found


TEMPLATES = [
    r"\b\L<a>\b",
    r"\L<a>\s+said",
    r"(?i:\L<a>)(?!\w)",
    r"(?i)the\s+\L<a>",
    r"(?P<who>\L<a>)(?:\s+\L<b>)?",
    r"(?<=\b\L<b>\s)\L<a>",
    r"(?<!\L<a>\s)(?P<w>\w+)",
    r"(?<=(?P<before>\L<b>)\s*)(?P<w>\w+)",
    r"(?:\L<a>|\L<b>)\s*,",
    r"\L<a>(?=\s+\L<b>)",
    r"(?>\L<a>)[a-z]",
    r"\L<a>+x",
    r"(?-i:\L<b>)|(?i:\L<a>)s",
    # a list in two places or more: written once, in a group the places call
    r"\L<a>\s+\L<a>",
    r"(?P<x>\L<a>)[\s,]+(?P<y>(?i:\L<a>))\s+\L<a>\s+(?i:\L<a>)",
    r"\L<a>(?:\s*,\s*\L<a>)*\s+and\s+\L<b>\b",
    r"(?<=\L<a>\s)\L<a>\s\L<a>",
    r"(?i)\L<a>\s(?-i:\L<a>)\s\L<a>",
    r"\L<a>x(?i)\L<b>\L<a>|(?-i)\L<a>",
]
ENTRIES = ["Al", "al", "Alan", "alan", "Ala", "Bo", "Bob", "bo b", "a.b", "a+", "x(y", "[z]", "é", "É", "Éa", "ſa", "I", "İx", "ıb",
           "sa", "K", "\u212a", "k", "ß", "ss", "St. Jo", "#n", " q", "\\", "\t", "ǅx", "ǆ", "-", "1", "an", "lan",
           "b", "ob", "o b"]
PIECES = ["Al", "al", "Alan", "ALAN", "ala", "Bo", "bob", "bo b", "a.b", "a+", "x(y", "[z]", "é", "É", "Éa", "ſa", "i", "ix", "Ib",
          "SA", "K", "\u212a", "k", "ß", "SS", "st. jo", "#n", " q", "\\", "\t", "ǅx", "Ǆ", "-", "1", " ", "  ",
          "\n", ",", "said", "the", "The", "s", "x", "q"]


@pytest.mark.parametrize("seed", range(60))
def test_written_out_lists_match_what_regex_lists_match(seed: int) -> None:
    rng = random.Random(seed)
    lists = {"a": rng.sample(ENTRIES, rng.randrange(1, 12)), "b": rng.sample(ENTRIES, rng.randrange(1, 6))}
    for template in TEMPLATES:
        used = {k: v for k, v in lists.items() if f"\\L<{k}>" in template}
        flags = rng.choice([0, regex.IGNORECASE, regex.ASCII])
        plain = regex.compile(template, flags, **used)
        source, kept = written_out(template, flags, used)
        rewritten = regex.compile(source, flags, **kept)
        for _ in range(6):
            text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(30)))
            assert _matches(rewritten, text) == _matches(plain, text), (template, flags, used, text)


def test_a_list_in_several_places_is_written_once_and_called() -> None:
    lists = {"who": ["Al", "Alan"], "what": ["war"]}
    source, kept = written_out(r"(?P<w>\L<who>)\s+(?i:\L<who>\s+\L<who>),\s+\L<who>,\s+\L<what>", 0, lists)
    assert source == (r"(?P<w>(?&_rl0))\s+(?i:(?&_rl1)\s+(?&_rl1)),\s+(?&_rl0),\s+(?:war)"
                      r"(?(DEFINE)(?P<_rl0>(?-i:(?:Al(?:an)?)))(?P<_rl1>(?i:(?:Al(?:an)?))))") and kept == {}
    compiled = regex.compile(source)
    m = compiled.search("Alan ALAN al, Al, war")
    assert m.group("w") == "Alan" and m.group("_rl0") is None and m.span() == (0, 21)
    assert compiled.search("Alan alan al, AL, war") is None  # the fourth place keeps its case
    # a name the pattern has is not taken; with ASCII flags the list is written in each place
    assert "(?&_rl1)" in written_out(r"(?P<_rl0>x)\L<who>\L<who>", 0, {"who": ["Al"]})[0]
    assert "(?&" not in written_out(r"\L<who>\L<who>", regex.ASCII, {"who": ["Al"]})[0]


@pytest.mark.parametrize(("pattern", "flags", "lists", "text", "rewritten"), [
    # an inline flag holds from where it stands to the end of its group, and (?-i) turns case on:
    # a pattern with one in mid-pattern is left as written (at the very start it counts for the whole)
    (r"\L<l>x(?i)\L<l>", 0, {"l": ["ab"]}, "ABxab", False),
    (r"(?-i)\L<l>\L<l>", regex.IGNORECASE, {"l": ["ab"]}, "ABab", True),
    (r"x(?-i)\L<l>\L<l>", regex.IGNORECASE, {"l": ["ab"]}, "xABab", False),
    (r"(?-i:x(?i)\L<l>\L<l>)", 0, {"l": ["ab"]}, "xABab", False),
    (r"(?-i:x(?i)\L<l>)", 0, {"l": ["ab", "A"]}, "xab", False),
    (r"(?i)\L<l>\L<l>", 0, {"l": ["ab"]}, "ABab", True),
    # "I" and "İ" both match "i" where case is ignored (and "i" and "ı" both match "I"): left to regex
    (r"\L<l>", regex.IGNORECASE, {"l": ["I", "İx"]}, "ix", False),
    (r"\L<l>", regex.IGNORECASE, {"l": ["i", "ıx"]}, "Ix", False),
    (r"\L<l>", 0, {"l": ["I", "İx"]}, "İx", True),  # where case counts they are two letters
    # an entry of hundreds of characters: left to regex (the trie is rendered a level a character)
    (r"\L<l>", 0, {"l": ["x" * 497, "y"]}, "y" + "x" * 497, False),
])
def test_what_regex_reads_differently_is_left_as_written(pattern, flags, lists, text, rewritten) -> None:
    source, kept = written_out(pattern, flags, lists)
    assert (source != pattern) == rewritten and ("\\L<" not in source) == rewritten
    plain = regex.compile(pattern, flags, **lists)
    assert _matches(regex.compile(source, flags, **kept), text) == _matches(plain, text)


def test_a_list_is_written_out_as_a_trie_that_tries_longer_entries_first() -> None:
    source, kept = written_out(r"\b\L<who>\b", 0, {"who": ["Al", "Alan", "Bo", "a.b"]})
    assert source == r"\b(?:Al(?:an)?|Bo|a\U0000002eb)\b" and kept == {}
    assert regex.compile(source).findall("Alan, Al, Bo and a.b") == ["Alan", "Al", "Bo", "a.b"]


@pytest.mark.parametrize(("pattern", "flags", "kept"), [
    # a look-behind matches backwards: the list stays named there, and only there
    (r"(?<=\L<who>\s)x|\L<who>", 0, {"who"}),
    # case ignored, and two entries differ at a letter only by case: left to regex
    (r"(?i:\L<who>)", 0, {"who"}),
    (r"\L<who>", regex.IGNORECASE, {"who"}),
    (r"(?i)x|\L<who>", 0, {"who"}),
    # ... while the same entries are written out where case counts
    (r"(?-i:\L<who>)", regex.IGNORECASE, set()),
    (r"\L<who>", 0, set()),
])
def test_where_a_list_stays_named(pattern: str, flags: int, kept: set[str]) -> None:
    lists = {"who": ["Nazi", "nazis", "Stalin"]}
    source, left = written_out(pattern, flags, lists)
    assert set(left) == kept
    assert ("\\L<who>" in source) == bool(kept)


def test_a_look_behind_keeps_the_list_named_so_its_capture_is_the_longest_entry() -> None:
    # backwards, a trie would try "b" before "ob"; regex's list tries the longest entry first
    lists = {"x": ["b", "ob"]}
    source, kept = written_out(r"(?<=(?P<c>\L<x>))!|\L<x>", 0, lists)
    assert source == r"(?<=(?P<c>\L<x>))!|(?:b|ob)" and kept == lists
    assert regex.compile(source, **kept).search("ob!", 2).group("c") == "ob"
    assert regex.compile(r"(?<=(?P<c>(?:b|ob)))!").search("ob!", 2).group("c") == "b"


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"(?x) \L<who> ", 0),  # verbose
    (r"\L<who>", regex.VERBOSE),
    (r"(?r)\L<who>", 0),  # reverse
    (r"\L<who>", regex.REVERSE),
    (r"(?f)(?i)\L<who>", 0),  # full case folding
    (r"(?V1)\L<who>", 0),
    (r"(?#note)\L<who>", 0),  # comment
    (r"(?:\L<who>){e<=1}", 0),  # fuzzy
    (r"(\w)\1\L<who>", 0),  # back reference
    (r"(?(1)a|b)\L<who>", 0),  # conditional
    (r"(?R)?\L<who>", 0),  # recursion
    (r"(?|(a)|(b))\L<who>", 0),  # branch reset
    (r"[\L<who>]", 0),  # in a class
    (r"\L<who>\L<nobody>", 0),  # a list not given
    (r"x", 0),  # a list given and not used: regex says so
])
def test_syntax_not_read_is_compiled_as_written(pattern: str, flags: int) -> None:
    lists = {"who": ["Nazi", "Stalin"]}
    assert written_out(pattern, flags, lists) == (pattern, lists)


def test_recache_stores_the_pattern_as_written_and_reports_its_own_errors(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(recache, "_compiled", {})
    source = r"\b\L<who>\s+(?P<verb>said)"
    compiled = recache.compile(source, 0, who=frozenset({"Al", "Alan"}))
    assert "\\L<" not in compiled.pattern and compiled.named_lists == {}
    assert compiled.search("then Alan said").group() == "Alan said"
    key = recache._key(source, 0, {"who": frozenset({"Al", "Alan"})})
    written, version, stored = pickle.loads(recache._patterns.get(key))
    assert (written, version, stored.pattern) == (source, recache.LISTS_WRITTEN_OUT, compiled.pattern)
    # an entry of the older layout (the compiled pattern alone), or of another version, is compiled again
    for damaged in (pickle.dumps(compiled), pickle.dumps((source, recache.LISTS_WRITTEN_OUT + 1, compiled))):
        assert recache._unpickle(damaged, source) is None
    assert recache._unpickle(recache._patterns.get(key), source) is not None
    assert recache._unpickle(recache._patterns.get(key), source + " ") is None
    # a bad pattern fails with regex's message about the pattern as written
    with pytest.raises(regex.error) as caught:
        recache.compile(r"\L<who>(", 0, who=frozenset({"Al"}))
    assert caught.value.pos == len(r"\L<who>(")  # written out, "(?:Al)(" would fail at 7
    with pytest.raises(ValueError, match="unused keyword argument"):
        recache.compile(r"x", 0, who=frozenset({"Al"}))
