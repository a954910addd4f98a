"""Configuration: discovery, ``extends``, merging and strict validation.

One file wins (``--config``, ``$RHETLINT_CONFIG``, the nearest ``.rhetlint.yml``
upward from the current folder to the repository root, the user config, the
built-in preset ``default``); layering happens only through ``extends:``.
Validation collects every problem, each with file and line, before failing.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from rhetlint.errors import ConfigError
from rhetlint.model import NEW_DICT, Option, Record, Rule, record
from rhetlint.safeyaml import Lines, parse_yaml, read_yaml

_set = object.__setattr__  # how a Record's __init__ sets its fields
CONFIG_NAMES = (".rhetlint.yml", ".rhetlint.yaml")
LEVELS = ("off", "info", "warning", "error")
FAIL_ON = ("info", "warning", "error", "never")
TOP_KEYS = {
    "extends", "fail-on", "rules", "exceptions", "files", "per-file", "rule-dirs",
    "parsers", "require-plugins", "max-density",
}
RULE_KEYS = {"severity", "quotes", "exceptions", "extend-exceptions"}
DEFAULT_INCLUDE = ("**/*.md", "**/*.markdown", "**/*.txt")
MAX_CONFIG = 1_000_000

STARTER = """\
# rhetlint configuration. Every key is optional; delete what you do not need.
# Reference: https://github.com/rhetlint/rhetlint#configuration

extends: default            # a preset (default, strict, relaxed) or a path

fail-on: warning            # exit 1 on findings at or above: info | warning | error | never

rules:                      # a category or a rule id: off | info | warning | error, or a mapping
  # analogy: off
  # loaded.intensifier: info
  # loaded.unlisted: {min-precision: 0.4}   # opt-in: a word model for more recall, less precision
  # loaded.term: {severity: error, quotes: check, extend-exceptions: ["regime change"]}

exceptions: []              # phrases (regexes) never flagged by any rule

files:
  include: ["**/*.md", "**/*.markdown", "**/*.txt"]
  exclude: []               # e.g. ["drafts/**"]

per-file: {}                # glob -> rules mapping, e.g. {"letters/**": {attribution: off}}

rule-dirs: []               # folders laid out like rules/: <category>/<name>.yml, lexicons/

max-density: {}             # findings per 1,000 words, e.g. {all: 10, loaded: 5}
"""


@record
class RuleSetting(Record):
    """A ``rules:`` entry: a level and/or options."""

    __slots__ = ("level", "quotes", "exceptions", "extend_exceptions", "options")  # noqa: RUF023 - field order

    level: str | None
    quotes: str | None
    exceptions: tuple[str, ...] | None
    extend_exceptions: tuple[str, ...]
    options: Mapping[str, Any]

    def __init__(self, level: str | None = None, quotes: str | None = None, exceptions: tuple[str, ...] | None = None,
                 extend_exceptions: tuple[str, ...] = (), options: Mapping[str, Any] = NEW_DICT) -> None:
        _set(self, "level", level)
        _set(self, "quotes", quotes)
        _set(self, "exceptions", exceptions)
        _set(self, "extend_exceptions", extend_exceptions)
        _set(self, "options", {} if options is NEW_DICT else options)


@dataclass
class Config:
    """The configuration in force."""

    path: str | None = None
    fail_on: str = "warning"
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    exceptions: tuple[str, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    per_file: tuple[tuple[str, dict[str, RuleSetting]], ...] = ()
    rule_dirs: tuple[Path, ...] = ()
    parsers: dict[str, str] = field(default_factory=dict)
    require_plugins: tuple[str, ...] = ()
    max_density: dict[str, float] = field(default_factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    root: Path = field(default_factory=Path.cwd)
    lines: Lines = field(default_factory=dict)
    sources: dict[tuple[str, ...], str] = field(default_factory=dict)

    def where(self, *key: str) -> str:
        """Return ``file:line`` for a key path, for messages.

        A key set in a file named by ``extends:`` points at that file.
        """
        name = self.sources.get(tuple(key)) or self.path or "<config>"
        line = self.lines.get(tuple(key))
        return f"{name}:{line}" if line else name

    def relative(self, path: str) -> str:
        """Return a path relative to the config's folder (as globs are written), if inside it."""
        try:
            rel = os.path.relpath(os.path.abspath(path), self.root)
        except ValueError:  # another drive
            return path
        return path if rel.startswith("..") else rel

    def matches(self, path: str, glob: str) -> bool:
        """Tell whether a glob of this config matches a path (relative to the config's folder)."""
        return _glob_match(self.relative(path), glob) or _glob_match(path, glob)

    def excluded(self, path: str) -> bool:
        """Tell whether a path found by recursion is excluded."""
        return any(self.matches(path, g) for g in self.exclude)

    def included(self, path: str) -> bool:
        """Tell whether a path found by recursion is included."""
        return any(self.matches(path, g) for g in self.include) and not self.excluded(path)

    def settings_for(self, path: str) -> list[dict[str, RuleSetting]]:
        """Return the rule-setting layers that apply to a path, least specific first."""
        layers = [self.rules]
        layers.extend(rules for glob, rules in self.per_file if self.matches(path, glob))
        return layers


