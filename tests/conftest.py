"""Shared fixtures: built-in plugins only, no config discovery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["RHETLINT_LOAD_PLUGINS"] = ""
os.environ.pop("RHETLINT_CONFIG", None)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RHETLINT_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def lint():
    """Lint text with the built-in defaults: ``lint(text, filename='doc.md', config=None)``."""
    import rhetlint

    def run(text: str, filename: str = "doc.md", config=None):
        return rhetlint.lint_text(text, filename=filename, config=config)

    return run


@pytest.fixture
def registry():
    """The built-in registry."""
    from rhetlint.api import registry_for
    from rhetlint.config import load_config

    return registry_for(load_config(None, isolated=True))


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Run in ``tmp_path`` with no user config: HOME and XDG there, a ``.git`` stops discovery."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    (tmp_path / ".git").mkdir()
    return tmp_path
