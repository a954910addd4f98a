"""The plugin host: built-in plugins by name, third-party ones by entry point.

Built-in parsers, formatters, rule kinds and category rule sets are modules
registered by name (so they work from a source checkout); installed plugins
come from the entry-point group ``rhetlint``. ``RHETLINT_LOAD_PLUGINS`` pins the
third-party set: unset loads all, ``""`` none, ``a,b`` only those names.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from rhetlint import hookspecs
from rhetlint.errors import PluginError, RhetlintError, RuleError
from rhetlint.model import Formatter, Parser, Rule, RuleKind

if TYPE_CHECKING:
    from importlib import metadata
    from importlib.resources.abc import Traversable

ENTRY_POINT_GROUP = "rhetlint"

# Set once code that is not rhetlint's own has been loaded as a plugin (the CLI's
# fast exit is only for runs of built-in code: see `rhetlint.cli.main`).
foreign_code_loaded = False

DEFAULT_PLUGINS = (
    "rhetlint.parsers.text",
    "rhetlint.parsers.markdown",
    "rhetlint.kinds.existence",
    "rhetlint.kinds.pattern",
    "rhetlint.formatters.text",
    "rhetlint.formatters.json",
    "rhetlint.formatters.sarif",
    "rhetlint.formatters.github",
    "rhetlint.formatters.junit",
    "rhetlint.formatters.gitlab",
    "rhetlint.suppress",
    "rhetlint.density",
    "rhetlint_plugins.attribution",
    "rhetlint_plugins.loaded",
    "rhetlint_plugins.analogy",
    "rhetlint_plugins.prediction",
)


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, reading only the ``rhetlint_`` names of rhetlint's own plugin modules.

    Registration looks at every attribute of a plugin (imports, constants,
    helpers: hundreds in the built-in modules, ~2 ms of a small run). The
    built-in modules name each hook after its spec, so their other names are
    skipped; any other plugin is read the standard way (``specname`` included).
    """

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        if not name.startswith("rhetlint_") and isinstance(plugin, ModuleType) and plugin.__name__ in DEFAULT_PLUGINS:
            return None
        return super().parse_hookimpl_opts(plugin, name)  # type: ignore[arg-type]


@dataclass
class PluginInfo:
    """A registered plugin: its name, version and the hooks it implements."""

    name: str
    version: str
    hooks: list[str]
    builtin: bool


@dataclass
class Registry:
    """Everything the plugins provide, by name."""

    pm: pluggy.PluginManager
    plugins: list[PluginInfo]
    kinds: dict[str, RuleKind] = field(default_factory=dict)
    parsers: dict[str, Parser] = field(default_factory=dict)
    formatters: dict[str, Formatter] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    provider: dict[tuple[str, str], str] = field(default_factory=dict)

    def parser_for(self, path: str, config: Any) -> Parser | None:
        """Return the parser for a path (plugins first, suffixes last)."""
        name = self.pm.hook.rhetlint_parser_for(path=path, config=config)
        return self.parsers.get(name) if name else None


def _version() -> str:
    from rhetlint import __version__

    return __version__


def _call_each(pm: pluggy.PluginManager, hook: str) -> Iterable[tuple[str, Any]]:
    """Call a registration hook plugin by plugin, naming the plugin on failure."""
    caller = getattr(pm.hook, hook)
    for impl in caller.get_hookimpls():  # registration order: built-ins first
        try:
            result = impl.function()
        except RhetlintError:
            raise
        except Exception as err:  # noqa: BLE001 - a plugin's bug must name the plugin
            raise PluginError(f"plugin '{impl.plugin_name}' raised in {hook}: {type(err).__name__}: {err}") from err
        if result is None:
            continue
        if not isinstance(result, (list, tuple)):
            raise PluginError(f"plugin '{impl.plugin_name}': {hook} must return a list")
        for item in result:
            yield impl.plugin_name, item


def _add(registry: Registry, table: dict[str, Any], what: str, name: str, item: Any, plugin: str) -> None:
    if name in table:
        other = registry.provider[(what, name)]
        raise PluginError(f"{what} '{name}' is provided by both plugin '{other}' and plugin '{plugin}'")
    table[name] = item
    registry.provider[(what, name)] = plugin


def _declares_group(entry_points_txt: str) -> bool:
    """Tell whether an ``entry_points.txt`` may have a ``[rhetlint]`` section (errs towards yes)."""
    try:
        with open(entry_points_txt, "rb") as fh:
            data = fh.read()
    except OSError:
        return False  # no such file: importlib.metadata finds no entry points there either
    if ENTRY_POINT_GROUP.encode() not in data:
        return False
    for line in data.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]") and line[1:-1].strip() == ENTRY_POINT_GROUP:
            return True
    return False


