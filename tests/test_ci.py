"""The CI and pre-commit path: hook definition, examples, README snippets, and pre-commit for real."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

from rhetlint.cli import cli

ROOT = Path(__file__).resolve().parent.parent
LOADED = "# Budget\n\nThe mayor's vicious campaign went on.\n"
CLEAN = "# Budget\n\nThe council met today.\n"


def check_rhetlint_command(command: str, formats: set[str]) -> list[str]:
    """Parse a shell line that runs rhetlint with the real CLI; return its arguments."""
    words = shlex.split(command)
    assert words[0] == "rhetlint", command
    args = words[1:]
    ctx = cli.make_context("rhetlint", list(args))  # raises on unknown options or bad values
    fmt = ctx.params["fmt"]
    assert fmt in formats, f"{command}: unknown format {fmt}"
    assert ctx.params["paths"], f"{command}: no PATH"
    return args


@pytest.fixture(scope="module")
def formats():
    from rhetlint.api import registry_for
    from rhetlint.config import load_config

    return set(registry_for(load_config(None, isolated=True)).formatters)


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    [hook] = [h for h in hooks if h["id"] == "rhetlint"]
    assert hook["language"] == "python"
    assert hook["entry"] == "rhetlint"
    assert set(hook["types_or"]) == {"markdown", "plain-text"}
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'rhetlint = "rhetlint.script:main"' in pyproject  # the entry is the installed script


def test_example_pre_commit_config_uses_the_hook():
    config = yaml.safe_load((ROOT / "examples" / ".pre-commit-config.yaml").read_text())
    hook_ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    [repo] = config["repos"]
    assert repo["repo"].startswith("https://") and repo["rev"]
    assert {h["id"] for h in repo["hooks"]} <= hook_ids


def test_github_workflow_example(formats):
    wf = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert "pull_request" in on
    assert wf["permissions"]["security-events"] == "write"
    [job] = wf["jobs"].values()
    steps = job["steps"]
    runs = [s["run"] for s in steps if "run" in s and s["run"].startswith("rhetlint ")]
    assert len(runs) == 2
    parsed = [check_rhetlint_command(r, formats) for r in runs]
    github_args, sarif_args = parsed
    assert github_args[github_args.index("--format") + 1] == "github"
    assert "--diff" in github_args
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # --diff needs the base branch
    assert sarif_args[sarif_args.index("--format") + 1] == "sarif"
    sarif_file = sarif_args[sarif_args.index("--output") + 1]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == sarif_file
    assert upload.get("if") == "always()"


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    m = re.search(r"^## In CI and pre-commit\n(.*?)(?=^## )", text, re.S | re.M)
    assert m, "README has no 'In CI and pre-commit' section"
    return m.group(1)


def test_readme_snippets_parse_and_use_real_options(formats):
    section = _readme_section()
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    yamls = [yaml.safe_load(body) for lang, body in blocks if lang == "yaml"]
    assert len(yamls) == 3  # pre-commit, GitHub Actions, GitLab CI
    precommit, github, gitlab = yamls
    hook_ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert precommit["repos"][0]["hooks"][0]["id"] in hook_ids
    commands = [s["run"] for s in github["jobs"]["rhetlint"]["steps"] if s.get("run", "").startswith("rhetlint ")]
    commands += [c for c in gitlab["rhetlint"]["script"] if c.startswith("rhetlint ")]
    commands += [line[2:] for lang, body in blocks if lang == "console" for line in body.splitlines()
                 if line.startswith("$ rhetlint ")]
    assert len(commands) == 6
    used = set()
    for command in commands:
        args = check_rhetlint_command(command, formats)
        used.update(a for a in args if a.startswith("--"))
    assert {"--diff", "--baseline", "--write-baseline", "--format", "--output"} <= used
    reports = gitlab["rhetlint"]["artifacts"]["reports"]
    outputs = [shlex.split(c)[shlex.split(c).index("--output") + 1] for c in gitlab["rhetlint"]["script"]
               if "--output" in c]
    assert sorted(outputs) == sorted(reports.values())


# -- pre-commit for real ------------------------------------------------------
def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


_NETWORK_ERRORS = (
    "No matching distribution", "Could not find a version", "NewConnectionError", "ConnectionError",
    "Temporary failure in name resolution", "Network is unreachable", "ReadTimeoutError",
)


def _pre_commit(tmp: Path) -> list[str]:
    """Return a command running pre-commit: this interpreter's, or one installed in a new venv."""
    try:
        import pre_commit  # noqa: F401

        return [sys.executable, "-m", "pre_commit"]
    except ImportError:
        pass
    env_dir = tmp / "pre-commit-venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pre-commit"],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.skip(f"cannot install pre-commit with pip: {proc.stderr.strip().splitlines()[-1:]}")
    return [str(python), "-m", "pre_commit"]


@pytest.mark.precommit
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo(tmp_path):
    pre_commit = _pre_commit(tmp_path)
    # try-repo needs the project as a git repository with a commit: snapshot the working tree
    project = tmp_path / "rhetlint"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache"))
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "snapshot")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path),
           "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("RHETLINT_LOAD_PLUGINS", None)

    def try_repo(text: str, name: str) -> subprocess.CompletedProcess[str]:
        articles = tmp_path / name
        articles.mkdir()
        (articles / "op-ed.md").write_text(text)
        (articles / "notes.txt").write_text("Plain notes.\n")
        (articles / "script.py").write_text("print('a vicious, brutal script is not prose')\n")
        _git(articles, "init", "-q")
        _git(articles, "add", "-A")
        return subprocess.run([*pre_commit, "try-repo", str(project), "rhetlint", "--all-files"],
                              cwd=articles, env=env, capture_output=True, text=True, timeout=900)

    loaded = try_repo(LOADED, "loaded")
    output = loaded.stdout + loaded.stderr
    if not re.search(r"^rhetlint\.+(Passed|Failed)", loaded.stdout, re.M) and any(
        sign in output for sign in _NETWORK_ERRORS
    ):
        pytest.skip(f"pre-commit could not install the hook from the package index: {output[-800:]}")
    assert loaded.returncode == 1, loaded.stdout + loaded.stderr
    assert "Failed" in loaded.stdout
    assert "op-ed.md:3:13: warning loaded.term" in loaded.stdout
    assert "script.py" not in loaded.stdout  # only Markdown and plain text

    clean = try_repo(CLEAN, "clean")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
