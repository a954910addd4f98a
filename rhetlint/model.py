"""The data types shared by the core, the plugins and the formatters.

Offsets are the truth: a finding is a 0-based character range ``[start, end)``
in the original source; line and column (1-based, columns in characters) are
derived from it.
"""

from __future__ import annotations

# ruff: noqa: RUF023 - a record's __slots__ list its fields in the constructor's order (see Record)

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import FrozenInstanceError, dataclass, fields
from enum import StrEnum
from reprlib import recursive_repr
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from rhetlint.text import Context

EMPTY: Mapping[str, Any] = MappingProxyType({})


_set = object.__setattr__


class _NewDict:
    """The default of a field that gets a new empty dict (``field(default_factory=dict)``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


NEW_DICT: Any = _NewDict()


class Record:
    """The base of the records here (and of a few in the core): immutable, compared, hashed, printed and pickled by their fields.

    A record class lists its fields twice, in order: as annotations and in
    ``__slots__`` (never sort them: the order is the constructor's). `record`
    makes it a frozen dataclass with slots, as ``dataclass(frozen=True,
    slots=True)`` would: ``dataclasses.fields`` (defaults included),
    ``replace`` and ``asdict`` work, assigning raises
    `dataclasses.FrozenInstanceError`, and a plugin may subclass it with
    ``@dataclass(frozen=True)``. The methods are written out here and in each
    ``__init__`` instead of generated: dataclass compiles six methods a class
    when the module loads (some 5 ms of every start). A record of these
    classes pickles as a constructor call; a subclass's, field by field.
    """

    __slots__ = ()

    def _field_values(self) -> tuple[Any, ...]:
        values = type(self).__dict__.get("_record_values")
        if values is not None:  # a record class of its own (`record`): its slots, in order
            return values(self)  # type: ignore[no-any-return]
        return tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._field_values() == other._field_values()  # type: ignore[attr-defined, no-any-return]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._field_values())

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        if "_record_values" in type(self).__dict__:
            return (type(self), self._field_values())
        return (_restored, (type(self), {f.name: getattr(self, f.name) for f in fields(self)}))  # type: ignore[arg-type]

    def __setstate__(self, state: Any) -> None:
        # what a frozen slotted dataclass pickled (its field values, in order), loaded
        if isinstance(state, Mapping):
            for name, value in state.items():
                _set(self, name, value)
        else:
            for f, value in zip(fields(self), state):  # type: ignore[arg-type]
                _set(self, f.name, value)


def _restored(cls: type, state: Mapping[str, Any]) -> Any:
    """A pickled record of a subclass: made without ``__init__``, as pickle does."""
    made = object.__new__(cls)
    for name, value in state.items():
        _set(made, name, value)
    return made


def record(cls: type) -> type:
    """Make a `Record` class a frozen dataclass with slots (see `Record`).

    The fields' defaults are those of its ``__init__`` (`NEW_DICT`: a new
    dict each time).
    """
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.frozen = params.eq = params.repr = params.init = True  # what its own methods make it
    init = cls.__init__
    code = init.__code__
    names = code.co_varnames[1 : code.co_argcount]
    defaults = init.__defaults__ or ()
    own = cls.__dataclass_fields__  # type: ignore[attr-defined]
    for name, value in zip(names[len(names) - len(defaults) :], defaults):
        if value is NEW_DICT:
            own[name].default_factory = dict
        else:
            own[name].default = value
    getter = operator.attrgetter(*cls.__slots__)
    # the field values as a tuple (attrgetter gives a one-field record's value alone)
    cls._record_values = getter if len(cls.__slots__) > 1 else lambda self: (getter(self),)  # type: ignore[attr-defined]
    return cls


class Severity(StrEnum):
    """How serious a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return 0, 1 or 2, for comparisons."""
        return ("info", "warning", "error").index(self.value)


class Span(NamedTuple):
    """A half-open character range ``[start, end)``."""

    start: int
    end: int


class Block(NamedTuple):
    """A prose block of a document: a paragraph, heading, list item, quote or cell.

    ``kind`` is one of ``paragraph``, ``heading``, ``list-item``, ``blockquote``,
    ``table-cell``.
    """

    kind: str
    start: int
    end: int


class Directive(NamedTuple):
    """An HTML comment that may hold a suppression directive (raw text kept)."""

    start: int
    end: int
    body: str


class Hit(NamedTuple):
    """What a rule's checker yields: a range and the fields for its message."""

    start: int
    end: int
    fields: Mapping[str, str] = EMPTY


