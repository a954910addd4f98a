"""Small pickle files under the user's cache folder, read and written safely.

A cache never decides a result: a file that is missing, unreadable or not what
was written is treated as empty, and a write goes to a temporary file that is
renamed into place, so readers never see half a file.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # the builtin BLAKE2 module: ``hashlib`` would load OpenSSL (~2 ms) first
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - every CPython build has it
    from hashlib import blake2b as _blake2b


def digest(*parts: bytes) -> str:
    """Return a hex digest of byte strings (a cache key)."""
    h = _blake2b(digest_size=32)
    for part in parts:
        h.update(part)
    return h.hexdigest()


def seal(body: bytes) -> bytes:
    """``body`` behind its digest, for a cache entry whose damage must not pass for data."""
    return digest(body).encode() + body


def unseal(raw: bytes | None) -> bytes | None:
    """The body of a `seal`-ed entry, or None when there is none or it is damaged."""
    if raw is None or len(raw) < _SEAL:
        return None
    body = raw[_SEAL:]
    return body if raw[:_SEAL] == digest(body).encode() else None


_SEAL = 64  # the hex digest in front of a sealed entry


def load_sealed(store: Any, key: str, sound: Callable[[Any], bool]) -> Any:
    """The value a store keeps sealed under ``key`` (marshal data), or None.

    A missing entry gives None; a damaged one (a broken seal, no marshal data,
    or a value ``sound`` refuses) is dropped and gives None.
    """
    raw = store.get(key)
    if raw is None:
        return None
    import marshal

    body = unseal(raw)
    try:
        value = marshal.loads(body) if body is not None else None
    except Exception:  # noqa: BLE001 - a damaged entry is built afresh
        value = None
    if value is not None and sound(value):
        return value
    store.drop(key)
    return None


def put_sealed(store: Any, key: str, value: Any) -> None:
    """Keep ``value`` (marshal data) sealed in a store under ``key``."""
    import marshal

    store.put(key, seal(marshal.dumps(value)))


_sources: dict[str, str] = {}


def source_digest(module_file: str) -> str:
    """Return a digest of a module's source (read once per process).

    Cache keys that a change to that code must invalidate include it.

    A module that cannot be read (a zipped install) gives "0": its version
    number in the cache file name has to do.
    """
    found = _sources.get(module_file)
    if found is None:
        try:
            found = digest(Path(module_file).read_bytes())[:16]
        except OSError:  # pragma: no cover - a zipped install
            found = "0"
        _sources[module_file] = found
    return found


def folder() -> Path | None:
    """Return the cache folder, or None when ``RHETLINT_NO_CACHE`` is set.

    ``RHETLINT_CACHE_DIR`` moves it; otherwise ``$XDG_CACHE_HOME/rhetlint``
    or ``~/.cache/rhetlint``.
    """
    if os.environ.get("RHETLINT_NO_CACHE"):
        return None
    base = os.environ.get("RHETLINT_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "rhetlint")
    return Path(base)


def load(path: Path | None) -> dict[Any, Any]:
    """Return the dict stored at ``path``, or an empty one."""
    if path is None or not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a broken cache is only a slower start
        return {}
    return data if isinstance(data, dict) else {}


def save(path: Path | None, data: dict[Any, Any], used: set[Any] | None = None, limit: int = 0) -> bool:
    """Write ``data`` to ``path`` atomically; return whether it was written.

    With ``limit``, a dict larger than that keeps only the keys in ``used``
    (entries that come and go, like house rules, cannot grow the file forever).
    """
    if path is None:
        return False
    if limit and len(data) > limit:
        data = {k: data[k] for k in (used or ()) if k in data}
    return write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place; return success."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
