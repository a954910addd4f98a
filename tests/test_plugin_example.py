"""The example third-party plugin, installed for real with pip, seen by the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT / "examples" / "house-style-plugin")],
        check=True, capture_output=True,
    )
    return target


def _cli(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("RHETLINT_LOAD_PLUGINS", None)
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "rhetlint", "--isolated", *args],
                          capture_output=True, text=True, env=env, cwd=cwd, check=False)


def test_plugin_is_listed_with_its_version(site, tmp_path):
    out = _cli(site, tmp_path, "--list-plugins").stdout
    assert "house-style rhetlint-house-style 0.2.0 (entry point): rhetlint_formatters, rhetlint_rule_dirs" in out


def test_plugin_rules_and_format_work(site, tmp_path):
    (tmp_path / "a.md").write_text("The app is a game-changer, and a vicious one.\n")
    text = _cli(site, tmp_path, "a.md")
    assert text.returncode == 1
    assert text.stdout.splitlines()[0] == (
        "a.md:1:14: warning house.buzzword House style: 'game-changer' is on our banned-buzzword list. "
        "Say what it does."
    )
    counted = _cli(site, tmp_path, "--format", "count", "a.md")
    assert counted.stdout == "1\thouse.buzzword\n1\tloaded.term\n"


def test_load_plugins_env_can_exclude_it(site, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(site), RHETLINT_LOAD_PLUGINS="")
    (tmp_path / "a.md").write_text("The app is a game-changer.\n")
    proc = subprocess.run([sys.executable, "-m", "rhetlint", "--isolated", "a.md"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert proc.returncode == 0 and proc.stdout == ""
