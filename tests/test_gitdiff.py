"""Changed-text mode: --diff REF keeps only findings in blocks changed since REF."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from rhetlint.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

P1 = "The mayor's vicious campaign went on."
P2 = "Experts say the budget is too small."
P3 = "Her cruel plan was approved."
CLEAN = "The council met today."


def article(*blocks: str) -> str:
    return "# Budget\n\n" + "\n\n".join(blocks) + "\n"


def git(cwd, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
         *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    return proc.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    git(tmp_path, "init", "-q")
    (tmp_path / "a.md").write_text(article(P1, P2, P3))
    (tmp_path / "b.md").write_text(article(P1))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, ["--isolated", *args], catch_exceptions=False)


def found(result) -> list[tuple[int, str]]:
    return [(f["line"], f["text"]) for f in json.loads(result.stdout)["findings"]]


def test_unchanged_repository_reports_nothing_and_lints_nothing(repo):
    assert run("a.md", "b.md").exit_code == 1
    result = run("--diff", "HEAD", "-f", "json", "a.md", "b.md")
    assert result.exit_code == 0
    assert found(result) == []
    assert "in 0 files" in result.stderr


def test_only_the_touched_paragraph_is_reported(repo):
    full = run("-f", "json", "a.md")
    assert {line for line, _ in found(full)} == {3, 5, 7}
    # paragraph 2 reworded (it keeps its finding); paragraphs 1 and 3 untouched
    (repo / "a.md").write_text(article(P1, "Experts say the budget is far too small.", P3))
    result = run("--diff", "HEAD", "-f", "json", "a.md")
    assert result.exit_code == 1
    assert found(result) == [(5, "Experts say")]


def test_inserted_paragraph_and_list_item(repo):
    (repo / "a.md").write_text(article(P1, CLEAN, P2, "- A list item with a brutal twist.", P3))
    result = run("--diff", "HEAD", "-f", "json", "a.md")
    assert found(result) == [(9, "brutal")]


def test_changed_heading(repo):
    (repo / "a.md").write_text(article(P1, P2, P3).replace("# Budget", "# A vicious budget"))
    result = run("--diff", "HEAD", "-f", "json", "a.md")
    assert found(result) == [(1, "vicious")]


def test_reflowed_and_moved_paragraphs_are_not_changes(repo):
    (repo / "a.md").write_text(article(P3, P1.replace(" campaign", "\ncampaign"), P2))
    result = run("--diff", "HEAD", "-f", "json", "a.md")
    assert found(result) == []


def test_committed_changes_since_an_older_ref(repo):
    (repo / "b.md").write_text(article(P1, P3))
    git(repo, "commit", "-q", "-am", "second")
    assert found(run("--diff", "HEAD", "-f", "json", "b.md")) == []
    assert found(run("--diff", "HEAD~1", "-f", "json", "b.md")) == [(5, "cruel")]


def test_new_and_untracked_files_are_all_changed(repo):
    (repo / "c.md").write_text(article(P1, P2))
    result = run("--diff", "HEAD", "-f", "json", ".")
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {"./c.md"}
    assert {line for line, _ in found(result)} == {3, 5}


def test_folder_in_a_subdirectory(repo, monkeypatch):
    (repo / "articles").mkdir()
    (repo / "articles" / "x.md").write_text(article(P1, CLEAN))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "articles")
    (repo / "articles" / "x.md").write_text(article(P1, P3))
    monkeypatch.chdir(repo / "articles")
    result = run("--diff", "HEAD", "-f", "json", ".")
    assert found(result) == [(5, "cruel")]


def test_directive_findings_outside_blocks_follow_their_line(repo):
    (repo / "a.md").write_text("<!-- rhetlint-disable loded -->\n\n" + article(P1))
    git(repo, "commit", "-q", "-am", "directive")
    (repo / "a.md").write_text("<!-- rhetlint-disable loded -->\n\n" + article(P1, "<!-- rhetlint-disable nope -->"))
    result = run("--diff", "HEAD", "-f", "json", "a.md")
    rules = [(f["line"], f["rule"]) for f in json.loads(result.stdout)["findings"]]
    assert rules == [(7, "rhetlint.bad-directive")]


def test_outside_a_git_repository_is_a_clear_error(tmp_path, monkeypatch):
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (outside / "a.md").write_text(article(P1))
    result = run("--diff", "HEAD", "a.md")
    assert result.exit_code == 2
    assert "--diff: a.md is not in a git repository" in result.stderr
    assert result.stdout == ""


def test_unknown_ref_is_a_clear_error(repo):
    (repo / "a.md").write_text(article(P1, P3))
    result = run("--diff", "no-such-branch", "a.md")
    assert result.exit_code == 2
    assert "--diff: unknown git revision 'no-such-branch'" in result.stderr


def test_changed_findings_unit(registry):
    from rhetlint.config import load_config
    from rhetlint.engine import Linter
    from rhetlint.gitdiff import changed_blocks, changed_findings

    linter = Linter(registry, load_config(None, isolated=True))
    old = linter.parse("x.md", article(P1, P2))
    new = linter.parse("x.md", article(P1, CLEAN, P2 + " Really."))
    assert [new.source[s:e] for s, e in changed_blocks(old, new)] == [CLEAN, P2 + " Really."]
    findings, _ = linter.lint_document(new)
    kept = changed_findings(old, new, findings)
    assert kept and all(f.line == 7 for f in kept)
    assert len(kept) < len(findings)


def test_ignored_file_named_explicitly_is_all_changed(repo):
    (repo / ".gitignore").write_text("drafts/\n")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "d.md").write_text(article(P3))
    result = run("--diff", "HEAD", "-f", "json", "drafts/d.md")
    assert found(result) == [(3, "cruel")]


def test_diff_and_baseline_together(repo):
    (repo / "a.md").write_text(article(P1, P3))
    assert run("--write-baseline", "base.json", "a.md").exit_code == 0
    # a new paragraph with an old sentence: changed block, but the finding is in the baseline
    (repo / "a.md").write_text(article(P1, P3 + " It passed.", "A brutal reply."))
    result = run("--diff", "HEAD", "--baseline", "base.json", "-f", "json", "a.md")
    assert found(result) == [(7, "brutal")]
