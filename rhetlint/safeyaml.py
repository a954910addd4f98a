"""YAML for rule and config files: safe, bounded, with line numbers.

Files are composed with PyYAML's safe loader and built into Python objects
here, counting every node visited: alias bombs ("billion laughs") and absurdly
deep nesting are rejected with a clear error instead of eating memory. Each
mapping key's line is recorded so config errors can point at it.

Rule files are read at every start-up, so a successful parse is cached on disk
(`rhetlint.recache.Store`, ``RHETLINT_NO_CACHE`` and ``RHETLINT_CACHE_DIR``
apply) keyed by the file's text and the PyYAML installation: a run whose rule
and config files are unchanged imports no YAML parser at all. Failed parses are
never cached, so errors are always PyYAML's own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rhetlint import recache

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import yaml

MAX_NODES = 100_000
MAX_DEPTH = 50

Lines = dict[tuple[str, ...], int]
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})

_cache = recache.Store("yaml", max_entries=2000, max_bytes=8 * 1024 * 1024)
_memo: dict[str, bytes] = {}  # this process's parses, by key (a moved or disabled cache keeps them)
_fingerprint: bytes | None = None


def _yaml_fingerprint() -> bytes:
    """Identify the PyYAML installation (its package file's path, size and mtime) without importing it."""
    global _fingerprint
    if _fingerprint is None:
        import sys

        module = sys.modules.get("yaml")
        origin = getattr(module, "__file__", None)
        if origin is None:
            from importlib.machinery import PathFinder

            spec = PathFinder.find_spec("yaml")
            origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        _fingerprint = f"{origin}\0{st.st_size}\0{st.st_mtime_ns}".encode() if st else b"?"
    return _fingerprint


def _cache_key(text: str) -> str:
    return recache.digest(_yaml_fingerprint(), b"\0", str(MAX_NODES).encode(), b"\0", str(MAX_DEPTH).encode(),
                          b"\0", text.encode("utf-8", "surrogatepass"))


def save_cache() -> None:
    """Write newly parsed files to the cache (atomically); errors are ignored."""
    _cache.save()


def parse_yaml(text: str, shown: str, error: type[Exception]) -> tuple[Any, Lines]:
    """Parse YAML text into plain objects and a key-path → line map.

    Raises:
        error: with ``shown`` and the line for syntax errors, bombs and deep nesting.
    """
    import marshal

    key = _cache_key(text)
    raw = _memo.get(key)
    if raw is None and _cache.path() is not None:
        raw = _cache.get(key)
    if raw is not None:
        try:
            data, lines = marshal.loads(raw)
            if isinstance(lines, dict):
                _memo[key] = raw
                return data, lines
        except Exception:  # noqa: BLE001,S110 - a damaged entry is parsed afresh
            pass
        _memo.pop(key, None)
        _cache.drop(key)
    result = _parse_yaml(text, shown, error)
    try:
        raw = marshal.dumps(result)
    except ValueError:
        return result  # a value marshal cannot store (a YAML timestamp): parsed every time
    _memo[key] = raw
    if _cache.path() is not None:
        _cache.put(key, raw)
    return result


def _parse_yaml(text: str, shown: str, error: type[Exception]) -> tuple[Any, Lines]:
    import yaml

    # libyaml when PyYAML has it
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f":{mark.line + 1}" if mark else ""
        raise error(f"{shown}{where}: invalid YAML: {err.problem}") from None
    except yaml.YAMLError as err:
        raise error(f"{shown}: invalid YAML: {' '.join(str(err).split())}") from None
    except RecursionError:
        raise error(f"{shown}: YAML nested too deeply") from None
    if node is None:
        return None, {}
    lines: Lines = {}
    builder = _Builder(shown, error, lines)
    return builder.build(node, (), 0), lines


class _Builder:
    def __init__(self, shown: str, error: type[Exception], lines: Lines) -> None:
        self.shown = shown
        self.error = error
        self.lines = lines
        self.count = 0
        import yaml

        self.yaml = yaml
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: tuple[str, ...], depth: int) -> Any:
        yaml = self.yaml
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(f"{self.shown}: YAML too large (more than {MAX_NODES} nodes; alias bomb?)")
        if depth > MAX_DEPTH:
            raise self.error(f"{self.shown}:{node.start_mark.line + 1}: YAML nested deeper than {MAX_DEPTH}")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            # a tag on a collection ("!!python/object/apply:...") must not be silently dropped
            raise self.error(f"{self.shown}:{node.start_mark.line + 1}: unsupported YAML tag '{node.tag}'")
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path, depth + 1)
                if isinstance(key, (list, dict)):
                    raise self.error(f"{self.shown}:{key_node.start_mark.line + 1}: a key must be a plain value")
                if key == "<<":
                    raise self.error(f"{self.shown}:{key_node.start_mark.line + 1}: merge keys are not supported")
                sub = (*path, str(key))
                self.lines[sub] = key_node.start_mark.line + 1
                if key in out:
                    raise self.error(f"{self.shown}:{key_node.start_mark.line + 1}: duplicate key '{key}'")
                out[key] = self.build(value_node, sub, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, (*path, str(i)), depth + 1) for i, v in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            problem = getattr(err, "problem", None) or str(err)
            raise self.error(f"{self.shown}:{node.start_mark.line + 1}: {' '.join(problem.split())}") from None


def load_yaml(
    path: Traversable | Path, shown: str, error: type[Exception], *, max_bytes: int
) -> Any:
    """Read and parse a YAML file, refusing files over ``max_bytes``."""
    return read_yaml(path, shown, error, max_bytes=max_bytes)[0]


def read_yaml(
    path: Traversable | Path, shown: str, error: type[Exception], *, max_bytes: int
) -> tuple[Any, Lines]:
    """Read and parse a YAML file into plain objects and a key-path → line map."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as err:
        raise error(f"{shown}: cannot read: {err.strerror or err}") from None
    if len(raw) > max_bytes:
        raise error(f"{shown}: file too large for a YAML rule or config (over {max_bytes} bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise error(f"{shown}: not UTF-8 (byte {err.start})") from None
    return parse_yaml(text, shown, error)
