"""The hooks a rhetlint plugin can implement.

Every hook is prefixed ``rhetlint_``. Registration hooks take no arguments and
return a list; the host flattens the lists of all plugins and treats two
providers of the same name (rule id, kind, parser, formatter) as an error that
names both plugins. Built-in parsers, formatters, rule kinds and the category
rule sets implement these same hooks.

A third-party plugin is a module with ``@rhetlint.hookimpl`` functions,
published through the entry-point group ``rhetlint``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from rhetlint.model import Formatter, Parser, Rule, RuleKind

hookspec = pluggy.HookspecMarker("rhetlint")
hookimpl = pluggy.HookimplMarker("rhetlint")


@hookspec
def rhetlint_rule_kinds() -> list[RuleKind]:
    """Register rule kinds: the engines that YAML rules name with ``kind:``.

    Called once at start-up, before any rule file is read.

    :return: a list of `rhetlint.model.RuleKind`.
    """


@hookspec
def rhetlint_rule_dirs() -> list[Traversable]:
    """Register folders of YAML rules.

    Called once at start-up. Each folder is a category: its name is the category
    and every ``<name>.yml`` in it is the rule ``<category>.<name>``. Lexicons
    named by those rules are looked up in a sibling ``lexicons/`` folder first,
    then in the built-in one.

    :return: a list of folders (``pathlib.Path`` or ``importlib.resources``
        traversables).
    """


@hookspec
def rhetlint_rules() -> list[Rule]:
    """Register rules written in Python.

    Called once at start-up, after the rule kinds are known.

    :return: a list of `rhetlint.model.Rule`.
    """


@hookspec
def rhetlint_parsers() -> list[Parser]:
    """Register document parsers.

    Called once at start-up. A parser turns a file's text into a
    `rhetlint.model.Document` whose masked ``text`` has the source's length.

    :return: a list of `rhetlint.model.Parser`.
    """


@hookspec
def rhetlint_formatters() -> list[Formatter]:
    """Register output formats, selected with ``--format NAME``.

    Called once at start-up.

    :return: a list of `rhetlint.model.Formatter`.
    """


@hookspec(firstresult=True)
def rhetlint_parser_for(path: str, config: Any) -> str | None:
    """Choose the parser for a file.

    Called once per file, after the config's ``parsers:`` globs found nothing.
    Stops at the first non-None result; the built-in implementation runs last
    and maps file suffixes to parsers.

    :param path: the file's path as given.
    :param config: the `rhetlint.config.Config` in force.
    :return: a parser name, or None to let the next plugin decide.
    """
