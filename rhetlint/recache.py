"""Persistent caches: compiled regular expressions (and, through `Store`, parsed YAML).

Compiling rhetlint's rule patterns (large gazetteers as named lists, factored
lexicons) costs far more than linting a short article. The ``regex`` module
pickles a compiled pattern as its compiled code, so unpickling skips parsing and
optimisation entirely. Compiled patterns are kept in one file under the user's
cache folder, keyed by pattern text, flags, named-list contents and the
``regex`` version: a change to any rule file or lexicon yields a new key, so the
cache never serves a stale pattern. Set ``RHETLINT_NO_CACHE=1`` to bypass it, or
``RHETLINT_CACHE_DIR`` to move it. A cache that cannot be read is ignored.

A cache file holds each entry as bytes with the time a run last used it, and an
entry is decoded only when a run asks for it: patterns other configs compiled
(house rules, tests) cost a run nothing but their bytes. The file is rewritten
(atomically) only when a run added something; it then keeps the entries that
run used plus the most recently used others, within a count and a byte budget,
and merges what another process wrote meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import regex

from rhetlint import diskcache

_MAX_AGE = 60 * 24 * 3600  # entries unused this long are dropped at the next write

# one home for the cache folder and key hashing (kept here under their old names)
cache_dir = diskcache.folder
digest = diskcache.digest
_stores: list[Store] = []  # every store of the process, written by `save`


class Store:
    """One cache file of ``key -> bytes`` entries, read once and decoded entry by entry.

    The file is a `marshal` dump of ``{key: (last used, bytes)}`` (no code runs
    when it is read). Its name carries ``name`` and the Python version; callers
    put every other version that matters into the name or the keys.
    """

    def __init__(self, name: str, max_entries: int, max_bytes: int) -> None:
        self.name = name
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.stored: dict[str, tuple[int, bytes]] | None = None
        self.added: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.bound: Path | None = None  # the file ``stored``, ``added`` and ``used`` belong to
        self._where: tuple[str | None, ...] | None = None
        self._path: Path | None = None
        _stores.append(self)

    def path(self) -> Path | None:
        """Return the file's path (None: caching is off)."""
        env = os.environ
        where = (env.get("RHETLINT_NO_CACHE"), env.get("RHETLINT_CACHE_DIR"), env.get("XDG_CACHE_HOME"),
                 env.get("HOME"))
        if where != self._where:
            folder = cache_dir()
            if folder is None:
                self._path = None
            else:
                from rhetlint import __version__

                self._path = folder / f"{self.name}-{__version__}-py{sys.version_info[0]}{sys.version_info[1]}.cache"
            self._where = where
        return self._path

    @staticmethod
    def _read(path: Path | None) -> dict[str, tuple[int, bytes]]:
        if path is None:
            return {}
        try:
            with path.open("rb") as fh:
                raw = fh.read()
        except OSError:
            return {}
        try:
            import marshal

            entries = marshal.loads(raw)
        except Exception:  # noqa: BLE001 - a broken cache is only a slower start
            return {}
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if _sound(k, v)}

    def _bind(self) -> dict[str, tuple[int, bytes]]:
        """Read the file on first use, and again (forgetting pending entries) if the cache moved."""
        path = self.path()
        if self.stored is None or path != self.bound:
            self.stored = self._read(path)
            self.bound = path
            self.added = {}
            self.used = set()
        return self.stored

    def get(self, key: str) -> bytes | None:
        """Return an entry's bytes (and mark it used), or None."""
        stored = self._bind()
        self.used.add(key)
        data = self.added.get(key)
        if data is not None:
            return data
        entry = stored.get(key)
        return entry[1] if entry is not None else None

    def put(self, key: str, data: bytes) -> None:
        """Add an entry (written at the next `save`)."""
        self._bind()
        self.used.add(key)
        self.added[key] = data

    def drop(self, key: str) -> None:
        """Forget a damaged entry (it is not written back unless `put` again)."""
        self.used.discard(key)
        if self.stored is not None:
            self.stored.pop(key, None)

    def _to_keep(self, on_disk: dict[str, tuple[int, bytes]], now: int) -> dict[str, tuple[int, bytes]]:
        stored = self.stored or {}
        keep: dict[str, tuple[int, bytes]] = {}
        size = 0
        for key in sorted(self.used):
            data = self.added.get(key)
            if data is None:
                entry = stored.get(key) or on_disk.get(key)
                if entry is None:
                    continue
                data = entry[1]
            keep[key] = (now, data)
            size += len(data)
        others = [(e[0], k, e) for source in (on_disk, stored) for k, e in source.items()
                  if k not in keep and now - e[0] <= _MAX_AGE]
        others.sort(reverse=True)  # the most recently used first
        for _stamp, key, entry in others:
            if len(keep) >= self.max_entries:
                break
            if key in keep or size + len(entry[1]) > self.max_bytes:
                continue
            keep[key] = entry
            size += len(entry[1])
        return keep

    def save(self) -> None:
        """Write the file (atomically) if entries were added; errors are ignored."""
        path = self.path()
        if not self.added or path is None or path != self.bound:
            return
        import marshal

        entries = self._to_keep(self._read(path), int(time.time()))
        if not diskcache.write_atomic(path, marshal.dumps(entries)):
            return
        self.stored = entries
        self.added = {}


def _sound(key: Any, entry: Any) -> bool:
    return (isinstance(key, str) and isinstance(entry, tuple) and len(entry) == 2
            and isinstance(entry[0], int) and isinstance(entry[1], bytes))


