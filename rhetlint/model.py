"""The data types shared by the core, the plugins and the formatters.

Offsets are the truth: a finding is a 0-based character range ``[start, end)``
in the original source; line and column (1-based, columns in characters) are
derived from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from rhetlint.text import Context

EMPTY: Mapping[str, Any] = MappingProxyType({})


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


@dataclass(frozen=True, slots=True)
class Document:
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

    path: str
    source: str
    text: str
    blocks: tuple[Block, ...]
    links: tuple[Span, ...] = ()
    directives: tuple[Directive, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a rule kind: its type, default and a one-line help."""

    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    help: str = ""


Checker = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class RuleSpec:
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

    id: str
    path: str
    options: Mapping[str, Any]
    lexicons: Mapping[str, Lexicon]
    ignore_case: bool = True
    lexicon_dirs: tuple[Traversable, ...] = ()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A word list: entries, plus per-entry columns for ``.tsv`` lexicons."""

    name: str
    path: str
    entries: tuple[str, ...]
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleKind:
    """A rule engine: YAML rules name it with ``kind:``.

    Attributes:
        name: the ``kind`` value.
        options: kind-specific option table (validated strictly).
        build: turns a validated `RuleSpec` into a checker. Raise `RuleError`
            naming the file and key for bad data.
    """

    name: str
    options: Mapping[str, Option]
    build: Callable[[RuleSpec], Checker]
    description: str = ""


class Example(NamedTuple):
    """A flag or pass example of a rule, with its expected spans."""

    text: str
    spans: tuple[Span, ...]
    flag: bool


@dataclass(frozen=True, slots=True)
class Rule:
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

    id: str
    kind: str
    check: Checker
    message: str
    severity: Severity = Severity.WARNING
    description: str = ""
    link: str = ""
    scope: frozenset[str] = frozenset()
    quotes: str = "skip"
    exceptions: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    origin: str = ""
    ignore_case: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)
    spec: RuleSpec | None = None
    enabled: bool = True

    @property
    def category(self) -> str:
        """Return the category: the id up to its first dot."""
        return self.id.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in a file, with offsets, line/column and message."""

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

    @property
    def category(self) -> str:
        """Return the category of the rule."""
        return self.rule.split(".", 1)[0]

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a constructor call (findings come back from forked processes): loading
        # is several times faster than the frozen dataclass's generated __setstate__
        return (Finding, (self.path, self.start, self.end, self.line, self.column, self.end_line,
                          self.end_column, self.rule, self.severity, self.message, self.text))

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


@dataclass(frozen=True, slots=True)
class Parser:
    """A document parser: ``parse(path, source) -> Document``."""

    name: str
    suffixes: tuple[str, ...]
    parse: Callable[[str, str], Document]


@dataclass(frozen=True, slots=True)
class FileStats:
    """Per-file counts for ``--statistics`` and density.

    ``words`` is None when the run did not count them (`Linter.count_words`).
    """

    path: str
    words: int | None
    findings: int

    def __reduce__(self) -> tuple[Any, ...]:
        return (FileStats, (self.path, self.words, self.findings))  # as `Finding.__reduce__`


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a formatter needs."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    rules: tuple[Rule, ...]
    version: str
    stats: tuple[FileStats, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Formatter:
    """An output format: ``render(report) -> str`` (the whole output)."""

    name: str
    description: str
    render: Callable[[Report], str]
