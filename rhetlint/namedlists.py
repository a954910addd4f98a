"""Named lists written out as factored alternations before a pattern is compiled.

``regex`` compiles a named list (``\\L<name>``) as an alternation of all its
entries, longest first, and tries them one after the other at each place: a
gazetteer of 500 names is 500 tries. The same entries as a trie
("Ali(?:ce|son)") are tried letter by letter, about twice as fast on the
analogy rules' patterns, and decode from the cache as quickly.

The trie finds the same matches in the same order: at a place, the entries
that match are prefixes of one another (no two branches of a node can match
the same character, which `written_out` checks, case-insensitively), and the
trie tries the longest first, as ``regex`` does. That order holds for a
forward match; inside a look-behind, which matches backwards, a list is left
as it is. So is every pattern with syntax not read here (verbose mode,
comments, full case folding, reverse or POSIX matching, fuzzy costs, nested
sets, back references, conditionals, an inline "(?i)" or "(?-i)" anywhere but
at the very start, which holds from where it stands to the end of its group,
a list entry of over 200 characters...): it compiles exactly as written.
Where case is ignored, two branches conflict when regex's own cases of their
first characters overlap ("I" and "İ" both match "i").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from rhetlint import regexsource, trie

# flags under which the trie's order or its letters' folding could differ
_REFUSED_FLAGS = (regex.VERBOSE | regex.REVERSE | regex.FULLCASE | regex.V1 | regex.POSIX | regex.LOCALE
                  | regex.BESTMATCH | regex.ENHANCEMATCH)
_LIST = re.compile(r"\\L<(\w+)>")
_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])")
_COUNT = re.compile(r"\{\d*(?:,\d*)?\}")
_NAMED = re.compile(r"\(\?P?<\w+>")  # a named group (a look-behind is "(?<=" or "(?<!")
# inline flags that leave the order alone: ASCII, ignore case (checked), multi-line, dot-all, Unicode
_KEPT_FLAGS = frozenset("aimsu")
_LONGEST = 200  # characters of an entry at most (the trie is rendered recursively, a level a character)
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class _Refused(Exception):
    """Syntax the rewriting does not read: the pattern is compiled as written."""


def written_out(pattern: str, flags: int, lists: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Return the pattern with its named lists as factored alternations, and the lists it still names.

    A list stays named where it stands in a look-behind, or where case is
    ignored and one character could match two branches of its trie (`_distinct`);
    anything the rewriting does not read gives the pattern and lists back
    unchanged. A list written out in two places or more is written once, in
    a group the places call (`_shared`).
    """
    if not lists or flags & _REFUSED_FLAGS or regex.DEFAULT_VERSION == regex.VERSION1:
        return pattern, dict(lists)
    try:
        places = _list_places(pattern, bool(flags & regex.IGNORECASE))
    except (_Refused, regexsource.Unsupported, IndexError):
        return pattern, dict(lists)
    if {place[2] for place in places} != set(lists):
        return pattern, dict(lists)  # an unused or unknown list: regex says so
    alternations: dict[tuple[str, bool], str | None] = {}
    for _, _, name, behind, nocase in places:
        if not behind and (name, nocase) not in alternations:
            alternations[name, nocase] = _written_list(lists[name], nocase)
    calls = _shared(pattern, flags, places, alternations)
    out: list[str] = []
    kept: dict[str, Any] = {}
    pos = 0
    for start, end, name, behind, nocase in places:
        written = None if behind else alternations[name, nocase]
        if written is None:
            kept[name] = lists[name]
            continue
        out += (pattern[pos:start], calls.get((name, nocase), written))
        pos = end
    out.append(pattern[pos:])
    if calls:
        # the called groups, defined at the end (numbered after the pattern's own), each
        # with the case of the places that call it
        out.append("(?(DEFINE)")
        out += (f"(?P<{call[3:-1]}>(?{'' if nocase else '-'}i:{alternations[name, nocase]}))"
                for (name, nocase), call in calls.items())
        out.append(")")
    return "".join(out), kept


def _shared(pattern: str, flags: int, places: list[tuple[int, int, str, bool, bool]],
            alternations: dict[tuple[str, bool], str | None]) -> dict[tuple[str, bool], str]:
    """The group calls ("(?&_rl0)") that stand for lists written out in more than one place.

    A gazetteer is most of a pattern's compiled code, which every process
    decodes from the cache: written once and called, it decodes that much
    faster. A call backtracks like the group written in place and captures
    nothing; the group is named ``_rl`` and a number no group of the pattern
    has, and matches with the case of its places. Not where ASCII or Unicode
    flags could change how case is ignored.
    """
    if flags & regex.ASCII or any(set(m.group(1) + (m.group(2) or "")) & set("au") for m in _FLAGS.finditer(pattern)):
        return {}
    counts: dict[tuple[str, bool], int] = {}
    for _, _, name, behind, nocase in places:
        if not behind and alternations[name, nocase] is not None:
            counts[name, nocase] = counts.get((name, nocase), 0) + 1
    calls: dict[tuple[str, bool], str] = {}
    number = 0
    for key, count in counts.items():
        if count > 1:
            while f"_rl{number}" in pattern:
                number += 1
            calls[key] = f"(?&_rl{number})"
            number += 1
    return calls