@record
class Document(Record):
    """A parsed file.

    Attributes:
        path: the path as given by the user (or the stdin filename).
        source: the decoded text, newlines kept as they were.
        text: the masked text, ``len(text) == len(source)``: markup, code, URLs,
            HTML and front matter replaced by spaces, newlines kept.
        blocks: prose blocks in source order.
        links: ranges of link text, link targets, bare URLs and footnote markers.
        directives: HTML comments outside code, for suppressions.
    """

    __slots__ = ("path", "source", "text", "blocks", "links", "directives")

    path: str
    source: str
    text: str
    blocks: tuple[Block, ...]
    links: tuple[Span, ...]
    directives: tuple[Directive, ...]

    def __init__(self, path: str, source: str, text: str, blocks: tuple[Block, ...], links: tuple[Span, ...] = (),
                 directives: tuple[Directive, ...] = ()) -> None:
        _set(self, "path", path)
        _set(self, "source", source)
        _set(self, "text", text)
        _set(self, "blocks", blocks)
        _set(self, "links", links)
        _set(self, "directives", directives)


@record
class Option(Record):
    """One option of a rule kind: its type, default and a one-line help."""

    __slots__ = ("type", "default", "required", "help")

    type: type | tuple[type, ...]
    default: Any
    required: bool
    help: str

    def __init__(self, type: type | tuple[type, ...], default: Any = None, required: bool = False,
                 help: str = "") -> None:
        _set(self, "type", type)
        _set(self, "default", default)
        _set(self, "required", required)
        _set(self, "help", help)


Checker = Callable[["Context"], Iterable[Hit]]


@record
class RuleSpec(Record):
    """A rule as read from YAML, after validation, handed to a kind's ``build``.

    Attributes:
        id: ``<category>.<name>``.
        path: the file it came from (for error messages).
        options: the kind-specific options with defaults filled in.
        lexicons: name → entries of every lexicon the rule names.
        ignore_case: whether matching ignores case.
        lexicon_dirs: the folders lexicons are looked up in, first match wins
            (for kinds that read a data file of their own).
    """

    __slots__ = ("id", "path", "options", "lexicons", "ignore_case", "lexicon_dirs")

    id: str
    path: str
    options: Mapping[str, Any]
    lexicons: Mapping[str, Lexicon]
    ignore_case: bool
    lexicon_dirs: tuple[Traversable, ...]

    def __init__(self, id: str, path: str, options: Mapping[str, Any], lexicons: Mapping[str, Lexicon],
                 ignore_case: bool = True, lexicon_dirs: tuple[Traversable, ...] = ()) -> None:
        _set(self, "id", id)
        _set(self, "path", path)
        _set(self, "options", options)
        _set(self, "lexicons", lexicons)
        _set(self, "ignore_case", ignore_case)
        _set(self, "lexicon_dirs", lexicon_dirs)


@record
class Lexicon(Record):
    """A word list: entries, plus per-entry columns for ``.tsv`` lexicons."""

    __slots__ = ("name", "path", "entries", "columns")

    name: str
    path: str
    entries: tuple[str, ...]
    columns: Mapping[str, Mapping[str, str]]

    def __init__(self, name: str, path: str, entries: tuple[str, ...],
                 columns: Mapping[str, Mapping[str, str]] = NEW_DICT) -> None:
        _set(self, "name", name)
        _set(self, "path", path)
        _set(self, "entries", entries)
        _set(self, "columns", {} if columns is NEW_DICT else columns)


@record
class RuleKind(Record):
    """A rule engine: YAML rules name it with ``kind:``.

    Attributes:
        name: the ``kind`` value.
        options: kind-specific option table (validated strictly).
        build: turns a validated `RuleSpec` into a checker. Raise `RuleError`
            naming the file and key for bad data.
    """

    __slots__ = ("name", "options", "build", "description")

    name: str
    options: Mapping[str, Option]
    build: Callable[[RuleSpec], Checker]
    description: str

    def __init__(self, name: str, options: Mapping[str, Option], build: Callable[[RuleSpec], Checker],
                 description: str = "") -> None:
        _set(self, "name", name)
        _set(self, "options", options)
        _set(self, "build", build)
        _set(self, "description", description)


class Example(NamedTuple):
    """A flag or pass example of a rule, with its expected spans."""

    text: str
    spans: tuple[Span, ...]
    flag: bool


