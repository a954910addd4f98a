"""A persistent cache of compiled regular expressions.

Compiling rhetlint's rule patterns (large gazetteers as named lists, factored
lexicons) costs far more than linting a short article. The ``regex`` module
pickles a compiled pattern as its compiled code, so unpickling skips parsing and
optimisation entirely. Compiled patterns are kept in one file under the user's
cache folder, keyed by pattern text, flags, named-list contents and the
``regex`` version: a change to any rule file or lexicon yields a new key, so the
cache never serves a stale pattern. Set ``RHETLINT_NO_CACHE=1`` to bypass it, or
``RHETLINT_CACHE_DIR`` to move it. A cache that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import regex

_entries: dict[str, regex.Pattern[str]] | None = None
_dirty = False
_MAX_ENTRIES = 5000


def _path() -> Path | None:
    if os.environ.get("RHETLINT_NO_CACHE"):
        return None
    base = os.environ.get("RHETLINT_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "rhetlint")
    from rhetlint import __version__

    return Path(base) / f"patterns-{__version__}-regex{regex.__version__}.pickle"


def _load() -> dict[str, regex.Pattern[str]]:
    global _entries
    if _entries is None:
        _entries = {}
        path = _path()
        if path is not None and path.is_file():
            try:
                with path.open("rb") as fh:
                    data = pickle.load(fh)
                if isinstance(data, dict):
                    _entries = data
            except Exception:  # noqa: BLE001 - a broken cache is only a slower start
                _entries = {}
    return _entries


def _key(pattern: str, flags: int, lists: dict[str, Any]) -> str:
    h = hashlib.sha256()
    h.update(pattern.encode("utf-8", "surrogatepass"))
    h.update(str(flags).encode())
    for name in sorted(lists):
        h.update(b"\0" + name.encode())
        for item in sorted(lists[name]):
            h.update(b"\1" + item.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def compile(pattern: str, flags: int = 0, **lists: Any) -> regex.Pattern[str]:  # noqa: A001
    """Compile like ``regex.compile``, through the persistent cache."""
    global _dirty
    entries = _load()
    key = _key(pattern, flags, lists)
    hit = entries.get(key)
    if hit is not None:
        return hit
    compiled = regex.compile(pattern, flags, **lists)
    if len(entries) < _MAX_ENTRIES:
        entries[key] = compiled
        _dirty = True
    return compiled


def save() -> None:
    """Write new entries back (atomically); errors are ignored."""
    global _dirty
    path = _path()
    if not _dirty or path is None or _entries is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".patterns.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(_entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _dirty = False
    except OSError:
        pass
