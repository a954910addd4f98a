"""Factored alternations: one regex for thousands of literal phrases.

A naive ``a|b|c|…`` over 2,000 terms makes the regex engine try every branch
at every position; a trie-shaped pattern shares prefixes, so each position
costs about one branch per character. Spaces inside phrases match any run of
whitespace (masked markup leaves extra spaces).
"""

from __future__ import annotations

from collections.abc import Iterable

import re

_END = ""


def _escape(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


def trie_pattern(words: Iterable[str]) -> str:
    """Return a non-capturing regex that matches exactly the given phrases.

    Longer phrases are preferred at the same position (greedy, like a
    longest-match scan), because the empty branch comes last.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        if not word:
            continue
        node = root
        for ch in " ".join(word.split()):
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not root:
        return r"(?!x)x"
    return _render(root)


def _render(node: dict) -> str:  # type: ignore[type-arg]
    branches = []
    optional = False
    for ch in sorted(node):
        if ch == _END:
            optional = True
            continue
        child = node[ch]
        branches.append(_escape(ch) + (_render(child) if child else ""))
    if not branches:
        return ""
    if len(branches) == 1 and not optional:
        return branches[0]
    body = "|".join(branches)
    return f"(?:{body})?" if optional else f"(?:{body})"


def word_regex(words: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str]:
    """Compile phrases into one pattern bounded by non-word characters.

    A trie of escaped literals needs none of the ``regex`` module's extras, and
    the standard ``re`` engine scans such an alternation about twenty times
    faster, so literal scans use ``re`` (the patterns cannot backtrack badly).
    """
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<!\w){trie_pattern(words)}(?!\w)", flags)
