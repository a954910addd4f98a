"""The wheel carries rules and plugins and works outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rule_data_resolves_through_the_package():
    assert (files("rhetlint_rules") / "loaded" / "term.yml").is_file()
    assert (files("rhetlint_rules") / "lexicons" / "loaded_terms.tsv").is_file()
    import rhetlint_plugins.attribution  # noqa: F401


def test_wheel_works_outside_the_source_tree(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("rhetlint-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "a.md").write_text("Experts say the vicious plan will never work.\n")
    env = dict(os.environ, PYTHONPATH=str(site), RHETLINT_LOAD_PLUGINS="")
    where = subprocess.run([sys.executable, "-c", "import rhetlint, rhetlint_rules; print(rhetlint.__file__)"],
                           capture_output=True, text=True, env=env, cwd=work, check=True)
    assert where.stdout.startswith(str(site))
    proc = subprocess.run([sys.executable, "-m", "rhetlint", "--isolated", "a.md"],
                          capture_output=True, text=True, env=env, cwd=work, check=False)
    assert proc.returncode == 1
    rules = [line.split()[2] for line in proc.stdout.splitlines()]
    assert rules == ["attribution.vague-source", "loaded.term", "prediction.absolute"]