@record
class Rule(Record):
    """A ready-to-run rule.

    Attributes:
        id: ``<category>.<name>``.
        category: the part of ``id`` before the first dot.
        kind: the kind's name (or ``python`` for rules written in code).
        check: the checker.
        message: a ``str.format`` template; ``{match}`` is the flagged text.
        severity: the default severity.
        origin: the file or plugin that defined it.
        enabled: False for an opt-in rule: off until the config names it by
            id (with a level or options) or ``--select`` names it by id.
    """

    __slots__ = (
        "id", "kind", "check", "message", "severity", "description", "link", "scope", "quotes", "exceptions",
        "examples", "origin", "ignore_case", "options", "spec", "enabled",
    )

    id: str
    kind: str
    check: Checker
    message: str
    severity: Severity
    description: str
    link: str
    scope: frozenset[str]
    quotes: str
    exceptions: tuple[str, ...]
    examples: tuple[Example, ...]
    origin: str
    ignore_case: bool
    options: Mapping[str, Any]
    spec: RuleSpec | None
    enabled: bool

    def __init__(self, id: str, kind: str, check: Checker, message: str, severity: Severity = Severity.WARNING,
                 description: str = "", link: str = "", scope: frozenset[str] = frozenset(), quotes: str = "skip",
                 exceptions: tuple[str, ...] = (), examples: tuple[Example, ...] = (), origin: str = "",
                 ignore_case: bool = True, options: Mapping[str, Any] = NEW_DICT, spec: RuleSpec | None = None,
                 enabled: bool = True) -> None:
        _set(self, "id", id)
        _set(self, "kind", kind)
        _set(self, "check", check)
        _set(self, "message", message)
        _set(self, "severity", severity)
        _set(self, "description", description)
        _set(self, "link", link)
        _set(self, "scope", scope)
        _set(self, "quotes", quotes)
        _set(self, "exceptions", exceptions)
        _set(self, "examples", examples)
        _set(self, "origin", origin)
        _set(self, "ignore_case", ignore_case)
        _set(self, "options", {} if options is NEW_DICT else options)
        _set(self, "spec", spec)
        _set(self, "enabled", enabled)

    @property
    def category(self) -> str:
        """Return the category: the id up to its first dot."""
        return self.id.split(".", 1)[0]


@record
class Finding(Record):
    """A problem found in a file, with offsets, line/column and message."""

    __slots__ = (
        "path", "start", "end", "line", "column", "end_line", "end_column", "rule", "severity", "message",
        "text",
    )

    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    text: str

    def __init__(self, path: str, start: int, end: int, line: int, column: int, end_line: int, end_column: int,
                 rule: str, severity: Severity, message: str, text: str) -> None:
        _set(self, "path", path)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "rule", rule)
        _set(self, "severity", severity)
        _set(self, "message", message)
        _set(self, "text", text)

    @property
    def category(self) -> str:
        """Return the category of the rule."""
        return self.rule.split(".", 1)[0]

    def sort_key(self) -> tuple[str, int, int, str]:
        """Return the key findings are sorted by."""
        return (self.path, self.start, self.end, self.rule)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON object of the finding (the ``--format json`` contract)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.start,
            "end_offset": self.end,
            "rule": self.rule,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "text": self.text,
        }


@record
class Parser(Record):
    """A document parser: ``parse(path, source) -> Document``."""

    __slots__ = ("name", "suffixes", "parse")

    name: str
    suffixes: tuple[str, ...]
    parse: Callable[[str, str], Document]

    def __init__(self, name: str, suffixes: tuple[str, ...], parse: Callable[[str, str], Document]) -> None:
        _set(self, "name", name)
        _set(self, "suffixes", suffixes)
        _set(self, "parse", parse)


@record
class FileStats(Record):
    """Per-file counts for ``--statistics`` and density.

    ``words`` is None when the run did not count them (`Linter.count_words`).
    """

    __slots__ = ("path", "words", "findings")

    path: str
    words: int | None
    findings: int

    def __init__(self, path: str, words: int | None, findings: int) -> None:
        _set(self, "path", path)
        _set(self, "words", words)
        _set(self, "findings", findings)


@record
class Report(Record):
    """Everything a formatter needs."""

    __slots__ = ("findings", "files", "rules", "version", "stats")

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    rules: tuple[Rule, ...]
    version: str
    stats: tuple[FileStats, ...]

    def __init__(self, findings: tuple[Finding, ...], files: tuple[str, ...], rules: tuple[Rule, ...], version: str,
                 stats: tuple[FileStats, ...] = ()) -> None:
        _set(self, "findings", findings)
        _set(self, "files", files)
        _set(self, "rules", rules)
        _set(self, "version", version)
        _set(self, "stats", stats)


@record
class Formatter(Record):
    """An output format: ``render(report) -> str`` (the whole output)."""

    __slots__ = ("name", "description", "render")

    name: str
    description: str
    render: Callable[[Report], str]

    def __init__(self, name: str, description: str, render: Callable[[Report], str]) -> None:
        _set(self, "name", name)
        _set(self, "description", description)
        _set(self, "render", render)