def _glob_match(path: str, glob: str) -> bool:
    p = path.replace(os.sep, "/")
    if p.startswith("./"):
        p = p[2:]
    pattern = glob[3:] if glob.startswith("**/") else glob
    candidates = [p]
    parts = p.split("/")
    candidates.extend("/".join(parts[i:]) for i in range(1, len(parts)))
    return any(fnmatch.fnmatchcase(c, glob) or fnmatch.fnmatchcase(c, pattern) for c in candidates)


def find_config_file(start: Path | None = None) -> Path | None:
    """Find the config file by the discovery order (not counting ``--config``)."""
    env = os.environ.get("RHETLINT_CONFIG")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    home = Path.home().resolve()
    for folder in (here, *here.parents):
        found = [folder / n for n in CONFIG_NAMES if (folder / n).is_file()]
        if len(found) > 1:
            raise ConfigError(f"{folder}: both .rhetlint.yml and .rhetlint.yaml exist; keep one")
        if found:
            return found[0]
        if (folder / ".git").exists() or folder == home:
            break
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    user = Path(xdg) / "rhetlint" / "config.yml"
    return user if user.is_file() else None


def _read(path: Path, shown: str) -> tuple[Any, Lines]:
    data, lines = read_yaml(path, shown, ConfigError, max_bytes=MAX_CONFIG)
    if data is None:
        return {}, lines
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}:1: a config file is a mapping of keys")
    return data, lines


def _preset(name: str) -> tuple[Any, Lines, str]:
    from rhetlint.ruledata import package_files

    f = package_files("rhetlint.presets") / f"{name}.yml"
    if not f.is_file():
        raise FileNotFoundError(name)
    data, lines = parse_yaml(f.read_text(encoding="utf-8"), f"preset {name}", ConfigError)
    return data or {}, lines, f"preset {name}"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "extends":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


Origins = dict[tuple[str, ...], tuple[str, int]]


