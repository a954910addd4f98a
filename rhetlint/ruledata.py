"""Rule data: read ``<category>/<name>.yml`` rule files and lexicons into `Rule` objects.

The rule id comes from the path (``rules/loaded/term.yml`` → ``loaded.term``).
Common keys are validated here; kind-specific keys by the kind's option table.
Every problem raises `RuleError` naming the file and the key.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from rhetlint import diskcache, recache
from rhetlint.errors import RuleError
from rhetlint.model import Example, Lexicon, Rule, RuleKind, RuleSpec, Severity, Span
from rhetlint.safeyaml import load_yaml
from rhetlint.testing import parse_markers

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

BLOCK_KINDS = frozenset({"paragraph", "heading", "list-item", "blockquote", "table-cell"})
COMMON_KEYS = {
    "kind", "message", "severity", "description", "link", "scope", "quotes",
    "ignore-case", "lexicons", "exceptions", "examples", "aliases", "enabled",
}
_NAME = recache.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_LEXICON_NAME = recache.compile(r"[a-z][a-z0-9_]*")
MAX_RULE_FILE = 1_000_000

_lexicon_cache: dict[str, Lexicon] = {}


def package_files(package: str) -> Traversable:
    """Return ``importlib.resources.files(package)``, cheaply for a package in a plain folder.

    For a regular package loaded from source or bytecode files that is
    ``Path(origin).parent``, exactly what importlib.resources returns; only
    other packages (zip files, namespace packages, custom loaders) need
    importlib.resources and its readers (~2 ms of imports).
    """
    import importlib
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader

    spec = importlib.import_module(package).__spec__
    origin = getattr(spec, "origin", None)
    if (
        spec is not None
        and type(spec.loader) in (SourceFileLoader, SourcelessFileLoader)
        and spec.submodule_search_locations is not None
        and origin
        and os.path.isfile(origin)
    ):
        return Path(origin).parent
    from importlib.resources import files

    return files(package)


def builtin_lexicon_dir() -> Traversable:
    """Return the built-in ``rules/lexicons`` folder."""
    return package_files("rhetlint_rules") / "lexicons"


def display_path(path: Traversable) -> str:
    """Return how messages name a rule data file (``rules/<category>/<name>.yml``, ``rules/lexicons/...``)."""
    return _display(path)


def _display(path: Traversable) -> str:
    if isinstance(path, Path):
        return str(path)
    try:
        parts = str(path).replace("\\", "/").split("/")
        i = len(parts) - 1 - parts[::-1].index("rhetlint_rules")
        return "rules/" + "/".join(parts[i + 1 :])
    except ValueError:
        return str(path)


def load_lexicon(name: str, folders: Iterable[Traversable]) -> Lexicon:
    """Find lexicon ``name`` (``.txt`` or ``.tsv``) in the first folder that has it."""
    for folder in folders:
        for suffix in (".txt", ".tsv"):
            f = folder / f"{name}{suffix}"
            if not f.is_file():
                continue
            key = str(f)
            if key not in _lexicon_cache:
                _lexicon_cache[key] = _read_lexicon(name, f, suffix)
            return _lexicon_cache[key]
    raise FileNotFoundError(name)


def _read_lexicon(name: str, f: Traversable, suffix: str) -> Lexicon:
    shown = _display(f)
    try:
        data = f.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{shown}: cannot read lexicon: {err}") from None
    if suffix == ".txt":
        entries = [ln.strip() for ln in data.splitlines()]
        return Lexicon(name, shown, tuple(e for e in entries if e and not e.startswith("#")))
    columns = _tsv_columns(data, shown)
    return Lexicon(name, shown, tuple(columns), columns)


_tsv_store: Any = None


def _tsv_columns(data: str, shown: str) -> dict[str, dict[str, str]]:
    """A ``.tsv`` lexicon's rows: term -> {column: value}, in order.

    Parsed ones are kept in the disk cache by their text (a big lexicon takes
    some 2 ms of every start to parse, and a few tenths to load).
    """
    global _tsv_store
    if _tsv_store is None:
        _tsv_store = recache.Store("lexicons", max_entries=64, max_bytes=16 * 1024 * 1024)
    key = recache.digest(diskcache.source_digest(__file__).encode(), data.encode("utf-8", "surrogatepass"))
    columns = diskcache.load_sealed(
        _tsv_store, key, lambda value: isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()))
    if columns is not None:
        return columns  # type: ignore[no-any-return]
    rows = [r for r in csv.reader(io.StringIO(data), delimiter="\t") if r and not r[0].startswith("#")]
    if not rows or rows[0][0] != "term":
        raise RuleError(f"{shown}: a .tsv lexicon starts with a header line 'term<TAB>...'")
    header = rows[0]
    columns = {}
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            raise RuleError(f"{shown}: row {n}: expected {len(header)} columns, got {len(row)}")
        columns[row[0].strip()] = {k: v.strip() for k, v in zip(header[1:], row[1:])}
    diskcache.put_sealed(_tsv_store, key, columns)
    return columns


def named_lists(lexicons: Mapping[str, Lexicon], pattern: str) -> dict[str, frozenset[str]]:
    """Return the ``\\L<name>`` named lists a pattern uses (unknown names are left to fail)."""
    used = set(regex.findall(r"\\L<(\w+)>", pattern))
    return {name: entry_set(lex) for name, lex in lexicons.items() if name in used}


_entry_sets: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def entry_set(lexicon: Lexicon) -> frozenset[str]:
    """A lexicon's entries as one frozenset per lexicon object (a pattern's named list).

    Patterns that share a lexicon then share the set, whose hash is computed once:
    the pattern caches key each pattern by its lists' contents (`rhetlint.recache`),
    ~2 ms of a small run when every pattern brought a fresh copy.
    """
    held = _entry_sets.get(id(lexicon))
    if held is None or held[0] is not lexicon:
        if len(_entry_sets) > 10_000:  # a long-lived host reloading house lexicons: keep it bounded
            _entry_sets.clear()
        held = _entry_sets[id(lexicon)] = (lexicon, frozenset(lexicon.entries))
    return held[1]


def _check_type(path: str, key: str, value: Any, kind: type | tuple[type, ...]) -> None:
    ok = isinstance(value, kind) and not (isinstance(value, bool) and bool not in _as_tuple(kind))
    if not ok:
        names = " or ".join(t.__name__ for t in _as_tuple(kind))
        raise RuleError(f"{path}: {key}: expected {names}, got {type(value).__name__}")


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _examples(path: str, raw: Any) -> tuple[Example, ...]:
    if not isinstance(raw, Mapping) or set(raw) - {"flag", "pass"}:
        raise RuleError(f"{path}: examples: expected a mapping with 'flag' and 'pass' lists")
    out = []
    for key in ("flag", "pass"):
        items = raw.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise RuleError(f"{path}: examples.{key}: expected a non-empty list of strings")
        for i, item in enumerate(items):
            text, spans = parse_markers(item)
            if key == "flag" and not spans:
                raise RuleError(f"{path}: examples.flag[{i}]: mark the flagged span with [[...]]")
            if key == "pass" and spans:
                raise RuleError(f"{path}: examples.pass[{i}]: a pass example has no [[...]] marks")
            out.append(Example(text, tuple(Span(s, e) for s, e, _ in spans), key == "flag"))
    return tuple(out)


def load_rule(
    path: Traversable,
    category: str,
    kinds: Mapping[str, RuleKind],
    lexicon_dirs: list[Traversable],
    origin: str,
) -> Rule:
    """Read and validate one rule file."""
    shown = _display(path)
    name = path.name.rsplit(".", 1)[0]
    if not _NAME.fullmatch(name) or not _NAME.fullmatch(category):
        raise RuleError(f"{shown}: rule and category names are lowercase words joined by '-'")
    rule_id = f"{category}.{name}"
    data = load_yaml(path, shown, RuleError, max_bytes=MAX_RULE_FILE)
    if not isinstance(data, Mapping):
        raise RuleError(f"{shown}: expected a mapping of rule keys")
    kind_name = data.get("kind")
    if not isinstance(kind_name, str):
        raise RuleError(f"{shown}: kind: required (one of {', '.join(sorted(kinds))})")
    if kind_name not in kinds:
        raise RuleError(f"{shown}: kind: unknown kind '{kind_name}' (known: {', '.join(sorted(kinds))})")
    kind = kinds[kind_name]
    for key in data:
        if key not in COMMON_KEYS and key not in kind.options:
            raise RuleError(f"{shown}: {key}: unknown key for kind '{kind_name}'")
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        raise RuleError(f"{shown}: message: required, a string with {{match}}")
    severity = data.get("severity", "warning")
    if severity not in ("info", "warning", "error"):
        raise RuleError(f"{shown}: severity: expected info, warning or error")
    for key, typ in (("description", str), ("link", str), ("ignore-case", bool), ("enabled", bool)):
        if key in data:
            _check_type(shown, key, data[key], typ)
    quotes = data.get("quotes", "skip")
    if quotes not in ("skip", "check"):
        raise RuleError(f"{shown}: quotes: expected skip or check")
    scope = data.get("scope", [])
    if not isinstance(scope, list) or set(scope) - BLOCK_KINDS:
        raise RuleError(f"{shown}: scope: expected a list of {', '.join(sorted(BLOCK_KINDS))}")
    names = data.get("lexicons", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and _LEXICON_NAME.fullmatch(n) for n in names):
        raise RuleError(f"{shown}: lexicons: expected a list of lexicon names (snake_case)")
    lexicons = {}
    for n in names:
        try:
            lexicons[n] = load_lexicon(n, lexicon_dirs)
        except FileNotFoundError:
            raise RuleError(f"{shown}: lexicons: no lexicon '{n}' (looked for lexicons/{n}.txt and .tsv)") from None
    exceptions = data.get("exceptions", [])
    if not isinstance(exceptions, list) or not all(isinstance(e, str) for e in exceptions):
        raise RuleError(f"{shown}: exceptions: expected a list of strings")
    for i, e in enumerate(exceptions):
        try:
            recache.compile(e, 0, **named_lists(lexicons, e))
        except (regex.error, ValueError, TypeError) as err:
            raise RuleError(f"{shown}: exceptions[{i}]: invalid regex: {err}") from None
    if "examples" not in data:
        raise RuleError(f"{shown}: examples: required ({{flag: [...], pass: [...]}})")
    examples = _examples(shown, data["examples"])
    options = {}
    for key, opt in kind.options.items():
        if key in data:
            _check_type(shown, key, data[key], opt.type)
            options[key] = data[key]
        elif opt.required:
            raise RuleError(f"{shown}: {key}: required by kind '{kind_name}'")
        else:
            options[key] = opt.default
    ignore_case = data.get("ignore-case", True)
    spec = RuleSpec(rule_id, shown, options, lexicons, ignore_case, tuple(lexicon_dirs))
    check = kind.build(spec)
    return Rule(
        id=rule_id,
        kind=kind_name,
        check=check,
        message=message.strip(),
        severity=Severity(severity),
        description=data.get("description", "").strip(),
        link=data.get("link", ""),
        scope=frozenset(scope),
        quotes=quotes,
        exceptions=tuple(exceptions),
        examples=examples,
        origin=f"{origin}:{shown}",
        ignore_case=ignore_case,
        options=options,
        spec=spec,
        enabled=data.get("enabled", True),
    )


def load_rule_dir(
    folder: Traversable, kinds: Mapping[str, RuleKind], origin: str
) -> list[Rule]:
    """Load every ``*.yml`` rule of a category folder, in name order."""
    if not folder.is_dir():
        raise RuleError(f"{_display(folder)}: rule folder does not exist")
    lexicon_dirs = [_sibling_lexicons(folder), builtin_lexicon_dir()]
    rules = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith((".yml", ".yaml")) and path.is_file():
            rules.append(load_rule(path, folder.name, kinds, lexicon_dirs, origin))
    return rules


def _sibling_lexicons(folder: Traversable) -> Traversable:
    """Return the ``lexicons`` folder beside a category folder."""
    if isinstance(folder, Path):
        return folder.parent / "lexicons"
    parent = getattr(folder, "parent", None)
    return parent / "lexicons" if parent is not None else builtin_lexicon_dir()