_patterns = Store(f"patterns-regex{regex.__version__}", max_entries=1000, max_bytes=16 * 1024 * 1024)
_compiled: dict[str, regex.Pattern[str]] = {}


_list_digests: dict[frozenset[str], bytes] = {}  # the rules of a run share a few lexicons


def _list_digest(items: Any) -> bytes:
    members = frozenset(items)
    hit = _list_digests.get(members)
    if hit is None:
        joined = "\1" + "\1".join(sorted(members))
        hit = _list_digests[members] = digest(joined.encode("utf-8", "surrogatepass")).encode()
    return hit


def pattern_key(pattern: str, flags: int, lists: Mapping[str, Any]) -> str:
    """Return the digest of a pattern, its flags and its named lists (by content, in any order)."""
    return _key(pattern, flags, lists)


def _key(pattern: str, flags: int, lists: Mapping[str, Any]) -> str:
    parts = [pattern.encode("utf-8", "surrogatepass"), str(flags).encode()]
    for name in sorted(lists):
        parts.append(b"\0" + name.encode() + b"\1" + _list_digest(lists[name]))
    return digest(*parts)


# The version of `rhetlint.namedlists`'s way of writing lists out, kept with each entry: a change
# there bumps it, and every pattern is compiled again (here, so that reading an entry imports nothing)
LISTS_WRITTEN_OUT = 3


def _unpickle(data: bytes, pattern: str) -> regex.Pattern[str] | None:
    """Return the stored pattern, or None when the bytes are not a sound pickle of ``pattern``.

    An entry holds the pattern as written, the version of the rewriting that
    wrote its named lists out (`rhetlint.namedlists`) and the compiled pattern.
    """
    try:
        import pickle

        written, version, compiled = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry (or one of an older layout) is compiled afresh
        return None
    if written != pattern or version != LISTS_WRITTEN_OUT or not isinstance(compiled, regex.Pattern):
        return None
    return compiled


def _compile(pattern: str, flags: int, lists: dict[str, Any]) -> regex.Pattern[str]:
    """``regex.compile``, the named lists written out as factored alternations where that keeps the matches."""
    if lists:
        from rhetlint import namedlists

        source, kept = namedlists.written_out(pattern, flags, lists)
        if source != pattern:
            # on any failure, compiled as written below: its own error, with its own positions
            with contextlib.suppress(Exception):
                return regex.compile(source, flags, **kept)
    return regex.compile(pattern, flags, **lists)


def compile(pattern: str, flags: int = 0, **lists: Any) -> regex.Pattern[str]:  # noqa: A001
    """Compile like ``regex.compile``, through the persistent cache."""
    key = _key(pattern, flags, lists)
    hit = _compiled.get(key)
    if hit is not None:
        return hit
    data = _patterns.get(key)
    if data is not None:
        hit = _unpickle(data, pattern)
        if hit is not None:
            _compiled[key] = hit
            return hit
        _patterns.drop(key)
    compiled = _compile(pattern, flags, lists)
    _compiled[key] = compiled
    if _patterns.path() is not None:
        import pickle

        _patterns.put(key, pickle.dumps((pattern, LISTS_WRITTEN_OUT, compiled), protocol=pickle.HIGHEST_PROTOCOL))
    return compiled


def save() -> None:
    """Write every store's new entries back (atomically); errors are ignored.

    Also while linting (a pattern compiled at its first use): a store another
    thread adds to meanwhile is written at a later save, never failing a run.
    """
    for store in list(_stores):
        try:
            store.save()
        except Exception:  # noqa: BLE001 - a cache is only ever a faster start
            pass


class LazyPattern:
    """A pattern found in the cache, unpickled only when first used.

    Rules that a document gives no place to start (`rhetlint.anchors`) never
    pay for decoding their pattern. It behaves like the compiled pattern.
    """

    __slots__ = ("pattern", "_flags", "_lists", "_real")

    def __init__(self, pattern: str, flags: int, lists: dict[str, Any]) -> None:
        self.pattern = pattern
        self._flags = flags
        self._lists = lists
        self._real: regex.Pattern[str] | None = None

    def real(self) -> regex.Pattern[str]:
        """Return the compiled pattern (decoding it on the first call)."""
        if self._real is None:
            self._real = compile(self.pattern, self._flags, **self._lists)
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy and pickle probe these before __init__ has run
            raise AttributeError(name)
        return getattr(self.real(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.pattern, self._flags, self._lists))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern[:40]!r})"


def _rebuild(pattern: str, flags: int, lists: dict[str, Any]) -> LazyPattern:
    return LazyPattern(pattern, flags, lists)


PatternLike = (regex.Pattern, LazyPattern)


def lazy(pattern: str, flags: int = 0, **lists: Any) -> regex.Pattern[str] | LazyPattern:
    """Like `compile`, but a pattern already in the cache is decoded at its first use.

    A pattern not in the cache is compiled now, so a bad one is reported when
    its rule loads, never later.
    """
    key = _key(pattern, flags, lists)
    hit = _compiled.get(key) or _lazies.get(key)
    if hit is not None:
        return hit  # one object per pattern: rules that share a pattern share its scans
    if _patterns.get(key) is not None:
        hit = _lazies[key] = LazyPattern(pattern, flags, lists)
        return hit
    return compile(pattern, flags, **lists)


_lazies: dict[str, LazyPattern] = {}


def lazy_patterns() -> list[LazyPattern]:
    """Every pattern `lazy` has handed out so far (decoded or not)."""
    return list(_lazies.values())
