"""Where the items of a ``regex`` pattern lie in its source, for cutting a pattern into parts.

`items` reads a pattern the way the standard parser builds its tree: a
sequence of items (a character, an escape, a class, a group, each with its
quantifier), groups holding sequences of their own. A group whose content
has alternatives is one item, its content not split. Only the plain syntax
is read; anything else (verbose mode, comments, back references, recursion,
conditionals, global inline flags, fuzzy costs, nested classes, `\\G`, `\\K`,
control verbs) gives None, so a caller never cuts a pattern it may misread.
`tail` uses it to cut a pattern to the part from one item to its end
(`rhetlint.anchors.required_tail`).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Unsupported(Exception):
    """Syntax `items` does not read."""


class Item(NamedTuple):
    """One item of a sequence: ``source[start:end]``, its quantifier included.

    ``kind`` is "group" (a group, unquantified), "repeat" (anything
    quantified), "alternation" (a content with "|", which the parser may
    split into a common beginning and the rest) or "other", as the standard
    parser's tree has them; ``open``
    counts the non-capturing groups around it that the parser dissolved into
    the sequence ("a(?:bc)d" is four items, "b" and "c" inside one).
    """

    start: int
    end: int
    kind: str
    open: int = 0
    # a group a tail may enter: its opening as a non-capturing group ("(?:" or
    # "(?i:"), and its content; None for anything else
    opener: str | None = None
    content: Sequence | None = None


class Sequence(NamedTuple):
    """A group's content (or the whole pattern): its items, between ``start`` and ``end``."""

    start: int
    end: int
    items: tuple[Item, ...]


_QUANTIFIER = re.compile(r"[*+?]|\{(?:\d+(?:,\d*)?|,\d+)\}")
_SCOPED = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]+))?:")
_NAMED = re.compile(r"\(\?P?<(?![=!])\w+>")
_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}
_REFUSED_ESCAPES = frozenset("gGK0123456789")


def items(source: str) -> Sequence | None:
    """The pattern as a tree of items with their places, or None if it uses syntax not read here."""
    try:
        found, end = _content(source, 0, 0)
    except (Unsupported, IndexError, RecursionError):
        return None
    if end != len(source):  # an unbalanced ")"
        return None
    return Sequence(0, end, found)


def _content(src: str, i: int, depth: int, opened: int = 0) -> tuple[tuple[Item, ...], int]:
    """The items of a group's content (or the pattern) from ``i`` up to its ")"; a content with "|" is one item."""
    found, alternatives, end = _items(src, i, depth, opened)
    if alternatives:
        return ((Item(i, end, "alternation", opened),) if end > i else ()), end
    return tuple(found), end


def _items(src: str, i: int, depth: int, opened: int) -> tuple[list[Item], bool, int]:
    if depth > 100:
        raise RecursionError
    found: list[Item] = []
    alternatives = False
    n = len(src)
    while i < n:
        ch = src[i]
        if ch == ")":
            break
        if ch == "|":
            alternatives = True
            i += 1
            continue
        begin = i
        kind = "other"
        opener: str | None = None
        inner: tuple[Item, ...] | None = None
        inner_start = 0
        if ch == "\\":
            i = _escape_end(src, i)
        elif ch == "[":
            i = _class_end(src, i)
        elif ch == "(":
            opener, inner_start = _group_open(src, i)
            dissolved = src.startswith("(?:", i)
            inner, i = _content(src, inner_start, depth + 1, opened + 1 if dissolved else 0)
            if src[i] != ")":
                raise Unsupported
            i += 1
            kind = "dissolved" if dissolved else "group"
        elif ch in "*+?{":
            raise Unsupported  # a quantifier with nothing before it, or a literal brace
        else:
            i += 1
        q = _QUANTIFIER.match(src, i)
        if q is not None:
            i = q.end()
            if i < n and src[i] in "?+":
                i += 1
            found.append(Item(begin, i, "repeat", opened))  # a repeated group is no place to cut
            continue
        if i < n and src[i] == "{":
            raise Unsupported  # a literal brace, or a fuzzy cost
        if kind == "dissolved":  # the parser puts a plain group's items into the sequence
            found.extend(inner or ())
        elif kind == "group":
            content = Sequence(inner_start, i - 1, inner or ())
            found.append(Item(begin, i, "group", opened, opener, content if opener is not None else None))
        else:
            found.append(Item(begin, i, "other", opened))
    return found, alternatives, i


