"""rhetlint: a linter for the rhetoric of opinion writing.

Public API::

    import rhetlint
    findings = rhetlint.lint_text("Experts say it will never work.", filename="op-ed.md")
    findings = rhetlint.lint_paths(["articles/"])

Plugins use ``rhetlint.hookimpl`` and the types re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from rhetlint.config import Config
    from rhetlint.hookspecs import hookimpl
    from rhetlint.model import (
        Block,
        Document,
        Finding,
        Formatter,
        Hit,
        Option,
        Parser,
        Report,
        Rule,
        RuleKind,
        RuleSpec,
        Severity,
        Span,
    )

# The re-exports are imported on first use (PEP 562), so ``rhetlint --version``
# and other light paths do not pay for pluggy and the data model.
_LAZY = {
    "hookimpl": "rhetlint.hookspecs",
    **dict.fromkeys(
        ("Block", "Document", "Finding", "Formatter", "Hit", "Option", "Parser", "Report", "Rule",
         "RuleKind", "RuleSpec", "Severity", "Span"),
        "rhetlint.model",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rhetlint' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

__all__ = [
    "Block", "Document", "Finding", "Formatter", "Hit", "Option", "Parser", "Report",
    "Rule", "RuleKind", "RuleSpec", "Severity", "Span", "__version__", "hookimpl",
    "lint_paths", "lint_text",
]


def _linter(config: Config | None) -> Any:
    from rhetlint.api import make_linter

    return make_linter(config)


def lint_text(text: str, filename: str = "doc.md", config: Config | Path | str | None = None) -> list[Finding]:
    """Lint a string and return its findings, sorted by position.

    Args:
        text: the document's text.
        filename: decides the parser (``.md`` Markdown, ``.txt`` plain text) and
            which ``per-file`` settings apply; it is the findings' ``path``.
        config: a `rhetlint.config.Config`, a path to a config file, or None
            for the built-in defaults (no discovery: library calls are
            reproducible).

    Returns:
        The findings.

    Raises:
        rhetlint.errors.RhetlintError: for bad config, rules or plugins.
    """
    from rhetlint.api import lint_text as _lint_text

    return _lint_text(text, filename, config)


def lint_paths(paths: Iterable[str], config: Config | Path | str | None = None) -> list[Finding]:
    """Lint files and folders (recursed with the config's include globs).

    Args:
        paths: files and folders.
        config: as for `lint_text`.

    Returns:
        The findings of every file, sorted by path and position.

    Raises:
        rhetlint.errors.RhetlintError: for unreadable files, bad config, rules or plugins.
    """
    from rhetlint.api import lint_paths as _lint_paths

    return _lint_paths(paths, config)
