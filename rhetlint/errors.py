"""The exceptions rhetlint raises for problems a user can fix.

The CLI catches `RhetlintError`, prints one line per problem and exits 2.
"""

from __future__ import annotations


class RhetlintError(Exception):
    """Base class: a problem with the user's input, config, rules or plugins."""

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (message,)


class ConfigError(RhetlintError):
    """The configuration file or command-line options are invalid."""


class RuleError(RhetlintError):
    """A rule file or lexicon is invalid."""


class PluginError(RhetlintError):
    """A plugin failed to load, conflicts with another, or raised."""


class InputError(RhetlintError):
    """A file cannot be read or decoded."""
