"""Start anchors: where a rule's regex can begin, found with one cheap scan.

A ``regex`` pattern tried at every position of a megabyte costs 15–250 ms
depending on how much it must explore before failing; rhetlint has dozens.
Most patterns can only *begin* with one of a few literal strings ("will",
"compar", "a new ", a gazetteer name). `start_prefixes` reads a pattern's
syntax tree (the standard library's parser, after `regex`-only syntax is
replaced by equivalents that only widen the set) and returns those strings,
cut to a few characters; a pattern that may begin with an open class (any
capitalised word, a digit) has no anchor and is scanned in full.

`AnchorIndex` merges the prefixes of every pattern of a run into one trie
scanned once per document with the standard ``re`` engine (zero-width, so
overlapping starts are all seen); each pattern is then only tried, with
``pattern.match``, at the positions where one of its prefixes stands. Trying
every possible start in order and skipping those inside the previous match is
exactly what ``finditer`` does, so the matches are the same.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rhetlint import diskcache

try:  # Python 3.11+: the parser behind `re`, and its table of extra case equivalences
    from re import _constants as _c
    from re import _parser as _p
    from re._casefix import _EXTRA_CASES
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

    _EXTRA_CASES = {0x69: (0x131,), 0x73: (0x17F,), 0xB5: (0x3BC,), 0x3BC: (0xB5,)}

PREFIX_CHARS = 8
_MAX_PREFIXES = 20_000
_SPACE = " "  # a run of whitespace inside a prefix
_LIST = re.compile(r"(?<!\\)((?:\\\\)*)\\L<(\w+)>")  # a named list (not "\\L<" after an escaped backslash)
_GROUP_NAME = re.compile(r"(?<!\\)((?:\\\\)*)\(\?P?<(\w+)>")  # a named group's "(" (not an escaped one)
_PROP = re.compile(r"(?<!\\)((?:\\\\)*)(?:\\[pP]\{[^}]*\}|\\[pP][A-Za-z])")  # not after an escaped backslash
_PLACEHOLDER = 0xF0000  # private-use code points stand for named lists
_UPPER_CODE = 0xFFFFD  # and this one for \p{Lu}
_OPEN_CODE = 0xFFFFC  # and this one for any other \p{..} or \P{..}
_LETTER_CODE = 0xFFFFB  # and this one for \p{L} inside a class: an open class too, but a letter one
_FUZZY = re.compile(r"\{\s*(?:\d+\s*<=?\s*)?[eisd]\s*(?:<=?|[,}])")  # regex's fuzzy constraints
_POSIX = re.compile(r"\[:\^?\w+:\]")  # [[:alpha:]]: the stdlib parser reads it as a literal class
# \p{Lu} not inside [...]: preceded by an even number of backslashes and no open bracket
_UPPER_PROP = re.compile(r"((?:^|[^\\\[])(?:\\\\)*)\\p\{Lu\}")
# \p{L} preceded by an even number of backslashes (in a class: "[\p{L}'’]")
_LETTER_PROP = re.compile(r"((?:^|[^\\])(?:\\\\)*)\\p\{L\}")


FUNCTION_WORDS = frozenset(
    "the a an is are was were be been it that this his her its their our has have had"
    " to of in on at by for with as and or not no if so do we you they i us more other can will".split()
)
UPPER = "\x00"  # a prefix that is only this: a word beginning with a capital letter


class Unanchored(Exception):
    """The pattern may begin with something other than a known literal."""


def _prepare(pattern: str, lexicons: Mapping[str, Iterable[str]]) -> tuple[str, dict[int, list[str]]]:
    lists: dict[int, list[str]] = {}

    def named(m: re.Match[str]) -> str:
        code = _PLACEHOLDER + len(lists)
        lists[code] = sorted({fold(e) for e in lexicons.get(m.group(2), ())})
        return f"{m.group(1)}\\U{code:08x}"

    text = _LIST.sub(named, pattern)
    # `regex` lets alternatives reuse a group name ("(?P<span>a)|(?P<span>b)") and
    # spells a named group "(?<name>...)" too; `re`'s parser takes neither. Names
    # mean nothing to the analysis: the later uses get names of their own.
    seen: set[str] = set()

    def group(m: re.Match[str]) -> str:
        name = m.group(2)
        if name in seen:
            name = f"{name}__{m.start()}"
        seen.add(name)
        return f"{m.group(1)}(?P<{name}>"

    text = _GROUP_NAME.sub(group, text)
    # \p{Lu} outside a class is a capital letter (a marker); any other Unicode
    # property is an open class: an opaque code point stands in for it, which
    # no analysis takes for a literal, a space or a non-word character
    text = _UPPER_PROP.sub(lambda m: m.group(1) + f"\\U{_UPPER_CODE:08x}", text)
    text = _LETTER_PROP.sub(lambda m: m.group(1) + f"\\U{_LETTER_CODE:08x}", text)
    text = _PROP.sub(lambda m: f"{m.group(1)}\\U{_OPEN_CODE:08x}", text)
    return text, lists


# Words too common to narrow anything when a pattern requires them.
_COMMON = FUNCTION_WORDS | frozenset(
    "to of in on at by for and or not no as if so be do he she we you they i my your than then"
    " there will would can could may might must shall should".split()
)


def required_words(pattern: str, lexicons: Mapping[str, Iterable[str]] | None = None,
                   flags: int = 0) -> frozenset[tuple[str, bool]] | None:
    """Return literals, each beginning a word, one of which every match contains; None if none tell much.

    The same ``(prefix, bounded)`` items as `start_prefixes` (all bounded),
    for a part of the pattern other than its start when that is more telling
    ("moment" in "a new <figure> moment"): a stretch of text without one of
    them holds no match, and a match begins before the last one.
    """
    found = _requirement(pattern, lexicons, flags)
    return None if found is None else frozenset((word[:PREFIX_CHARS], True) for word in found[0])


def required_reach(pattern: str, lexicons: Mapping[str, Iterable[str]] | None = None,
                   flags: int = 0) -> int | None:
    """Return how many runs of whitespace at most lie between a match's start and its required word.

    Every match of the pattern holds one of `required_words` beginning after
    at most that many runs of whitespace (a run counted once however long), so
    a start whose next required word lies further away holds no match. None
    when there is no requirement, or no useful bound (an open stretch such as
    ``[^.]{0,80}`` comes first).
    """
    found = _requirement(pattern, lexicons, flags)
    if found is None or found[1] > _MAX_REACH:
        return None
    if flags & re.ASCII or _ASCII_FLAG.search(pattern):
        return None  # \S then also matches the other whitespace: the categories below would not hold
    return found[1]


_ASCII_FLAG = re.compile(r"\(\?[\w-]*a")  # an inline (?a) or (?a:...), or anything like it


def required_tail(pattern: str, lexicons: Mapping[str, Iterable[str]] | None = None,
                  flags: int = 0) -> str | None:
    """Return the pattern cut to begin at the item where its required word begins, or None.

    Every match holds one of `required_words` beginning at an item the
    pattern's tree fixes (a named list, a literal word, a group or
    alternation that begins with one); the tail is the pattern from that item
    to its end (`rhetlint.regexsource.tail`), so a match of the whole pattern
    holds a match of the tail where its required word begins. Where the
    tail does not match, a required word is no place for a match to hold:
    the starts only it would have served need no try (`tail_marks`). None
    when the word begins inside an item, the path runs through a repeat or
    an atomic group, or the source holds syntax `rhetlint.regexsource` does
    not read (its items must line up with the parser's, level by level).
    """
    import regex

    from rhetlint import regexsource

    if flags & (regex.VERBOSE | regex.REVERSE | regex.POSIX | regex.BESTMATCH | regex.ENHANCEMATCH | regex.V1):
        return None
    parsed = _parse(pattern, lexicons, flags)
    found = _most_telling(parsed)
    if parsed is None or found is None or found[2] is None:
        return None
    source = regexsource.items(pattern)
    if source is None or not _aligned(pattern, source, list(parsed[0]), found[2]):
        return None
    return regexsource.tail(pattern, source, found[2])


def _aligned(pattern: str, seq: Any, items: list, path: tuple[int, ...]) -> bool:  # type: ignore[type-arg]
    """Tell whether the source's items and the parser's are the same up to each step of ``path``.

    The items up to the one the path takes must have the same kinds, and a
    literal character the same character where the source spells it plainly;
    the parser may split an alternation into a common beginning and the rest
    ("(?:ab|ac)" is "a" and a class), so none may come before it (it may be
    the one taken: the beginning it was split into starts where it does).
    """
    for depth, index in enumerate(path):
        if index >= len(items) or index >= len(seq.items):
            return False
        kinds = [_KIND_OF.get(str(op), "other") for op, _ in items[: index + 1]]
        mine = [item.kind for item in seq.items[: index + 1]]
        if "alternation" in mine[:index] or kinds != [*mine[:index], mine[index].replace("alternation", "other")]:
            return False
        for (op, av), item in zip(items[: index + 1], seq.items):
            if str(op) == "LITERAL" and av < _PLACEHOLDER:
                spelled = pattern[item.start : item.end]
                plain = spelled[-1:] if len(spelled) == 1 or (len(spelled) == 2 and not spelled[1].isalnum()) else None
                if plain is not None and plain != chr(av):
                    return False
        if depth < len(path) - 1:
            item, (op, av) = seq.items[index], items[index]
            if item.content is None or item.opener is None or str(op) != "SUBPATTERN":
                return False
            seq, items = item.content, list(av[-1])
    return True


_KIND_OF = {"SUBPATTERN": "group", "ATOMIC_GROUP": "group", "ASSERT": "group", "ASSERT_NOT": "group",
            "MAX_REPEAT": "repeat", "MIN_REPEAT": "repeat", "POSSESSIVE_REPEAT": "repeat"}


_MAX_REACH = 40  # past this many runs of whitespace, a reach filters too little to be worth its checks


def _requirement(pattern: str, lexicons: Mapping[str, Iterable[str]] | None,
                 flags: int) -> tuple[set[str], int, tuple[int, ...] | None] | None:
    """The most telling required words of a pattern, their reach (`required_reach`) and path, or None."""
    return _most_telling(_parse(pattern, lexicons, flags))


def _most_telling(parsed: tuple[Any, dict[int, list[str]]] | None,
                  ) -> tuple[set[str], int, tuple[int, ...] | None] | None:
    """`_required` of a parsed pattern, if its words tell enough (`_requirement`)."""
    if parsed is None:
        return None
    tree, lists = parsed
    try:
        found = _required(list(tree), lists, False, 0)
    except Exception:  # noqa: BLE001 - too deep: no requirement
        return None
    if found is None or _telling(found[0]) < 3 or len(found[0]) > 200:
        return None
    return found


def _telling(words: set[str]) -> int:
    """How much the least telling of some required words narrows: its letters (up to a prefix), 0 if common."""
    score = PREFIX_CHARS
    for word in words:
        head = word[:PREFIX_CHARS].strip()
        score = min(score, 0 if head in _COMMON else len(head))
    return score


def _opens_word(op: object, av: object) -> bool:
    """Tell whether a literal right after this item begins a word (\\b, whitespace, a non-word character)."""
    name = str(op)
    if name == "AT":
        return str(av) == "AT_BOUNDARY"
    if name == "LITERAL":
        return av < _PLACEHOLDER and not (chr(av).isalnum() or chr(av) == "_")  # type: ignore[operator]
    if name == "IN":  # whitespace, or only non-word characters ("[-‐]")
        return _is_space_class(av) or all(_non_word_item(item) for item in av)  # type: ignore[union-attr]
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return av[0] >= 1 and _is_space_item(av[2])  # type: ignore[index]
    return False


def _required(items: list, lists: dict[int, list[str]], opened: bool,  # type: ignore[type-arg]
              depth: int) -> tuple[set[str], int, tuple[int, ...] | None] | None:
    """Literals beginning a word one of which every match of the sequence contains (the most telling set).

    With them, the runs of whitespace at most before the one a match holds
    begins (`required_reach`), counted from the start of the sequence, and
    the path to the item where that word begins (indices in the sequence and
    down through groups; None when it begins inside an item, `required_tail`).
    """
    if depth > 100:
        raise RecursionError
    best: tuple[set[str], int, tuple[int, ...] | None] | None = None
    best_score = -1
    before = 0  # runs of whitespace the items so far can hold

    def offer(found: tuple[set[str], int, tuple[int, ...] | None] | None, runs: int, index: int) -> None:
        # the last telling part (the start is the anchors' already), else the most telling
        nonlocal best, best_score
        if found is not None and found[0]:
            score = min(_telling(found[0]), 4)
            if score >= best_score:
                path = None if found[2] is None else (index, *found[2])
                best, best_score = (found[0], runs + found[1], path), score

    def at_start(found: tuple[set[str], int, tuple[int, ...] | None]) -> tuple[int, ...] | None:
        # the word begins where the item does: that item is the place to cut
        return () if found[2] is not None and not any(found[2]) else None

    run, run_opened, run_before = "", False, 0
    run_items: list[int] = []  # the item each character of the run comes from
    for index, (op, av) in enumerate(items):
        name = str(op)
        plain = name == "LITERAL" and av < _PLACEHOLDER
        space = (name == "IN" and _is_space_class(av)) or (
            name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1 and _is_space_item(av[2]))
        if plain or space:  # a run of literal text, whitespace as one space (as the scan reads the text)
            if not run:
                run_opened, run_before = opened, before
            ch = _SPACE if space or chr(av).isspace() else fold(chr(av))
            if not (ch == _SPACE and run.endswith(_SPACE)):  # "\s+\s+" is one run of whitespace
                run += ch
                run_items.append(index)
        else:
            for words, at in _words_in_run(run, run_opened):
                offer((words, sum(c in WHITESPACE for c in run[:at]), ()), run_before, run_items[at])
            run, run_items = "", []
            if name in ("ASSERT", "ASSERT_NOT", "AT") and not (name == "AT" and _opens_word(op, av)):
                continue  # zero width: what opens a word stays so
            if name == "LITERAL" and av in lists:
                entries = {" ".join(e.split()) for e in lists[av]}
                if opened and entries and all(e[:1].isalnum() for e in entries):
                    offer((entries, 0, ()), before, index)
            elif name == "SUBPATTERN":
                offer(_required(list(av[-1]), lists, opened, depth + 1), before, index)
            elif name == "ATOMIC_GROUP":
                inner = _required(list(av), lists, opened, depth + 1)
                offer(inner and (inner[0], inner[1], None), before, index)  # no cut through it
            elif name == "BRANCH":
                alts = [_required(list(alt), lists, opened, depth + 1) for alt in av[1]]
                if alts and all(alts):
                    path = () if all(at_start(a) is not None for a in alts) else None  # type: ignore[arg-type]
                    offer((set().union(*(a[0] for a in alts)), max(a[1] for a in alts), path),  # type: ignore[index]
                          before, index)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
                inner = _required(list(av[2]), lists, opened, depth + 1)  # the first time holds one
                offer(inner and (inner[0], inner[1], at_start(inner)), before, index)
        before += _runs((op, av), lists, depth)
        # after an optional item that ends in whitespace ("(?:\\w+ly\\s+)?"), a word begins either way
        optional = name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] == 0
        opened = _opens_word(op, av) or (optional and opened and _ends_open(list(av[2])))
    for words, at in _words_in_run(run, run_opened):
        offer((words, sum(c in WHITESPACE for c in run[:at]), ()), run_before, run_items[at])
    return best


# Every character `re`, `regex` or `str.isspace` takes for whitespace (a test checks all of Unicode).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
FAR = 1 << 30  # runs of whitespace without a bound
_CATEGORY_SPACES: dict[str, frozenset[str]] | None = None


def _runs(item: tuple, lists: dict[int, list[str]], depth: int) -> int:  # type: ignore[type-arg]
    """The most runs of whitespace (each counted once) a match of one parsed item can hold; `FAR` for no bound.

    What adjacent items match may join into one run, never split one, so
    the sum over a sequence bounds its runs too.
    """
    if depth > 200:
        return FAR
    op, av = item
    name = str(op)
    if name in ("ASSERT", "ASSERT_NOT", "AT"):
        return 0
    if name == "LITERAL":
        if av in lists:
            return max((_text_runs(e) for e in lists[av]), default=0)
        if av in (_UPPER_CODE, _LETTER_CODE):
            return 0
        return 1 if av == _OPEN_CODE or chr(av) in WHITESPACE else 0
    if name in ("NOT_LITERAL", "ANY"):
        return 1
    if name == "IN":
        return 0 if _class_spaces(av) is False else 1
    if name in ("SUBPATTERN", "ATOMIC_GROUP"):
        sub = av[-1] if name == "SUBPATTERN" else av
        return min(FAR, sum(_runs(x, lists, depth + 1) for x in sub))
    if name == "BRANCH":
        return max((min(FAR, sum(_runs(x, lists, depth + 1) for x in alt)) for alt in av[1]), default=0)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        _, hi, sub = av
        inner = min(FAR, sum(_runs(x, lists, depth + 1) for x in sub))
        if inner == 0 or hi == 0:
            return 0
        if _only_spaces(list(sub)):
            return 1  # all of it one stretch of whitespace
        return FAR if hi == _c.MAXREPEAT else min(FAR, hi * inner)
    return FAR  # GROUPREF and the rest: no bound


def _text_runs(text: str) -> int:
    """The runs of whitespace in a literal string."""
    runs, inside = 0, False
    for ch in text:
        if ch in WHITESPACE:
            runs += not inside
            inside = True
        else:
            inside = False
    return runs


def _class_spaces(av: list) -> bool | None:  # type: ignore[type-arg]
    """Whether a class can match a whitespace character: True, False or None (cannot tell)."""
    global _CATEGORY_SPACES
    if _CATEGORY_SPACES is None:  # `regex`'s categories (it runs the patterns) against each whitespace character
        import regex

        _CATEGORY_SPACES = {}
        for cat, code in (("SPACE", r"\s"), ("NOT_SPACE", r"\S"), ("WORD", r"\w"), ("NOT_WORD", r"\W"),
                          ("DIGIT", r"\d"), ("NOT_DIGIT", r"\D")):
            probe = regex.compile(code)
            _CATEGORY_SPACES["CATEGORY_" + cat] = frozenset(ch for ch in WHITESPACE if probe.match(ch))
    negate = any(str(o) == "NEGATE" for o, _ in av)
    if _matches_all(av):
        return None
    result: bool | None = False
    for ch in WHITESPACE:
        hit: bool | None = False
        for o, v in av:
            kind = str(o)
            if kind == "NEGATE":
                continue
            if kind == "LITERAL":
                member: bool | None = None if v == _OPEN_CODE else v == ord(ch)
            elif kind == "RANGE":
                member = v[0] <= ord(ch) <= v[1]
            elif kind == "CATEGORY":
                chars = _CATEGORY_SPACES.get(str(v))
                member = None if chars is None else ch in chars
            else:
                member = None
            if member is None:
                hit = None
            elif member:
                hit = True
                break
        if hit is None:
            return None
        if hit != negate:
            result = True
    return result


def _only_spaces(items: list) -> bool:  # type: ignore[type-arg]
    """Tell whether a sequence is one character that can only be whitespace (``\\s``, ``[^\\S\\n]``)."""
    if _is_space_item(items):
        return True
    if len(items) != 1 or str(items[0][0]) != "IN":
        return False
    av = items[0][1]  # [^\S...]: whitespace minus some
    return (any(str(o) == "NEGATE" for o, _ in av) and not _matches_all(av)
            and any(str(o) == "CATEGORY" and str(v) == "CATEGORY_NOT_SPACE" for o, v in av))


def _matches_all(av: list) -> bool:  # type: ignore[type-arg]
    """Tell whether a negated class holds a category and its opposite (``[^\\S\\s]``), which `regex` matches anywhere."""
    if not any(str(o) == "NEGATE" for o, _ in av):
        return False
    cats = {str(v) for o, v in av if str(o) == "CATEGORY"}
    return any({f"CATEGORY_{c}", f"CATEGORY_NOT_{c}"} <= cats for c in ("SPACE", "WORD", "DIGIT"))


def _ends_open(items: list) -> bool:  # type: ignore[type-arg]
    """Tell whether a sequence always ends with whitespace, ``\\b`` or a non-word character."""
    if not items:
        return False
    op, av = items[-1]
    name = str(op)
    if name == "SUBPATTERN":
        return _ends_open(list(av[-1]))
    if name == "BRANCH":
        return all(_ends_open(list(alt)) for alt in av[1])
    return _opens_word(op, av)


def _words_in_run(run: str, opened: bool) -> list[tuple[set[str], int]]:
    """The literal text from each word a run certainly begins (at its start, or after a non-word character), with where."""
    return [({run[i:].rstrip()}, i) for i, ch in enumerate(run)
            if ch.isalnum() and ((i == 0 and opened) or (i > 0 and not (run[i - 1].isalnum() or run[i - 1] == "_")))]


def _parse(pattern: str, lexicons: Mapping[str, Iterable[str]] | None, flags: int) -> tuple[Any, dict[int, list[str]]] | None:
    """The standard parser's tree of a `regex` pattern (after `_prepare`), or None where they may disagree.

    Besides what the parser refuses: fuzzy constraints and POSIX classes; a
    "{" the parser took for a literal (`regex` may read a quantifier there, as
    "{1, 3}" in verbose mode, or a fuzzy cost such as "{1i<=3}"); and, in
    verbose mode, whitespace beyond ASCII, which `regex` skips and the
    standard parser keeps.
    """
    if _FUZZY.search(pattern) or _POSIX.search(pattern):
        return None  # syntax the stdlib parser would read with another meaning
    if (flags & re.VERBOSE or _VERBOSE_FLAG.search(pattern)) and _ODD_SPACE.search(pattern):
        return None
    text, lists = _prepare(pattern, lexicons or {})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set" and the like: no anchor
            tree = _p.parse(text, flags & (re.VERBOSE | re.IGNORECASE | re.MULTILINE | re.DOTALL))
        if _literal_brace(list(tree), 0):
            return None
    except Exception:  # noqa: BLE001 - any syntax the stdlib parser lacks, or too deep: no anchor
        return None
    return tree, lists


_VERBOSE_FLAG = re.compile(r"\(\?[\w-]*x")  # an inline (?x) or (?x:...), or anything like it
_ODD_SPACE = re.compile(r"[^\S \t\n\r\x0b\x0c]")  # whitespace `re`'s verbose mode does not skip


def _literal_brace(items: list, depth: int) -> bool:  # type: ignore[type-arg]
    """Tell whether a parsed sequence holds a literal "{" outside a class."""
    if depth > 200:
        raise RecursionError
    for op, av in items:
        name = str(op)
        if name == "LITERAL" and av == ord("{"):
            return True
        subs: list = []  # type: ignore[type-arg]
        if name == "SUBPATTERN":
            subs = [av[-1]]
        elif name == "ATOMIC_GROUP":
            subs = [av]
        elif name == "BRANCH":
            subs = list(av[1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            subs = [av[2]]
        elif name in ("ASSERT", "ASSERT_NOT"):
            subs = [av[1]]
        elif name == "GROUPREF_EXISTS":
            subs = [x for x in av[1:] if x is not None]
        if any(_literal_brace(list(sub), depth + 1) for sub in subs):
            return True
    return False


def start_prefixes(pattern: str, lexicons: Mapping[str, Iterable[str]] | None = None,
                   flags: int = 0) -> frozenset[tuple[str, bool]] | None:
    """Return the lower-cased literal prefixes one of which begins every match.

    Each item is ``(prefix, bounded)``: ``bounded`` when the match must also
    begin a word (``\\b`` before it). A space in a prefix stands for a run of
    whitespace. None when no such set can be given (the pattern may begin with
    an open class, or its syntax is beyond the standard parser).
    """
    parsed = _parse(pattern, lexicons, flags)
    if parsed is None:
        return None
    tree, lists = parsed
    out: set[tuple[str, bool]] = set()
    icase = bool((flags | tree.state.flags) & re.IGNORECASE)
    try:
        _walk(list(tree), "", False, lists, out, 0, icase)
    except (Unanchored, RecursionError):
        return None
    return frozenset(out)


def _stop(acc: str, bounded: bool, out: set[tuple[str, bool]]) -> None:
    if not acc.strip():
        raise Unanchored
    out.add((acc, bounded and acc[0].isalnum()))
    if len(out) > _MAX_PREFIXES:
        raise Unanchored


def _walk(items: list, acc: str, bounded: bool, lists: dict[int, list[str]],  # type: ignore[type-arg]
          out: set[tuple[str, bool]], depth: int, icase: bool = False) -> None:
    if depth > 200:
        raise Unanchored
    if len(acc) >= PREFIX_CHARS:
        _stop(acc[:PREFIX_CHARS], bounded, out)
        return
    if not items:
        _stop(acc, bounded, out)  # the pattern may end here (an empty acc cannot anchor)
        return
    op, av = items[0]
    rest = items[1:]
    name = str(op)
    if name == "SETI":  # the end of a scoped (?i:...) or (?-i:...) group
        _walk(rest, acc, bounded, lists, out, depth + 1, av)
    elif name == "AT":
        if str(av) == "AT_BOUNDARY" and not acc:
            bounded = True
        _walk(rest, acc, bounded, lists, out, depth + 1, icase)
    elif name in ("ASSERT", "ASSERT_NOT"):
        if name == "ASSERT_NOT" and av[0] == 1 and not list(av[1]):
            return  # (?!) never holds: no match goes this way
        if not acc and (_is_word_lookbehind(av) if name == "ASSERT_NOT" else _ends_non_word(av)):
            bounded = True  # (?<!\w), (?<![\w-]): the match begins a word
        _walk(rest, acc, bounded, lists, out, depth + 1, icase)  # zero width: it can only narrow
    elif name == "LITERAL":
        if av in (_OPEN_CODE, _LETTER_CODE):
            _stop(acc, bounded, out)  # an open class (a Unicode property)
        elif av == _UPPER_CODE:
            if acc:
                _stop(acc, bounded, out)
            elif not bounded or icase:
                raise Unanchored  # a capital inside a word, or (?i)\p{Lu}, which is any letter
            else:
                out.add((UPPER, True))
        elif av in lists:
            entries = lists[av]
            if not entries:
                return  # an empty list matches nothing
            for entry in entries:
                _extend(rest, acc, " ".join(entry.split()) or " ", bounded, lists, out, depth, icase)
        else:
            ch = fold(chr(av))  # one character, as the scanned text is folded
            _extend(rest, acc, _SPACE if ch.isspace() else ch, bounded, lists, out, depth, icase)
    elif name == "IN":
        chars = _class_chars(av)
        if chars is None:
            if _is_space_class(av) and acc:
                _extend(rest, acc, _SPACE, bounded, lists, out, depth, icase)
            else:
                _stop(acc, bounded, out)
        else:
            for code in chars:
                _walk([(_c.LITERAL, code)] + rest, acc, bounded, lists, out, depth + 1, icase)
    elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
        sub = av[-1] if name == "SUBPATTERN" else av
        inner = icase
        if name == "SUBPATTERN":
            inner = bool((icase or av[1] & re.IGNORECASE) and not av[2] & re.IGNORECASE)
        _walk(list(sub) + [("SETI", icase)] + rest, acc, bounded, lists, out, depth + 1, inner)
    elif name == "BRANCH":
        for alt in av[1]:
            _walk(list(alt) + rest, acc, bounded, lists, out, depth + 1, icase)
    elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, sub = av
        if lo == 0:
            _walk(rest, acc, bounded, lists, out, depth + 1, icase)
        if hi != 0:
            nxt_hi = hi if hi == _c.MAXREPEAT else hi - 1
            more = [(op, (max(lo - 1, 0), nxt_hi, sub))] if nxt_hi != 0 else []
            # whitespace repeats collapse into one marker: "\s+" is one space
            if _is_space_item(sub):
                if not acc:
                    raise Unanchored
                _extend(rest, acc, _SPACE, bounded, lists, out, depth, icase)
            else:
                _walk(list(sub) + more + rest, acc, bounded, lists, out, depth + 1, icase)
    else:  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...: the literal knowledge ends here
        _stop(acc, bounded, out)


def _extend(rest: list, acc: str, more: str, bounded: bool, lists: dict[int, list[str]],  # type: ignore[type-arg]
            out: set[tuple[str, bool]], depth: int, icase: bool = False) -> None:
    """Append literal text to a prefix.

    A prefix ends after its first non-word character (so prefixes that begin
    words cannot overlap), unless what precedes it is one of a few very
    common words: "the " or "is " alone would be tried almost everywhere, so
    such a prefix goes on into the next word ("the in", "is be").
    """
    for ch in more:
        if ch == _SPACE and acc.endswith(_SPACE):
            continue  # "\s\s+" is one run of whitespace, as the scans see it
        if acc and not (ch.isalnum() or ch == "_") and not (ch == _SPACE and acc in FUNCTION_WORDS):
            _stop((acc + ch)[:PREFIX_CHARS], bounded, out)
            return
        acc += ch
        if len(acc) >= PREFIX_CHARS:
            _stop(acc[:PREFIX_CHARS], bounded, out)
            return
    _walk(rest, acc, bounded, lists, out, depth + 1, icase)


def _is_word_lookbehind(av: tuple) -> bool:  # type: ignore[type-arg]
    """Tell whether a negative lookbehind is one character class holding every letter.

    ``(?<!\\w)``, ``(?<![\\w-])`` and ``(?<![\\p{L}'’])``: the match cannot follow
    a letter, so it begins a word as the bounded scan sees it (`AnchorIndex`).
    """
    direction, sub = av
    items = list(sub)
    if direction != -1 or len(items) != 1 or str(items[0][0]) != "IN":
        return False
    members = items[0][1]
    if any(str(op) == "NEGATE" for op, _ in members):
        return False  # (?<![^\\w]): after a word character
    return any((str(op) == "CATEGORY" and str(v) == "CATEGORY_WORD")
               or (str(op) == "LITERAL" and v == _LETTER_CODE) for op, v in members)


def _ends_non_word(av: tuple) -> bool:  # type: ignore[type-arg]
    """Tell whether a positive lookbehind ends in a non-word character (``(?<=[,"]\\s*)``)."""
    direction, sub = av
    if direction != -1:
        return False
    items = list(sub)
    while items:
        op, v = items.pop()
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and len(list(v[2])) == 1:
            lo, _, inner = v
            if not _non_word_item(list(inner)[0]):
                return False
            if lo >= 1:
                return True
            continue  # may be empty: the item before decides
        return _non_word_item((op, v))
    return False


def _non_word_item(item: tuple) -> bool:  # type: ignore[type-arg]
    op, v = item
    if str(op) == "LITERAL":
        if v >= _PLACEHOLDER:  # a named list, \p{Lu} or another property: may be a word character
            return False
        ch = chr(v)
        return not (ch.isalnum() or ch == "_")
    if str(op) == "IN":
        return all(
            (str(o) == "LITERAL" and x < _PLACEHOLDER and not (chr(x).isalnum() or chr(x) == "_"))
            or (str(o) == "CATEGORY" and str(x) == "CATEGORY_SPACE")
            for o, x in v
        )
    return False


def _class_chars(av: list) -> list[int] | None:  # type: ignore[type-arg]
    """Return the code points of a class made only of literals (a few, or named lists)."""
    codes: list[int] = []
    for op, v in av:
        if str(op) != "LITERAL" or v in (_OPEN_CODE, _LETTER_CODE):
            return None
        codes.append(v)
    small = len({chr(c).lower() for c in codes if c < _PLACEHOLDER}) <= 6
    return sorted(set(codes)) if small else None


def _is_space_class(av: list) -> bool:  # type: ignore[type-arg]
    return all(str(op) == "CATEGORY" and str(v) == "CATEGORY_SPACE" or
               (str(op) == "LITERAL" and chr(v).isspace()) for op, v in av) and bool(av)


def _is_space_item(sub: list) -> bool:  # type: ignore[type-arg]
    items = list(sub)
    if len(items) != 1:
        return False
    op, av = items[0]
    if str(op) == "IN":
        return _is_space_class(av)
    return str(op) == "LITERAL" and chr(av).isspace()


def _escape(ch: str) -> str:
    return r"\s+" if ch == _SPACE else re.escape(ch)


def _trie(words: Iterable[str]) -> str:
    from rhetlint import trie

    root = trie.tree(words)
    return trie.render(root, _escape) if root else r"(?!x)x"


_WS = re.compile(r"\s+")


_CANON: dict[int, str] | None = None
_FOLDS: Any = None


def fold(text: str) -> str:
    """Lower-case ``text`` and merge the letters IGNORECASE equates beyond that (ſ→s, ı→i, µ→μ...).

    ``İ`` becomes ``i`` first (its lower case is two characters), so the
    length, and every offset, is kept.
    """
    global _CANON, _FOLDS
    if _CANON is None:
        table: dict[int, str] = {}
        for code, others in _EXTRA_CASES.items():
            members = {code, *others}
            canon = chr(min(members))
            table.update({c: canon for c in members if chr(c) != canon})
        _CANON = table
        _FOLDS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]")
    low = text.replace("\u0130", "i").lower()
    if len(low) != len(text):  # no character does this (checked over all of Unicode); keep offsets anyway
        low = "".join(ch.lower()[:1] for ch in text.replace("\u0130", "i"))
    # translating a megabyte costs ~50 ms; most texts hold none of those letters (all beyond
    # ASCII: looked for among the text's non-ASCII characters, which come out faster)
    return low.translate(_CANON) if not low.isascii() and _FOLDS.search(_non_ascii(low)) else low


class AnchorIndex:
    """One scan of a document for the start prefixes of many patterns.

    Prefixes that must begin a word are found "not after a letter": the scan
    matches each non-letter and looks ahead for a prefix after it, so it tries
    every word start, those inside another prefix ("the in" holds "in") too.
    The others may begin anywhere: a consuming scan finds them, and where one
    could begin inside a match of another ("won'" holds "'s") it tries again
    there, so overlapping starts are all seen. At each position the longest
    prefix is reported, and every shorter prefix there is a prefix of it.

    Prefixes and texts are folded the same way (`fold`), and the scans run
    case-sensitively (several times faster than IGNORECASE in `re`).
    "Not after a letter" includes every word start by any engine's definition
    (`regex` counts marks and fewer numerals as word characters than `re`);
    the starts right after a numeral that `re` takes for a letter are looked
    up separately (`_finish`).
    """

    def __init__(self, patterns: Mapping[object, frozenset[tuple[str, bool]]]) -> None:
        self.patterns: list[object] = list(patterns)
        owners: dict[str, list[int]] = {}
        for i, prefixes in enumerate(patterns.values()):
            for p, bounded in prefixes:
                owners.setdefault(_tag(p, bounded), []).append(i)  # prefixes come folded
        self._setup({key: tuple(found) for key, found in owners.items()})

    @classmethod
    def from_owners(cls, patterns: list[object], owners: dict[str, tuple[int, ...]]) -> AnchorIndex:
        """Rebuild an index from its `owners` (the prefix table, by position in ``patterns``)."""
        index = cls.__new__(cls)
        index.patterns = patterns
        index._setup(owners)
        return index

    def _setup(self, owners: dict[str, tuple[int, ...]]) -> None:
        # a prefix, tagged bounded or not (`_tag`) -> the positions in self.patterns of the patterns it begins
        self.owners = owners
        self.upper = _UPPER_START if _tag(UPPER, True) in owners else None
        self._upper_owners = frozenset(self.patterns[i] for i in owners.get(_tag(UPPER, True), ()))
        # whether there are word-start prefixes (their set is made only to build a trie)
        self._bounded = any(k[0] == _BOUNDED and k[1:] != UPPER for k in owners)
        self._free = {k[1:] for k in owners if k[0] != _BOUNDED}
        firsts = sorted({p[0] for p in self._free})
        self._free_first = re.compile(
            "[" + "".join(r"\s" if c == _SPACE else re.escape(c) for c in firsts) + "]") if firsts else None
        self._compiled: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None
        self.snapshot_key: str | None = None  # its key in the snapshot store (`_build_index`), if any
        # matched text -> the patterns it may begin, per kind (texts recur from document to document)
        self._memo: dict[bool, dict[str, tuple[object, ...]]] = {True: {}, False: {}}

    def _owners_of(self, key: str, bounded: bool) -> tuple[object, ...]:
        """Return the patterns one of whose prefixes begins ``key``.

        ``key`` is text of a folded document (`fold`): folding it again would
        change nothing (checked over every character), so only its runs of
        whitespace are made one space, as in the prefixes.
        """
        memo = self._memo[bounded]
        found = memo.get(key)
        if found is None:
            # only " " is both printable and white space: such a key without "  " is already one
            norm = _tag(key if key.isprintable() and "  " not in key else _WS.sub(" ", key), bounded)
            get = self.owners.get
            positions: list[int] = []
            for j in range(2, len(norm) + 1):
                some = get(norm[:j])
                if some is not None:
                    positions += some
            patterns = self.patterns
            if len(positions) > 1:  # a pattern two of whose prefixes begin the key is named once
                positions = list(dict.fromkeys(positions))
            found = memo[key] = tuple([patterns[i] for i in positions])
        return found

    def compile(self) -> None:
        """Compile the scan's tries now (`scan` compiles them once a process has scanned `SMALL_SCAN` characters)."""
        self._tries()

    def _tries(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        if self._compiled is None:
            sources = _trie_sources(self.snapshot_key)
            if sources is None:
                bounded = {k[1:] for k in self.owners if k[0] == _BOUNDED and k[1:] != UPPER}
                sources = (f"{_AFTER_NON_LETTER}(?=({_trie(bounded)}))" if bounded else None,
                           _trie(self._free) if self._free else None)
                _keep_trie_sources(self.snapshot_key, sources)
            self._compiled = (
                compile_cached(sources[0]) if sources[0] is not None else None,
                compile_cached(sources[1]) if sources[1] is not None else None,
            )
            if _code_store is not None:
                _code_store.save()
        return self._compiled

    def scan(self, text: str, low: str | None = None, lo: int = 0, hi: int | None = None,
             after: list[int] | None = None) -> Starts:
        """Find every prefix occurrence in a document; `Starts.get` then serves each pattern.

        ``low`` is ``fold(text)`` and ``after`` `after_numerals` of the part when
        the caller has them; ``lo`` and ``hi`` limit the scan to a part of the
        text (a prefix must end by ``hi``).
        Until a process has scanned `SMALL_SCAN` characters, the tries are not
        compiled (some 50 ms for the built-in rules): words are looked up one
        by one in the prefix table instead, which is cheaper on short texts and
        finds the same starts.
        """
        global _scanned
        hi = len(text) if hi is None else hi
        _scanned += hi - lo
        for seen in self._memo.values():
            if len(seen) > _MEMO_LIMIT:  # matched texts hold whitespace runs of any length: bounded
                seen.clear()
        if low is None:
            low = fold(text)
        if self._compiled is None and _scanned <= SMALL_SCAN:
            return self._lookup_scan(text, low, lo, hi, after)
        per: dict[object, list[list[int]]] = {}
        bounded_scan, free_scan = self._tries()
        if bounded_scan is not None:
            # every word start: the non-letter before it is matched and the prefix looked ahead at
            # (`_AFTER_NON_LETTER`), so a start inside another prefix's match is seen too
            # each match's offset goes straight to the patterns its prefix begins: the offsets
            # rise, and a pattern is named once per prefix (`_owners_of`), so each list is sorted
            # and has no repeats, and `Starts.get` need not merge them
            memo = self._memo[True]
            owners_of = self._owners_of
            lists: dict[object, list[int]] = {}
            if lo == 0:  # a word at the very start has no character before it: one stands in
                m = bounded_scan.match(" " + low[: _UNITS.match(low, 0, hi).end()] if hi else "")
                if m is not None:
                    for pattern in owners_of(m.group(1), True):
                        lists[pattern] = [0]
            for m in bounded_scan.finditer(low, lo - 1 if lo else 0, hi):
                key = m.group(1)
                owners = memo.get(key)
                if owners is None:
                    owners = owners_of(key, True)
                pos = m.end()
                for pattern in owners:
                    offsets = lists.get(pattern)
                    if offsets is None:
                        lists[pattern] = [pos]
                    else:
                        offsets.append(pos)
            per = {pattern: [offsets] for pattern, offsets in lists.items()}
        if free_scan is not None:
            # free prefixes may begin anywhere: the scan finds them left to right, and each match
            # is tried again at every offset inside it but its first
            found = {}
            for m in free_scan.finditer(low, lo, hi):
                key = m.group()
                start = m.start()
                offsets = found.get(key)
                if offsets is None:
                    found[key] = [start]
                else:
                    offsets.append(start)
                for k in range(1, len(key)):
                    inner = free_scan.match(low, start + k, hi)
                    if inner is not None:
                        found.setdefault(inner.group(), []).append(start + k)
            for key, offsets in found.items():
                for pattern in self._owners_of(key, False):
                    per.setdefault(pattern, []).append(offsets)
        return Starts(per, self._finish(per, text, low, lo, hi, after))

    def _lookup_scan(self, original: str, low: str, lo: int = 0, hi: int | None = None,
                     after: list[int] | None = None) -> Starts:
        """Find the prefixes by looking up the text at each word start (and free-prefix character)."""
        hi = len(low) if hi is None else hi
        found: dict[object, list[int]] = {}
        for bounded, positions in ((True, _WORD_START.finditer(low, lo, hi) if self._bounded else ()),
                                   (False, self._free_first.finditer(low, lo, hi) if self._free_first else ())):
            for m in positions:
                pos = m.start()
                for pattern in self._owners_of(_folded_key_at(low, pos, hi), bounded):
                    offsets = found.setdefault(pattern, [])
                    if not offsets or offsets[-1] != pos:
                        offsets.append(pos)
        per = {pattern: [sorted(offsets)] for pattern, offsets in found.items()}
        return Starts(per, self._finish(per, original, low, lo, hi, after))

    def _finish(self, per: dict[object, list[list[int]]], original: str, low: str, lo: int = 0,
                hi: int | None = None, after: list[int] | None = None,
                ) -> tuple[frozenset[object], str, list[int], int, int] | None:
        """Add capitals (`UPPER`) and the word starts the letter test cannot see.

        Both scans take "not after a letter" as a word start, with ``re``'s idea
        of a letter, which counts numerals such as ½ or ² that ``regex`` does
        not count as word characters. A word right after one of those is
        looked up here, so no start is missed.
        """
        after = after_numerals(original, lo, hi) if after is None else after
        if after and self._bounded:
            for pos in after:
                for pattern in self._owners_of(_folded_key_at(low, pos, hi), True):
                    per.setdefault(pattern, []).append([pos])
        # capitals (every letter but a-z: a superset of \p{Lu}, cheap in `re`) are found
        # by `Starts.get`, when and where a pattern anchored on them asks
        if self.upper is None:
            return None
        return self._upper_owners, original, after, lo, hi


_code_store: Any = None


def compile_cached(pattern: str) -> re.Pattern[str]:
    """Compile with ``re``, keeping the compiled code in the disk cache.

    Parsing a trie of thousands of prefixes and generating its code takes
    some 50 ms in Python; handing cached code to ``_sre.compile`` (which
    checks it) takes a few. The key holds the exact Python version; anything
    unexpected falls back to ``re.compile``.
    """
    done = _compiled_code.get(pattern)
    if done is not None:
        return done
    done = _compiled_code[pattern] = _compile_cached(pattern)
    return done


_compiled_code: dict[str, re.Pattern[str]] = {}


def _compile_cached(pattern: str) -> re.Pattern[str]:
    global _code_store
    from rhetlint import recache

    if _code_store is None:
        _code_store = recache.Store("re-code", max_entries=40, max_bytes=32 * 1024 * 1024)
    if _code_store.path() is None:
        return re.compile(pattern)
    import marshal

    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:  # pragma: no cover - another implementation
        return re.compile(pattern)
    key = recache.digest(b"re-code 1\0", sys.version.encode(), pattern.encode("utf-8", "surrogatepass"))
    raw = _code_store.get(key)
    if raw is not None:
        try:
            flags, code, groups, groupindex, indexgroup = marshal.loads(raw)
            return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - a damaged entry: compiled afresh
            _code_store.drop(key)
    try:
        tree = _parser.parse(pattern, 0)
        code = [int(op) for op in _compiler._code(tree, 0)]  # opcodes are int subclasses marshal refuses
        groupindex = dict(tree.state.groupdict)
        indexgroup: list[str | None] = [None] * tree.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        args = (int(tree.state.flags), code, tree.state.groups - 1, groupindex, tuple(indexgroup))
        compiled = _sre.compile(pattern, *args)
        _code_store.put(key, marshal.dumps(args))
    except Exception:  # noqa: BLE001 - internals changed: the public way
        return re.compile(pattern)
    return compiled  # type: ignore[no-any-return]


_MEMO_LIMIT = 100_000  # entries of an index's per-text memos kept in a long-lived process
SMALL_SCAN = 25_000  # characters a process scans by lookups before it compiles the tries
_scanned = 0
# "Not after a letter": the ASCII test first, since most positions follow a lower-case
# letter and `re` checks a plain range faster than the Unicode categories (same meaning)
_NOT_AFTER_LETTER = r"(?<![a-z])(?<![^\W\d_])"
# A character that is not a letter, matched (not looked behind at): a scan that begins with a
# plain class lets `re` skip to the next candidate in C, where a leading look-behind is tried
# at every position. The class is "not a-z" (a range test) and the look-behind then rules out
# the other letters; the scan looks ahead for the prefix, so it is zero-width there and
# every non-letter is tried, a match's own inner word starts among them.
_AFTER_NON_LETTER = r"[^a-z](?<![^\W\d_])"
_WORD_START = re.compile(rf"{_NOT_AFTER_LETTER}\w")  # after anything but a letter (see AnchorIndex)
_UPPERISH = re.compile(r"[^\W\d_a-z]")
_UNITS = re.compile(rf"(?:\s+|\S){{1,{PREFIX_CHARS}}}")
# a capital that begins a word (see _finish): the capital first, with the lower-case range
# first in its class, so `re` skips lower-case letters without a lookup; then the letter before
_UPPER_START = re.compile(r"[^a-z\W\d_](?<![a-z].)(?<![^\W\d_].)")
_REGEX_LETTER: Any = None
_ASCII_BYTES = bytes(range(128))


def _non_ascii(text: str) -> str:
    """The non-ASCII characters of ``text``, in order.

    Its UTF-8 bytes without the ASCII ones decode to exactly those: all in C,
    some six times faster than a regex scan for them.
    """
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


def after_numerals(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """`_after_numerals` of ``text[lo:hi]``, as offsets into ``text``."""
    hi = len(text) if hi is None else hi
    if (lo, hi) == (0, len(text)):
        return _after_numerals(text)
    return [lo + p for p in _after_numerals(text[lo:hi])]


def _after_numerals(text: str) -> list[int]:
    """Return the word starts right after a character ``re`` takes for a letter and ``regex`` does not.

    ``regex``'s letters (``\\p{L}``) are fewer than its word characters, so these
    cover both a ``\\b`` and a ``(?<![\\p{L}])`` start there (numerals such as ½).
    """
    global _REGEX_LETTER
    if text.isascii():
        return []
    # `re`'s \w beyond ASCII is what str.isalnum() takes
    odd = [ch for ch in set(_non_ascii(text)) if ch.isalnum() and not ch.isdecimal()]
    if not odd:
        return []
    if _REGEX_LETTER is None:
        import regex

        _REGEX_LETTER = regex.compile(r"\p{L}")
    odd = [ch for ch in odd if not _REGEX_LETTER.match(ch)]
    if not odd:
        return []
    marks = re.compile("[" + "".join(re.escape(ch) for ch in odd) + r"](?=\w)")
    return [m.end() for m in marks.finditer(text)]


def _folded_key_at(low: str, pos: int, hi: int | None) -> str:
    """`_key_at` of a scan's text; past ``hi`` (a part of a document) that text is not folded."""
    key = _key_at(low, pos)
    return key if hi is None or hi >= len(low) else fold(key)


def _key_at(text: str, pos: int) -> str:
    """Return up to `PREFIX_CHARS` characters from ``pos``, a run of whitespace as one space."""
    head = text[pos : pos + 2 * PREFIX_CHARS]
    if "  " not in head and head.isprintable():  # no run of spaces, no tab or newline: as is
        return head[:PREFIX_CHARS]
    out: list[str] = []
    n = len(text)
    i = pos
    while i < n and len(out) < PREFIX_CHARS:
        ch = text[i]
        i += 1
        if ch.isspace():
            out.append(_SPACE)
            while i < n and text[i].isspace():
                i += 1
        else:
            out.append(ch)
    return "".join(out)


class Starts:
    """The prefix occurrences of one document, merged per pattern on demand.

    Capitals (`UPPER`) are found only when a pattern anchored on them asks,
    and then only in the stretches it names (a prefilter's): few patterns
    begin with any capital, and those only near their prefilter words.
    """

    def __init__(self, per: dict[object, list[list[int]]],
                 capitals: tuple[frozenset[object], str, list[int], int, int] | None = None) -> None:
        self._per = per
        self._merged: dict[object, list[int]] = {}
        self._capitals = capitals  # (patterns anchored on them, text, starts after numerals, lo, hi)
        self._plain: dict[object, list[int]] = {}  # such a pattern's other starts, merged

    def get(self, pattern: object, spans: Iterable[tuple[int, int]] | None = None) -> list[int]:
        """Return the sorted offsets where ``pattern`` may begin (with ``spans``: at least those inside them)."""
        found = self._merged.get(pattern)
        if found is not None:
            return found
        lists = self._per.get(pattern)
        if lists is None:  # no prefix of it in the document: no start, unless capitals count
            if self._capitals is None or pattern not in self._capitals[0]:
                found = self._merged[pattern] = []
                return found
            lists = []
        if self._capitals is not None and pattern in self._capitals[0]:
            _owners, text, after, lo, hi = self._capitals
            if spans is not None:  # only where the caller will look (all inside the spans): not kept
                spans = list(spans)
                plain = self._plain.get(pattern)
                if plain is None:  # its other starts, merged once
                    plain = self._plain[pattern] = sorted(set(itertools.chain.from_iterable(lists)))
                found = [m.start() for a, b in spans for m in _UPPER_START.finditer(text, max(a, lo), min(b, hi))]
                found += [p for p in after if _UPPERISH.match(text, p) and any(a <= p < b for a, b in spans)]
                for a, b in spans:
                    found += plain[bisect.bisect_left(plain, a) : bisect.bisect_left(plain, b)]
                return sorted(set(found))
            caps = [m.start() for m in _UPPER_START.finditer(text, lo, hi)]
            if after:
                caps = sorted({*caps, *(p for p in after if _UPPERISH.match(text, p))})
            lists = [*lists, caps]
        if len(lists) == 1:
            found = lists[0]
        else:
            found = sorted(set(itertools.chain.from_iterable(lists)))
        self._merged[pattern] = found
        return found


_patterns: dict[object, str] = {}  # a pattern of the document scan -> its prefixes, packed (`_pack`)
_keys: dict[object, str] = {}  # and its key in the prefix cache (`_build_index`)
_local: dict[object, LocalAnchor | None] = {}  # patterns tried only in small windows (exceptions)
_required_of: dict[object, Requirement] = {}  # a pattern -> the words it requires (scanned like a pattern)
_pending: dict[object, tuple[str, dict[str, Iterable[str]], int, bool]] = {}
_index: AnchorIndex | None = None
_cache: dict[str, str | None] | None = None
_cache_dirty = False
_used: set[str] = set()
_MAX_CACHE = 800  # past this many entries, a write keeps only what the process used
_snapshots: Any = None  # the index snapshots (`_build_index`): a recache.Store
_local_sources: Any = None  # the sources of window-only scans (`LocalAnchor._sources`): a recache.Store


def register(pattern: object, source: str, lexicons: Mapping[str, Iterable[str]], flags: int = 0,
             local: bool = False) -> None:
    """Note a compiled rule pattern; its start prefixes are read when a document first needs them.

    A ``local`` pattern is only ever tried inside small windows (a rule's
    exceptions, around a hit): it stays out of the document scan, and
    `local_starts` finds its starts in a window when asked.
    """
    global _index
    if pattern in _patterns or pattern in _local or pattern in _pending:
        return
    _pending[pattern] = (source, dict(lexicons), flags, local)
    if not local:
        _index = None


def _resolve() -> None:
    """Read the prefixes of every pattern registered since the last call (through the disk cache).

    The document scan's patterns keep their prefixes packed (`_pack`): the
    index is rebuilt from a snapshot of its own (`_build_index`), and they are
    unpacked only when that is missing.
    """
    cache = _load_cache()
    for pattern, (source, lexicons, flags, local) in _pending.items():
        key = _key(source, lexicons, flags)
        packed = _cached(cache, key, start_prefixes, source, lexicons, flags)
        if local:
            prefixes = _unpack(packed)
            _local[pattern] = LocalAnchor(prefixes) if prefixes else None
            continue
        if packed == "":  # no prefix at all: it never matches
            continue
        if packed is not None:
            _patterns[pattern] = packed
            _keys[pattern] = key
        words = _cached(cache, key + ":required", required_words, source, lexicons, flags)
        if not words or words == packed:  # none, or the anchors already ask for these (packing is canonical)
            continue
        reach = _cached(cache, key + ":reach", required_reach, source, lexicons, flags, pack=_pack_int)
        if packed is None and reach is None:
            continue  # no anchor: searched in every window, unless a match begins a bounded reach
            # before a required word, which the document scan finds (`finditer_in`, `near_marks`)
        tail = None
        if packed is not None:
            tail_key = f"{key}:tail:{_regexsource_digest()}"  # the cut is rhetlint.regexsource's too
            tail = _cached(cache, tail_key, required_tail, source, lexicons, flags, pack=_pack_str)
        requirement = _required_of[pattern] = Requirement(int(reach) if reach is not None else None,
                                                         Tail(tail, lexicons, flags) if tail else None)
        _patterns[requirement] = words
        _keys[requirement] = key + ":required"
    _pending.clear()
    save()


def near_marks(marks: list[int], text: str, runs: int, windows: Iterable[tuple[int, int]]) -> list[int] | None:
    """Every offset in the windows with a mark (a required word) at most ``runs`` runs of whitespace on.

    The sorted offsets where a match holding one of the marks within that
    reach may begin (each mark's stretch back is one backward scan, as in
    `within_reach`). None until a process has scanned `SMALL_SCAN`
    characters, when the stretches hold more than a quarter of the
    windows' characters (a plain search of the windows costs less), or when
    the windows are out of order or overlap (a plugin parser's blocks may):
    `iter_matches` takes its offsets in order.
    """
    if _scanned <= SMALL_SCAN:
        return None
    windows = list(windows)
    end = 0
    for lo, hi in windows:
        if lo < end:
            return None
        end = hi
    most = sum(hi - lo for lo, hi in windows) // 4
    scan = _reach_scans.get(runs) or _reach_scan(runs)
    out: list[int] = []
    for lo, hi in windows:
        done = lo  # the offsets before it are in out already
        for k in range(bisect.bisect_left(marks, lo), bisect.bisect_left(marks, hi)):
            r = marks[k]
            first = max(scan.match(text, lo, r).start(), done)
            out.extend(range(first, r + 1))
            if len(out) > most:
                return None
            done = r + 1
    return out


def _regexsource_digest() -> str:
    return diskcache.source_digest(_REGEXSOURCE)


_REGEXSOURCE = str(Path(__file__).with_name("regexsource.py"))


def _cached(cache: dict[str, str | None], key: str, compute: Callable[..., Any], *args: Any,
            pack: Callable[[Any], str | None] | None = None) -> str | None:
    """Return a packed prefix set (or what ``pack`` makes) from the disk cache, computing (``compute(*args)``) and storing it when missing."""
    global _cache_dirty
    _used.add(key)
    packed = cache.get(key)
    if isinstance(packed, str) or packed is None and key in cache:
        return packed
    packed = cache[key] = (pack or _pack)(compute(*args))
    _cache_dirty = True
    return packed


def _build_index() -> AnchorIndex:
    """The index over every pattern of the document scan, from its snapshot in the disk cache when there is one.

    Unpacking some 5,000 prefixes and sorting them into the table costs a few
    milliseconds of every run; the table itself (prefix -> the positions of
    its patterns) loads in one. The snapshot's key is made of every pattern's
    key, in order, so any change to a pattern, a list or this code misses it.
    """
    global _snapshots
    if _snapshots is None:
        from rhetlint import recache

        _snapshots = recache.Store("anchor-index", max_entries=8, max_bytes=4 * 1024 * 1024)
    patterns = list(_patterns)
    key = diskcache.digest("\n".join(_keys[p] for p in patterns).encode())
    # sealed (`diskcache.seal`): its key already names this code and every pattern, so an
    # entry whose digest holds is the table this code built (a shape check took ~3 ms a run)
    owners = diskcache.load_sealed(_snapshots, key, lambda value: isinstance(value, dict))
    if owners is not None:
        index = AnchorIndex.from_owners(patterns, owners)
        index.snapshot_key = key
        return index
    built = AnchorIndex({p: _unpack(_patterns[p]) or frozenset() for p in patterns})
    built.snapshot_key = key
    diskcache.put_sealed(_snapshots, key, built.owners)
    _snapshots.save()
    return built




def _trie_sources(key: str | None) -> tuple[str | None, str | None] | None:
    """The sources of an index's two tries, kept beside its snapshot (rendering them takes ~10 ms)."""
    if key is None or _snapshots is None:
        return None
    return _stored_sources(_snapshots, key + ":tries", 2)  # type: ignore[return-value]


def _stored_sources(store: Any, key: str, count: int) -> tuple[str | None, ...] | None:
    """The ``count`` scan sources a store keeps sealed under ``key``, or None (a damaged entry is dropped)."""
    return diskcache.load_sealed(  # type: ignore[no-any-return]
        store, key, lambda value: isinstance(value, tuple) and len(value) == count
        and all(source is None or isinstance(source, str) for source in value))


def _keep_trie_sources(key: str | None, sources: tuple[str | None, str | None]) -> None:
    if key is not None and _snapshots is not None:
        diskcache.put_sealed(_snapshots, key + ":tries", sources)
        _snapshots.save()


class Requirement:
    """Stands for the words a pattern requires in the document scan (see `required_words`).

    ``reach`` is `required_reach`: the runs of whitespace at most between a
    match's start and the required word it holds (None: no bound); ``tail``
    is `required_tail` (a `Tail`; None: none).
    """

    __slots__ = ("reach", "tail")

    def __init__(self, reach: int | None = None, tail: Any = None) -> None:
        self.reach = reach
        self.tail = tail


def within_reach(starts: list[int], marks: list[int], text: str, runs: int) -> list[int]:
    """Keep the sorted ``starts`` whose next mark (a required word) lies within ``runs`` runs of whitespace.

    A match begun at ``s`` holds a required word beginning at some ``r``
    with at most ``runs`` runs of whitespace in ``text[s:r]``; the first mark
    at or after ``s`` is no further. The starts that share a next mark are
    cut with one backward scan from it (``regex``'s reverse matching), which
    reads no further back than the first of them: linear in the text.
    Until a process has scanned `SMALL_SCAN` characters the starts are kept
    as they are: each bound's scan costs some 0.3 ms to compile, more than
    it saves on a short text.
    """
    if _scanned <= SMALL_SCAN:
        return starts
    scan = _reach_scans.get(runs) or _reach_scan(runs)
    short = max(0, 2 * runs - 1)  # k runs need 2k - 1 characters: a start this close is kept as it is
    out: list[int] = []
    i, j, n, m = 0, 0, len(starts), len(marks)
    while i < n:
        s = starts[i]
        j = bisect.bisect_left(marks, s, j)
        if j == m:
            break
        r = marks[j]
        k = bisect.bisect_right(starts, r, i)  # starts[i:k]: those whose next mark is r
        if r - s > short:
            i = bisect.bisect_left(starts, scan.match(text, s, r).start(), i, k)
        out.extend(starts[i:k])
        i = k
    return out


_reach_scans: dict[int, Any] = {}


def _reach_scan(runs: int) -> Any:
    """The backward scan of `within_reach` for a bound, compiled through the disk cache."""
    from rhetlint import recache

    space, other = "[" + re.escape(WHITESPACE) + "]", "[^" + re.escape(WHITESPACE) + "]"
    # from a mark backwards: the longest stretch with at most `runs` runs of whitespace
    scan = _reach_scans[runs] = recache.compile(f"(?r){other}*+(?:{space}++{other}*+){{0,{runs}}}")
    recache.save()  # written only when it was new
    return scan


def warm_reach() -> None:
    """Compile now the backward scans of every registered requirement's reach (before worker processes fork)."""
    if _pending:
        index()
    for need in set(_required_of.values()):
        if need.reach is not None and need.reach not in _reach_scans:
            _reach_scan(need.reach)


def required(pattern: object) -> Requirement | None:
    """Return what stands for the words ``pattern`` requires (`Context.anchor_starts` finds them), or None."""
    if _pending:
        index()
    return _required_of.get(pattern)


def _pack_str(value: str | None) -> str | None:
    return value


class Tail:
    """A pattern's `required_tail`, compiled like the pattern at its first use (`tail_marks`).

    Most runs never try one (short texts), so a process compiles, or decodes
    from the disk cache, only those it uses.
    """

    __slots__ = ("pattern", "_flags", "_lexicons", "_compiled")

    def __init__(self, pattern: str, lexicons: Mapping[str, Iterable[str]], flags: int) -> None:
        self.pattern = pattern
        self._flags = flags
        self._lexicons = lexicons  # the pattern's named lists (those the tail names are passed)
        self._compiled: Any = None

    def compiled(self) -> Any:
        """The compiled tail (False if its pattern's compiler refuses it: then it is never tried)."""
        if self._compiled is None:
            from rhetlint import recache

            names = {m.group(2) for m in _LIST.finditer(self.pattern)}
            try:
                self._compiled = recache.compile(self.pattern, self._flags,
                                                 **{n: v for n, v in self._lexicons.items() if n in names})
            except Exception:  # noqa: BLE001 - the starts are all tried
                self._compiled = False
            recache.save()  # written at once when new: a short run may make no later write
        return self._compiled


TAIL_MIN_RATIO = 2  # starts per mark below which trying the marks' tails is not worth it


def tail_marks(tail: Any, text: str, starts: list[int], marks: list[int], windows: Iterable[tuple[int, int]],
               timeout: Callable[[], float | None] | None = None) -> list[int] | None:
    """Return the marks (a requirement's, in ``windows``, none before the first start) where ``tail`` matches.

    Each is tried up to the end of its window, as the pattern is. None (keep
    every mark) when there are more than half as many marks to try as starts
    they could cut, or until a process has scanned `SMALL_SCAN` characters
    (compiling a tail costs a short text more than it saves).
    """
    if _scanned <= SMALL_SCAN or not starts:
        return None
    first = starts[0]
    picked: list[tuple[int, int]] = []
    end = 0
    for lo, hi in windows:
        if lo < end:
            return None  # windows out of order or overlapping (a plugin parser's blocks): no cut
        end = hi
        i = bisect.bisect_left(marks, max(lo, first))
        j = bisect.bisect_left(marks, hi, i)
        picked.extend((marks[k], hi) for k in range(i, j))
        if TAIL_MIN_RATIO * len(picked) > len(starts):  # a try per mark would cost about what it could save
            return None
    compiled = tail.compiled() if isinstance(tail, Tail) else tail
    if compiled is False:
        return None
    match = compiled.match
    timed = timeout is not None and timeout() is not None  # else SIGALRM keeps the rule's budget (or none runs)
    return [r for r, hi in picked
            if (match(text, r, hi, timeout=timeout()) if timed else match(text, r, hi)) is not None]  # type: ignore[misc]


def _pack_int(value: int | None) -> str | None:
    return None if value is None else str(value)


def _pack(prefixes: frozenset[tuple[str, bool]] | None) -> str | None:
    """One string per entry: a cache of a few hundred strings loads in a few milliseconds."""
    if prefixes is None:
        return None
    # whitespace in a prefix is always the one space marker, so a newline can separate them
    return "\n".join(_tag(p, bounded) for p, bounded in sorted(prefixes))


_BOUNDED = "\1"


def _tag(prefix: str, bounded: bool) -> str:
    """A prefix as the index keys it: one character for bounded or not, then the prefix."""
    return (_BOUNDED if bounded else "\2") + prefix


def _unpack(packed: str | None) -> frozenset[tuple[str, bool]] | None:
    if packed is None:
        return None
    return frozenset((item[1:], item[0] == "\1") for item in packed.split("\n")) if packed else frozenset()


def index() -> AnchorIndex:
    """Return the index over every registered pattern (rebuilt after a registration)."""
    global _index
    if _index is None:
        _resolve()
        _index = _build_index()
    return _index


def anchored(pattern: object) -> bool:
    """Tell whether a pattern has start prefixes in the document scan."""
    if _pending:
        index()
    return pattern in _patterns


def warm_up() -> None:
    """Compile the document scan's tries, the reach scans and every window-only pattern's scans now."""
    index().compile()
    warm_reach()
    for anchor in _local.values():
        if anchor is not None:
            anchor._compile()


def local_starts(pattern: object, text: str, low: str, lo: int, hi: int, after: list[int]) -> list[int] | None:
    """Return where a ``local`` pattern may begin in ``text[lo:hi]``, or None to try everywhere.

    ``low`` is ``fold(text)`` and ``after`` `_after_numerals(text)`, both
    computed once per document by the caller.
    """
    if _pending:
        _resolve()
    anchor = _local.get(pattern)
    if anchor is None or (anchor._scans is None and _scanned <= SMALL_SCAN):
        return None  # until a process has scanned SMALL_SCAN characters, compiling the scans costs more
    return anchor.starts(text, low, lo, hi, after)


class LocalAnchor:
    """The start prefixes of one pattern, found in a window by zero-width scans.

    The lookahead tries every position of the window, so overlapping starts
    are all seen; the regexes are compiled at first use.
    """

    def __init__(self, prefixes: frozenset[tuple[str, bool]]) -> None:
        self.bounded = sorted(fold(p) for p, b in prefixes if b and p != UPPER)
        self.free = sorted(fold(p) for p, b in prefixes if not b)
        self.upper = (UPPER, True) in prefixes
        self._scans: list[re.Pattern[str]] | None = None

    def _compile(self) -> list[re.Pattern[str]]:
        if self._scans is None:
            self._scans = [compile_cached(source) if source is not None else None for source in self._sources()]
            if _code_store is not None:
                _code_store.save()
            if _local_sources is not None:
                _local_sources.save()
        return self._scans  # type: ignore[return-value]

    def _sources(self) -> tuple[str | None, ...]:
        """The scans' sources, kept sealed in the `local-tries` store once rendered (some 0.5 ms each)."""
        global _local_sources
        if _local_sources is None:
            from rhetlint import recache

            _local_sources = recache.Store("local-tries", max_entries=64, max_bytes=2 * 1024 * 1024)
        key = diskcache.digest(diskcache.source_digest(__file__).encode(),
                               "\n".join(self.bounded).encode(), b"\0", "\n".join(self.free).encode())
        stored = _stored_sources(_local_sources, key, 3)
        if stored is not None:
            return stored
        bounded = _trie(self.bounded) if self.bounded else None
        sources = (f"{_NOT_AFTER_LETTER}(?={bounded})" if bounded is not None else None,
                   f"(?={_trie(self.free)})" if self.free else None,
                   bounded)
        diskcache.put_sealed(_local_sources, key, sources)
        return sources

    def starts(self, text: str, low: str, lo: int, hi: int, after: list[int]) -> list[int]:
        """Return the sorted offsets in ``[lo, hi)`` where one of the prefixes begins."""
        bounded, free, at = self._compile()
        found: list[int] = []
        parts = 0  # lists joined in found: one alone is sorted and has no repeats already
        # a prefix begun before hi ends within PREFIX_CHARS units (a character or a run of whitespace) of hi - 1
        reach = _UNITS.match(low, hi - 1) if lo < hi else None
        end = reach.end() if reach is not None else hi
        for scan in (bounded, free):
            if scan is None:
                continue
            got = [m.start() for m in scan.finditer(low, lo, end)]  # zero-width: rising offsets
            while got and got[-1] >= hi:
                got.pop()
            if got:
                found += got
                parts += 1
        if after:
            i = bisect.bisect_left(after, lo)
            while i < len(after) and after[i] < hi:
                pos = after[i]
                i += 1
                if (at is not None and at.match(low, pos)) or (self.upper and _UPPERISH.match(text, pos)):
                    found.append(pos)
                    parts = 2
        if self.upper:
            caps = [m.start() for m in _UPPER_START.finditer(text, lo, hi)]
            if caps:
                found += caps
                parts += 1
        return found if parts < 2 else sorted(set(found))


def _key(source: str, lexicons: Mapping[str, Iterable[str]], flags: int) -> str:
    """The cache key of a pattern's prefixes: this code, the pattern, its flags and its lists.

    The lists count by content (recache digests each distinct list once per process).
    """
    from rhetlint import recache

    return diskcache.digest(f"{diskcache.source_digest(__file__)}:{PREFIX_CHARS}:".encode(),
                            recache.pattern_key(source, flags, lexicons).encode())


def _cache_path() -> Path | None:
    """The prefix cache lives beside the compiled-pattern cache (`rhetlint.diskcache`)."""
    base = diskcache.folder()
    if base is None:
        return None
    from rhetlint import __version__

    return base / f"anchors-{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}.pickle"


def _load_cache() -> dict[str, str | None]:
    global _cache
    if _cache is None:
        _cache = diskcache.load(_cache_path())
    return _cache


def save() -> None:
    """Write new prefixes back (atomically; errors are ignored).

    The file keeps every entry up to `_MAX_CACHE`; past that, only the entries
    this process used (house rules that come and go cannot grow it forever).
    """
    global _cache_dirty
    if not _cache_dirty or _cache is None:
        return
    if diskcache.save(_cache_path(), _cache, _used, _MAX_CACHE):
        _cache_dirty = False


def iter_matches(pattern: Any, text: str, windows: Iterable[tuple[int, int]], starts: list[int],
                 timeout: Callable[[], float] | None = None) -> Iterator[Any]:
    """Try ``pattern`` at each start inside each window, skipping starts inside the last match.

    Trying every possible start in order is what ``finditer`` does, so the
    matches are the same. ``timeout`` gives the seconds left for each ``regex``
    call (``re`` patterns take none).
    """
    # no per-call limit for `re` patterns, without a clock, or while SIGALRM keeps the budget
    plain = isinstance(pattern, re.Pattern) or timeout is None or timeout() is None
    match = None  # a pattern decoded on first use (recache.LazyPattern) is decoded at the first try
    i = 0
    n = len(starts)
    calls = 0
    left = 0.0
    for lo, hi in windows:
        i = bisect.bisect_left(starts, lo, i)
        last = lo
        while i < n and starts[i] < hi:
            pos = starts[i]
            i += 1
            if pos < last:
                continue
            if match is None:
                real = getattr(pattern, "real", None)
                match = (real() if real is not None and callable(real) else pattern).match
            if plain:
                m = match(text, pos, hi)
            else:
                if not calls & 15:  # the clock is read every 16 tries (each try is short)
                    left = timeout()  # type: ignore[misc]
                calls += 1
                m = match(text, pos, hi, timeout=left)
            if m is not None:
                yield m
                last = m.end() if m.end() > pos else pos + 1
