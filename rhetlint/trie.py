"""Factored alternations: one regex for thousands of literal phrases.

A naive ``a|b|c|…`` over 2,000 terms makes the regex engine try every branch
at every position; a trie-shaped pattern shares prefixes, so each position
costs about one branch per character. Spaces inside phrases match any run of
whitespace (masked markup leaves extra spaces).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

_END = ""


def _escape(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


_memo: dict[str, str] | None = None
_memo_dirty = False
_memo_used: set[str] = set()
_MAX_MEMO = 500


def _memo_path() -> Any:
    from rhetlint import __version__, diskcache

    base = diskcache.folder()
    return base / f"tries-{__version__}.pickle" if base is not None else None


def trie_pattern(words: Iterable[str]) -> str:
    """Return a non-capturing regex that matches exactly the given phrases.

    Longer phrases are preferred at the same position (greedy, like a
    longest-match scan), because the empty branch comes last. Built patterns
    are kept in a small disk cache (`save`), keyed by the phrases: building a
    trie of a few thousand phrases costs more than linting a short article.
    """
    global _memo, _memo_dirty
    phrases = sorted({" ".join(w.split()) for w in words if w})
    from rhetlint import diskcache

    code = diskcache.source_digest(__file__).encode()  # a change to how tries are built is a new key
    key = diskcache.digest(code, "\n".join(phrases).encode("utf-8", "surrogatepass"))
    if _memo is None:
        _memo = diskcache.load(_memo_path())
    _memo_used.add(key)
    found = _memo.get(key)
    if isinstance(found, str):
        return found
    found = _memo[key] = _build(phrases)
    _memo_dirty = True
    return found


def save() -> None:
    """Write newly built tries to the disk cache (atomically; errors are ignored)."""
    global _memo_dirty
    if not _memo_dirty or _memo is None:
        return
    from rhetlint import diskcache

    if diskcache.save(_memo_path(), _memo, _memo_used, _MAX_MEMO):
        _memo_dirty = False


def _build(words: Iterable[str]) -> str:
    root = tree(" ".join(word.split()) for word in words if word)
    return render(root, _escape) if root else r"(?!x)x"


def tree(words: Iterable[str]) -> dict[str, Any]:
    """The words as a trie: each character a key, the key "" where a word ends."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return root


def render(node: dict[str, Any], spell: Callable[[str], str]) -> str:
    """A trie (`tree`) as a pattern, each character written by ``spell``.

    At a node the branches come first and the word ending there last, the
    group around them greedy, so at a place the longest word is tried first,
    then the shorter ones, as an alternation of the words longest first does.
    Branches begin with different characters; where case is ignored, the
    caller makes sure no two of them match the same one.
    """
    branches = [spell(ch) + render(child, spell) for ch, child in sorted(node.items()) if ch != _END]
    if not branches:
        return ""
    body = "|".join(branches)
    if _END in node:
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


def word_regex(words: Iterable[str], *, ignore_case: bool = True) -> Any:
    """Compile phrases into one pattern bounded by non-word characters.

    The pattern is compiled with ``regex`` through the on-disk cache
    (`rhetlint.recache`) and registered as anchored (`rhetlint.anchors`): a
    document's one anchor scan finds where a phrase may start and the pattern
    is only tried there, so no full scan (nor a ``re`` compilation at start-up)
    is needed.
    """
    import regex

    from rhetlint import anchors, recache

    source = rf"(?<!\w){trie_pattern(words)}(?!\w)"
    flags = regex.IGNORECASE if ignore_case else 0
    compiled = recache.lazy(source, flags)
    anchors.register(compiled, source, {}, flags)
    return compiled