def _escape_end(src: str, i: int) -> int:
    kind = src[i + 1]
    if kind in _REFUSED_ESCAPES:
        raise Unsupported  # back references, \G, \K, octal
    if kind in _ESCAPE_LENGTH:
        end = i + _ESCAPE_LENGTH[kind]
        if end > len(src) or not all(c in "0123456789abcdefABCDEF" for c in src[i + 2 : end]):
            raise Unsupported
        return end
    if kind in "NpP" and src[i + 2 : i + 3] == "{":
        close = src.find("}", i)
        if close < 0:
            raise Unsupported
        return close + 1
    if kind in "pP":
        return i + 3
    if kind == "L":
        close = src.find(">", i)
        if src[i + 2 : i + 3] != "<" or close < 0:
            raise Unsupported
        return close + 1
    return i + 2


def _class_end(src: str, i: int) -> int:
    j = i + 1
    if src[j] == "^":
        j += 1
    if src[j] == "]":
        j += 1
    while True:
        ch = src[j]
        if ch == "\\":
            j = _escape_end(src, j)
        elif ch == "[":
            raise Unsupported  # a nested set or a POSIX class
        elif ch == "]":
            return j + 1
        else:
            j += 1


def _group_open(src: str, i: int) -> tuple[str | None, int]:
    """Return a group's opening as a tail may write it (None: no place to cut) and where its content begins."""
    if src.startswith("(?:", i):
        return None, i + 3  # dissolved into the enclosing sequence (`_items`)
    named = _NAMED.match(src, i)
    if named is not None:
        return "(?:", named.end()
    for look in ("(?=", "(?!", "(?<=", "(?<!", "(?>"):
        if src.startswith(look, i):
            return None, i + len(look)
    scoped = _SCOPED.match(src, i)
    if scoped is not None:
        flags = scoped.group(1) + (scoped.group(2) or "")
        if set(flags) & set("xXV0123456789") or not flags:
            raise Unsupported  # verbose mode, versions
        return scoped.group(), scoped.end()
    if src.startswith("(?", i) or src.startswith("(*", i):
        raise Unsupported  # comments, global flags, recursion, conditionals, branch reset, verbs
    return "(?:", i + 1


def tail(source: str, tree: Sequence, path: tuple[int, ...]) -> str:
    """The pattern from the item at ``path`` (indices down through groups) to its end.

    Each group the path enters becomes a non-capturing one (scoped flags
    kept) holding the rest of its content, followed by what follows it in
    the enclosing sequence; a dissolved group the cut falls inside is
    opened again. A match of the whole pattern whose item at ``path`` begins
    at ``k`` holds a match of the tail at ``k`` (with no back references and
    no cut through a repeat or an atomic group, what follows matches the
    same way).
    """
    seq = tree
    wraps: list[tuple[str, str]] = []  # per entered group: what opens it, what follows it
    out = ""
    for depth, index in enumerate(path):
        item = seq.items[index]
        if depth == len(path) - 1:
            out = "(?:" * item.open + source[item.start : seq.end]
            break
        if item.opener is None or item.content is None:
            raise ValueError("the path enters an item that is not a plain group")
        wraps.append(("(?:" * item.open + item.opener, source[item.end : seq.end]))
        seq = item.content
    for opener, after in reversed(wraps):
        out = f"{opener}{out}){after}"
    return out