def _list_places(pattern: str, nocase: bool) -> list[tuple[int, int, str, bool, bool]]:
    """Each ``\\L<name>``: its span, its name, whether a look-behind holds it and whether case is ignored there."""
    for m in _FLAGS.finditer(pattern):  # "(?i)", "(?-i)": from where it stands to the end of its group
        if m.group(3) == ")" and "i" in m.group(1) + (m.group(2) or ""):
            if m.start() != 0:
                raise _Refused  # case changing in mid-pattern: not followed here
            nocase = "i" in m.group(1)  # at the very start: for the whole pattern
    places: list[tuple[int, int, str, bool, bool]] = []
    groups: list[tuple[bool, bool]] = []  # for each open group: whether it is a look-behind, case outside it
    behind = 0
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            named = _LIST.match(pattern, i)
            if named is not None:
                places.append((i, named.end(), named.group(1), behind > 0, nocase))
                i = named.end()
            else:
                i = regexsource._escape_end(pattern, i)
        elif ch == "[":
            i = regexsource._class_end(pattern, i)
        elif ch == "(":
            look = pattern.startswith(("(?<=", "(?<!"), i)
            groups.append((look, nocase))
            behind += look
            if not look and pattern.startswith(("(?", "(*"), i):
                nocase = _group_case(pattern, i, nocase)
            i += 1
        elif ch == ")":
            if not groups:
                raise _Refused
            look, nocase = groups.pop()
            behind -= look
            i += 1
        elif ch == "{":
            count = _COUNT.match(pattern, i)
            if count is None:
                raise _Refused  # a fuzzy cost, or a literal brace
            i = count.end()
        else:
            i += 1
    return places


def _group_case(pattern: str, i: int, nocase: bool) -> bool:
    """Whether case is ignored inside a group opening at ``i``; refuse every opening but the plain ones."""
    if pattern.startswith(("(?:", "(?=", "(?!", "(?>"), i):
        return nocase
    if _NAMED.match(pattern, i):
        return nocase
    flags = _FLAGS.match(pattern, i)
    if flags is not None and set(flags.group(1) + (flags.group(2) or "")) <= _KEPT_FLAGS:
        if flags.group(3) == ")":
            return nocase  # "(?s)": for the whole pattern ("(?i)" was seen first)
        if "i" in flags.group(1):
            return True
        return False if "i" in (flags.group(2) or "") else nocase
    raise _Refused  # comments, recursion, conditionals, branch reset, verbs, other flags


def _written_list(entries: Iterable[Any], nocase: bool) -> str | None:
    """`_alternation`, once per list: the rules' gazetteers recur in a dozen patterns."""
    try:
        key = (frozenset(entries), nocase)
    except TypeError:
        return _alternation(entries, nocase)  # regex will say what it makes of them
    written = _memo.get(key, "")
    if written == "":
        if len(_memo) >= 256:
            _memo.clear()
        written = _memo[key] = _alternation(key[0], nocase)
    return written


_memo: dict[tuple[frozenset[Any], bool], str | None] = {}


def _alternation(entries: Iterable[Any], nocase: bool) -> str | None:
    """The entries as one factored alternation, or None when they cannot be written out safely.

    Where case is ignored, no two branches of a node may begin with letters
    equal but for case: both would match there, and the shorter entry could
    be tried before the longer.
    """
    if not all(isinstance(entry, str) and 0 < len(entry) <= _LONGEST for entry in entries):
        return None  # regex checks what it takes; an empty entry (or a very long one) is left to it too
    root = trie.tree(entries)
    if not root or (nocase and not _distinct(root)):
        return None
    written = trie.render(root, _literal)
    return written if len(root) > 1 else f"(?:{written})"


def _distinct(node: dict) -> bool:  # type: ignore[type-arg]
    """Tell whether no character matches, ignoring case, two branches of any node.

    The characters each branch matches are regex's own case-insensitive cases
    of its first character ("I" matches "i" and "ı", "İ" matches "i").
    """
    try:
        from regex import _regex

        cases_of = _regex.get_all_cases
    except (ImportError, AttributeError):  # another regex: no list is written out where case is ignored
        return False
    flags = regex.IGNORECASE | regex.UNICODE
    stack = [node]
    while stack:
        node = stack.pop()
        if len(node) > 1:
            seen: set[int] = set()
            for ch in node:
                if ch:
                    cases = set(cases_of(flags, ord(ch))) | {ord(ch)}
                    if cases & seen:
                        return False
                    seen |= cases
        stack.extend(child for ch, child in node.items() if ch)
    return True


def _literal(ch: str) -> str:
    """A character as the pattern spells it: letters and digits as they are, anything else by its code."""
    return ch if ch in _PLAIN or (ch.isalnum() and not ch.isascii()) else f"\\U{ord(ch):08x}"
