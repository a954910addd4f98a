"""Glue between config, registry and engine, used by the CLI and the library API."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rhetlint.config import Config, load_config, validate_against
from rhetlint.engine import BinaryFileError, Linter, NotRegularFileError, iter_paths, read_file
from rhetlint.host import Registry, load_registry
from rhetlint.model import Finding

_registries: dict[tuple[Path, ...], Registry] = {}


def registry_for(config: Config) -> Registry:
    """Load (once per process and rule-dirs) the plugin registry for a config."""
    key = tuple(config.rule_dirs)
    if key not in _registries:
        _registries[key] = load_registry(config.rule_dirs)
    return _registries[key]


def checked_linter(config: Config) -> Linter:
    """Build a linter after validating the config against the registry."""
    reg = registry_for(config)
    validate_against(
        config,
        reg.rules,
        {name: dict(k.options) for name, k in reg.kinds.items()},
        reg.parsers,
        [p.name for p in reg.plugins],
    )
    return Linter(reg, config)


def _config(config: Config | Path | str | None) -> Config:
    if isinstance(config, Config):
        return config
    if config is None:
        return load_config(None, isolated=True)
    return load_config(Path(config))


def make_linter(config: Config | Path | str | None) -> Linter:
    """Return a validated linter for the library API."""
    return checked_linter(_config(config))


def lint_text(text: str, filename: str, config: Config | Path | str | None) -> list[Finding]:
    """Lint a string (see `rhetlint.lint_text`)."""
    return make_linter(config).lint_file(filename, text)[1]


def lint_paths(paths: Iterable[str], config: Config | Path | str | None) -> list[Finding]:
    """Lint files and folders (see `rhetlint.lint_paths`)."""
    cfg = _config(config)
    linter = checked_linter(cfg)
    out: list[Finding] = []
    for path, explicit in iter_paths(paths, cfg, []):
        try:
            source = read_file(path)
        except (BinaryFileError, NotRegularFileError):
            if explicit:
                raise
            continue  # as the CLI does: binary and special files found in folders are skipped
        out.extend(linter.lint_file(path, source)[1])
    return sorted(out, key=Finding.sort_key)