def _absolute_dirs(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Make a file's ``rule-dirs`` absolute, relative to that file's folder."""
    dirs = data.get("rule-dirs")
    if isinstance(dirs, str):
        dirs = [dirs]
    if isinstance(dirs, list) and all(isinstance(d, str) for d in dirs):
        data = {**data, "rule-dirs": [str((folder / d).resolve()) for d in dirs]}
    return data


def _resolve(data: dict[str, Any], lines: Lines, shown: str, folder: Path, depth: int = 0,
             ) -> tuple[dict[str, Any], list[str], Origins]:
    """Apply ``extends`` chains; return merged data, errors and each key's file and line."""
    errors: list[str] = []
    origins: Origins = {k: (shown, n) for k, n in lines.items()}
    parent_name = data.get("extends")
    if parent_name is None:
        return data, errors, origins
    at = f"{shown}:{lines.get(('extends',), 1)}"
    if depth > 10:
        return data, [f"{at}: extends: chain too long (a loop?)"], origins
    if not isinstance(parent_name, str):
        return data, [f"{at}: extends: expected a preset name or a path"], origins
    try:
        if "/" in parent_name or parent_name.endswith((".yml", ".yaml")):
            ppath = (folder / parent_name).resolve()
            if not ppath.is_file():
                raise FileNotFoundError(parent_name)
            pdata, plines = _read(ppath, str(ppath))
            pshown, pfolder = str(ppath), ppath.parent
        else:
            pdata, plines, pshown = _preset(parent_name)
            pfolder = folder
    except FileNotFoundError:
        return data, [f"{at}: extends: no preset or file '{parent_name}'"], origins
    except ConfigError as err:
        return data, [*err.problems], origins
    if not isinstance(pdata, dict):
        return data, [f"{pshown}:1: a config file is a mapping of keys"], origins
    pdata, perrs, porigins = _resolve(_absolute_dirs(pdata, pfolder), plines, pshown, pfolder, depth + 1)
    errors.extend(perrs)
    merged = _merge(pdata, {k: v for k, v in data.items() if k != "extends"})
    origins = {**porigins, **{k: v for k, v in origins.items() if k != ("extends",)}}
    return merged, errors, origins


def load_config(path: Path | None, *, isolated: bool = False) -> Config:
    """Load and structurally validate the config (rule ids are checked later).

    Raises:
        ConfigError: listing every problem found.
    """
    if isolated:
        path = None
    elif path is None:
        path = find_config_file()
    if path is None:
        data, lines, shown, folder = {"extends": "default"}, {}, "<default>", Path.cwd()
    else:
        shown = str(path)
        if not path.is_file():
            raise ConfigError(f"{shown}: config file not found")
        data, lines = _read(path, shown)
        folder = path.resolve().parent
    data, errors, origins = _resolve(data, lines, shown, folder)
    cfg = Config(path=None if path is None else shown, root=folder,
                 lines={k: n for k, (_, n) in origins.items()},
                 sources={k: f for k, (f, _) in origins.items()})
    _apply(cfg, data, lines, errors, folder)
    from rhetlint.safeyaml import save_cache

    save_cache()
    if errors:
        raise ConfigError(errors[0], problems=tuple(errors))
    return cfg


def _where(cfg: Config, *key: str) -> str:
    return cfg.where(*key)


def _str_list(cfg: Config, value: Any, key: tuple[str, ...], errors: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{_where(cfg, *key)}: {'.'.join(key)}: expected a list of strings")
        return ()
    return tuple(value)


def _regex_list(cfg: Config, value: Any, key: tuple[str, ...], errors: list[str]) -> tuple[str, ...]:
    items = _str_list(cfg, value, key, errors)
    for item in items:
        try:
            regex.compile(item)
        except regex.error as err:
            errors.append(f"{_where(cfg, *key)}: {'.'.join(key)}: invalid regex {item!r}: {err}")
    return items


def _rules(cfg: Config, value: Any, key: tuple[str, ...], errors: list[str]) -> dict[str, RuleSetting]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(f"{_where(cfg, *key)}: {'.'.join(key)}: expected a mapping of rule ids or categories")
        return {}
    out = {}
    for name, setting in value.items():
        k = (*key, str(name))
        if setting is False:
            setting = "off"
        if isinstance(setting, str):
            if setting not in LEVELS:
                errors.append(f"{_where(cfg, *k)}: {'.'.join(k)}: expected one of {', '.join(LEVELS)}, got '{setting}'")
                continue
            out[str(name)] = RuleSetting(level=setting)
            continue
        if not isinstance(setting, dict):
            errors.append(f"{_where(cfg, *k)}: {'.'.join(k)}: expected a level or a mapping")
            continue
        level = setting.get("severity")
        if level is False:  # YAML 1.1 reads a bare `off` as false
            level = "off"
        if level is not None and level not in LEVELS:
            errors.append(f"{_where(cfg, *k, 'severity')}: {'.'.join(k)}.severity: expected one of {', '.join(LEVELS)}")
            level = None
        quotes = setting.get("quotes")
        if quotes is not None and quotes not in ("skip", "check"):
            errors.append(f"{_where(cfg, *k, 'quotes')}: {'.'.join(k)}.quotes: expected skip or check")
            quotes = None
        exc = _regex_list(cfg, setting["exceptions"], (*k, "exceptions"), errors) if "exceptions" in setting else None
        ext = _regex_list(cfg, setting.get("extend-exceptions", []), (*k, "extend-exceptions"), errors)
        options = {o: v for o, v in setting.items() if o not in RULE_KEYS}
        out[str(name)] = RuleSetting(level, quotes, exc, ext, options)
    return out


def _apply(cfg: Config, data: dict[str, Any], lines: Lines, errors: list[str], folder: Path) -> None:
    for key in data:
        if key not in TOP_KEYS:
            import difflib

            hint = difflib.get_close_matches(str(key), TOP_KEYS, n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            errors.append(f"{_where(cfg, str(key))}: {key}: unknown key{more}")
    if "fail-on" in data:
        if data["fail-on"] not in FAIL_ON:
            errors.append(f"{_where(cfg, 'fail-on')}: fail-on: expected one of {', '.join(FAIL_ON)}")
        else:
            cfg.fail_on = data["fail-on"]
    cfg.rules = _rules(cfg, data.get("rules"), ("rules",), errors)
    cfg.exceptions = _regex_list(cfg, data.get("exceptions", []), ("exceptions",), errors)
    files = data.get("files", {})
    if not isinstance(files, dict):
        errors.append(f"{_where(cfg, 'files')}: files: expected a mapping with include/exclude")
    else:
        for k in files:
            if k not in ("include", "exclude"):
                errors.append(f"{_where(cfg, 'files', str(k))}: files.{k}: unknown key (include or exclude)")
        if "include" in files:
            cfg.include = _str_list(cfg, files["include"], ("files", "include"), errors)
        cfg.exclude = _str_list(cfg, files.get("exclude", []), ("files", "exclude"), errors)
    per_file = data.get("per-file", {})
    if not isinstance(per_file, dict):
        errors.append(f"{_where(cfg, 'per-file')}: per-file: expected a mapping of glob to rules")
    else:
        cfg.per_file = tuple((str(g), _rules(cfg, r, ("per-file", str(g)), errors)) for g, r in per_file.items())
    dirs = _str_list(cfg, data.get("rule-dirs", []), ("rule-dirs",), errors)
    resolved = []
    for d in dirs:
        p = (folder / d).resolve()
        if not p.is_dir():
            errors.append(f"{_where(cfg, 'rule-dirs')}: rule-dirs: no folder {d}")
        else:
            resolved.append(p)
    cfg.rule_dirs = tuple(resolved)
    parsers = data.get("parsers", {})
    if not isinstance(parsers, dict) or not all(isinstance(v, str) for v in parsers.values()):
        errors.append(f"{_where(cfg, 'parsers')}: parsers: expected a mapping of glob to parser name")
    else:
        cfg.parsers = {str(k): v for k, v in parsers.items()}
    cfg.require_plugins = _str_list(cfg, data.get("require-plugins", []), ("require-plugins",), errors)
    density = data.get("max-density", {})
    if isinstance(density, (int, float)) and not isinstance(density, bool):
        density = {"all": density}
    if not isinstance(density, dict) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in density.values()
    ):
        errors.append(f"{_where(cfg, 'max-density')}: max-density: expected a number or a mapping of category to number")
    else:
        cfg.max_density = {str(k): float(v) for k, v in density.items()}


def _suggest(name: str, known: Iterable[str]) -> str:
    import difflib

    hint = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def type_problem(expected: type | tuple[type, ...] | None, value: Any) -> str:
    """Return the expected type names if ``value`` does not fit an option type, else ''."""
    if expected is None:
        return ""
    types = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in types:
        return " or ".join(t.__name__ for t in types)
    if float in types and isinstance(value, int) and not isinstance(value, bool):
        return ""
    return "" if isinstance(value, types) else " or ".join(t.__name__ for t in types)


def validate_against(cfg: Config, rules: Mapping[str, Rule],
                     kinds_options: Mapping[str, Collection[str] | Mapping[str, Option]],
                     parsers: Iterable[str], plugins: Iterable[str]) -> None:
    """Check rule ids, categories, options, parser and plugin names against the registry.

    Raises:
        ConfigError: listing every problem.
    """
    known = set(rules) | {r.category for r in rules.values()}
    errors: list[str] = []
    layers: list[tuple[tuple[str, ...], dict[str, RuleSetting]]] = [(("rules",), cfg.rules)]
    layers += [(("per-file", g), r) for g, r in cfg.per_file]
    for prefix, layer in layers:
        for name, setting in layer.items():
            key = (*prefix, name)
            if name not in known:
                kind = "rule" if "." in name else "rule or category"
                errors.append(f"{cfg.where(*key)}: {'.'.join(key)}: unknown {kind} '{name}'{_suggest(name, known)}")
                continue
            if setting.options:
                if name not in rules:
                    errors.append(f"{cfg.where(*key)}: {'.'.join(key)}: options ({', '.join(setting.options)}) "
                                  "are set per rule id, not per category")
                    continue
                allowed = kinds_options.get(rules[name].kind, set())
                for opt, value in setting.options.items():
                    if opt not in allowed:
                        hint = _suggest(opt, set(allowed) | RULE_KEYS)
                        errors.append(f"{cfg.where(*key, opt)}: {'.'.join(key)}.{opt}: unknown option for kind "
                                      f"'{rules[name].kind}'{hint}")
                        continue
                    spec = allowed.get(opt) if isinstance(allowed, Mapping) else None
                    expected = type_problem(getattr(spec, "type", None), value)
                    if expected:
                        errors.append(f"{cfg.where(*key, opt)}: {'.'.join(key)}.{opt}: expected {expected}, "
                                      f"got {type(value).__name__} {value!r}")
    for glob, name in cfg.parsers.items():
        if name not in set(parsers):
            errors.append(f"{cfg.where('parsers', glob)}: parsers.{glob}: unknown parser '{name}'")
    for cat in cfg.max_density:
        if cat != "all" and cat not in known:
            errors.append(f"{cfg.where('max-density', cat)}: max-density.{cat}: unknown category '{cat}'")
    for plugin in cfg.require_plugins:
        if plugin not in set(plugins):
            errors.append(f"{cfg.where('require-plugins')}: require-plugins: plugin '{plugin}' is not installed")
    if errors:
        raise ConfigError(errors[0], problems=tuple(errors))


def level_of(rule: Rule, layers: list[dict[str, RuleSetting]], select: tuple[str, ...], ignore: tuple[str, ...]) -> str:
    """Return the effective level of a rule: off, info, warning or error.

    An opt-in rule (``enabled: false``) is off until a ``rules:`` entry names
    its id (with a level, or with options of its kind for its own severity)
    or ``--select`` names its id (unless an entry set it ``off``). Category
    entries never switch it on, but may change its level or turn it off.
    """
    opt_in = not rule.enabled
    level = "off" if opt_in else str(rule.severity)
    named = False  # a rules: entry set this opt-in rule's level by its id
    for layer in layers:
        for key in (rule.category, rule.id):
            s = layer.get(key)
            if s is None:
                continue
            if opt_in and key == rule.category:
                if s.level is not None and level != "off":  # a category may change or end it, not start it
                    level = s.level
                continue
            if s.level is not None:
                level = s.level
                named = True
            elif opt_in and level == "off" and s.options:
                level = str(rule.severity)
    if select and rule.id not in select and rule.category not in select:
        return "off"
    if opt_in and rule.id in select and level == "off" and not named:
        level = str(rule.severity)
    if rule.id in ignore or rule.category in ignore:
        return "off"
    return level