def _may_have_entry_points() -> bool:
    """Tell cheaply whether any installed distribution may declare the ``rhetlint`` group.

    Importing `importlib.metadata` and building every distribution costs more
    than the rest of a small run's start-up, and almost always finds nothing.
    This looks where importlib.metadata's path finder looks (the
    ``*.dist-info`` and ``*.egg-info`` folders of every ``sys.path`` folder)
    and answers yes whenever it cannot be sure: for zip files and ``.egg``
    entries on the path, and when another meta-path finder can list
    distributions. A yes only means importlib.metadata is asked.
    """
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return True
    for entry in sys.path:
        root = entry or "."
        try:
            children = os.listdir(root)
        except OSError:
            if os.path.isfile(root):
                return True  # a zip file: its metadata is for importlib.metadata to read
            continue
        if os.path.basename(root).lower().endswith(".egg"):
            return True
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")) and _declares_group(
                os.path.join(root, child, "entry_points.txt")
            ):
                return True
    return False


def _selected_entry_points() -> list[metadata.EntryPoint]:
    wanted = os.environ.get("RHETLINT_LOAD_PLUGINS")
    names = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
    if names is not None and not names:
        return []
    if not _may_have_entry_points():
        return []
    from importlib import metadata

    eps = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    if names is None:
        return eps
    return [ep for ep in eps if ep.name in names]


def make_plugin_manager(extra: Iterable[tuple[str, ModuleType | object]] = ()) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    """Build the plugin manager: built-ins, entry points, then ``extra`` plugins."""
    pm = _PluginManager("rhetlint")
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    version = _version()
    for name in DEFAULT_PLUGINS:
        module = importlib.import_module(name)
        pm.register(module, name=name)
        infos.append(PluginInfo(name, version, [], True))
    global foreign_code_loaded
    for ep in _selected_entry_points():
        foreign_code_loaded = True
        dist = ep.dist.name if ep.dist else ep.name
        dist_version = ep.dist.version if ep.dist else "?"
        try:
            plugin = ep.load()
        except Exception as err:  # noqa: BLE001 - any import failure must stop the run
            raise PluginError(
                f"plugin '{ep.name}' ({dist} {dist_version}) failed to load: {type(err).__name__}: {err}"
            ) from err
        if pm.get_plugin(ep.name) is not None or pm.is_registered(plugin):
            raise PluginError(f"plugin '{ep.name}' ({dist} {dist_version}) is registered twice")
        pm.register(plugin, name=ep.name)
        infos.append(PluginInfo(ep.name, f"{dist} {dist_version}", [], False))
    for name, plugin in extra:
        foreign_code_loaded = True
        pm.register(plugin, name=name)
        infos.append(PluginInfo(name, "(in-process)", [], False))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as err:
        name = pm.get_name(err.plugin) or repr(err.plugin)
        raise PluginError(f"plugin '{name}': {err}") from None
    for info in infos:
        plugin = pm.get_plugin(info.name)
        info.hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
    return pm, infos


def load_registry(
    extra_rule_dirs: Iterable[Path] = (),
    extra_plugins: Iterable[tuple[str, ModuleType | object]] = (),
) -> Registry:
    """Load every plugin and every rule; raise `RhetlintError` on any conflict or bad data."""
    from rhetlint.ruledata import load_rule_dir

    pm, infos = make_plugin_manager(extra_plugins)
    reg = Registry(pm, infos)
    for plugin, kind in _call_each(pm, "rhetlint_rule_kinds"):
        _add(reg, reg.kinds, "rule kind", kind.name, kind, plugin)
    for plugin, parser in _call_each(pm, "rhetlint_parsers"):
        _add(reg, reg.parsers, "parser", parser.name, parser, plugin)
    for plugin, fmt in _call_each(pm, "rhetlint_formatters"):
        _add(reg, reg.formatters, "formatter", fmt.name, fmt, plugin)
    from rhetlint.builtin import SuffixChooser

    pm.register(SuffixChooser(reg.parsers), name="rhetlint.builtin")
    dirs: list[tuple[str, Traversable]] = list(_call_each(pm, "rhetlint_rule_dirs"))
    for root in extra_rule_dirs:
        # a folder laid out like rules/: category folders plus lexicons/
        dirs.extend(
            ("config rule-dirs", sub)
            for sub in sorted(Path(root).iterdir())
            if sub.is_dir() and sub.name != "lexicons" and not sub.name.startswith((".", "_"))
        )
    for plugin, folder in dirs:
        try:
            rules = load_rule_dir(folder, reg.kinds, plugin)
        except RuleError:
            raise
        except Exception as err:  # noqa: BLE001 - a kind's build() bug names the plugin
            raise PluginError(f"plugin '{plugin}' failed loading rules from {folder}: {type(err).__name__}: {err}") from err
        for rule in rules:
            _add(reg, reg.rules, "rule", rule.id, rule, plugin)
    for plugin, rule in _call_each(pm, "rhetlint_rules"):
        _add(reg, reg.rules, "rule", rule.id, rule, plugin)
    from rhetlint import recache, trie

    recache.save()
    trie.save()
    return reg


def plugin_dirs(*names: str) -> Callable[[], list[Traversable]]:
    """Return a ``rhetlint_rule_dirs`` body listing built-in category folders."""

    def dirs() -> list[Traversable]:
        from rhetlint.ruledata import package_files

        root = package_files("rhetlint_rules")
        return [root / n for n in names]

    return dirs
