"""The plugin host: hookspecs, check_pending, conflicts, broken plugins, docs."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rhetlint import hookimpl, hookspecs
from rhetlint.errors import PluginError
from rhetlint.host import load_registry
from rhetlint.model import Formatter, Parser

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("rhetlint_"))


def test_hooks_are_prefixed_and_documented_in_specs():
    assert HOOKS == [
        "rhetlint_formatters", "rhetlint_parser_for", "rhetlint_parsers",
        "rhetlint_rule_dirs", "rhetlint_rule_kinds", "rhetlint_rules",
    ]
    for name in HOOKS:
        doc = inspect.getdoc(getattr(hookspecs, name))
        assert doc and "Called" in doc and ":return:" in doc, name


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_with_its_signature_is_in_the_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"`{name}({params})`" in readme


class _Misspelled:
    @hookimpl
    def rhetlint_formater(self):  # noqa: D102 - deliberately wrong name
        return []


def test_check_pending_rejects_unknown_hook():
    with pytest.raises(PluginError, match="plugin 'typo'"):
        load_registry(extra_plugins=[("typo", _Misspelled())])


class _DuplicateFormatter:
    @hookimpl
    def rhetlint_formatters(self):
        return [Formatter("json", "another json", lambda report: "")]


def test_duplicate_formatter_names_both_plugins():
    with pytest.raises(PluginError) as err:
        load_registry(extra_plugins=[("other-json", _DuplicateFormatter())])
    assert str(err.value) == (
        "formatter 'json' is provided by both plugin 'rhetlint.formatters.json' and plugin 'other-json'"
    )


class _DuplicateParser:
    @hookimpl
    def rhetlint_parsers(self):
        return [Parser("markdown", (".mdx",), lambda path, source: None)]


def test_duplicate_parser_names_both_plugins():
    with pytest.raises(PluginError, match="parser 'markdown' is provided by both"):
        load_registry(extra_plugins=[("mdx", _DuplicateParser())])


class _Raising:
    @hookimpl
    def rhetlint_rules(self):
        raise RuntimeError("boom")


def test_plugin_raising_in_hook_is_named():
    with pytest.raises(PluginError, match="plugin 'raiser' raised in rhetlint_rules: RuntimeError: boom"):
        load_registry(extra_plugins=[("raiser", _Raising())])


def _fake_dist(site: Path, dist: str, module: str, body: str) -> None:
    """Lay out a real installed distribution: a module plus its .dist-info with an entry point."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(body))
    info = site / f"{dist.replace('-', '_')}-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text(f"[rhetlint]\n{dist} = {module}\n")


def _run_cli(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("RHETLINT_LOAD_PLUGINS", None)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "rhetlint", "--isolated", *args],
                          capture_output=True, text=True, env=env, cwd=cwd, check=False)


def test_plugin_failing_on_import_stops_the_run(tmp_path):
    site = tmp_path / "site"
    _fake_dist(site, "rhetlint-broken", "rhetlint_broken", "raise ImportError('no module named shiny')\n")
    (tmp_path / "a.md").write_text("Calm text.\n")
    proc = _run_cli(site, "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "rhetlint: plugin 'rhetlint-broken' (rhetlint-broken 0.3) failed to load: ImportError: no module named shiny"
    )


def test_plugin_rule_raising_names_rule_and_file(tmp_path):
    site = tmp_path / "site"
    _fake_dist(site, "rhetlint-crashy", "rhetlint_crashy", """
        from rhetlint import Rule, hookimpl

        def _check(ctx):
            raise ValueError("bad state")

        @hookimpl
        def rhetlint_rules():
            return [Rule(id="crashy.rule", kind="python", check=_check, message="m")]
    """)
    (tmp_path / "a.md").write_text("Calm text.\n")
    proc = _run_cli(site, "-o", "out.json", "-f", "json", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "rule crashy.rule" in proc.stderr and "failed on a.md: ValueError: bad state" in proc.stderr
    assert not (tmp_path / "out.json").exists()
    assert "Traceback" not in proc.stderr


def test_a_plugin_module_may_name_its_hooks_freely():
    # built-in modules are read for rhetlint_* names only; another module keeps pluggy's rules (specname)
    import types

    module = types.ModuleType("house_formats")

    @hookimpl(specname="rhetlint_formatters")
    def formats():
        return [Formatter("house", "a house format", lambda report: "house\n")]

    module.formats = formats
    registry = load_registry(extra_plugins=[("house", module)])
    assert registry.provider[("formatter", "house")] == "house"
    assert registry.formatters["house"].render(None) == "house\n"
    builtin = {info.name: info.hooks for info in registry.plugins if info.builtin}
    assert builtin["rhetlint.suppress"] == ["rhetlint_rules"]
