"""Baselines: --write-baseline records findings, --baseline reports only new ones."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rhetlint import baseline as bl
from rhetlint.cli import cli

P_LOADED = "The mayor's vicious campaign went on."
P_CLEAN = "The council met today."
P_SOURCE = "Experts say the budget is too small."
P_OTHER = "Her cruel plan was approved."


def article(*paragraphs: str) -> str:
    return "# Budget\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def run(sandbox):
    tmp_path = sandbox

    def invoke(*args):
        return CliRunner().invoke(cli, ["--isolated", *args], catch_exceptions=False)

    return invoke


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def texts(result) -> list[str]:
    return [f["text"] for f in findings(result)]


def test_write_then_check_reports_nothing(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED, P_SOURCE))
    wrote = run("--write-baseline", "base.json", "a.md")
    assert wrote.exit_code == 0, wrote.output
    assert "wrote" in wrote.stderr and "base.json" in wrote.stderr
    assert wrote.stdout == ""
    check = run("--baseline", "base.json", "-f", "json", "a.md")
    assert check.exit_code == 0
    assert findings(check) == []
    assert run("a.md").exit_code == 1  # without the baseline the findings are still there


def test_baseline_file_is_sorted_json_without_line_numbers(run, tmp_path):
    (tmp_path / "b.md").write_text(article(P_SOURCE, P_LOADED))
    (tmp_path / "a.md").write_text(article(P_LOADED))
    assert run("--write-baseline", "base.json", "b.md", "a.md").exit_code == 0
    raw = (tmp_path / "base.json").read_text()
    data = json.loads(raw)
    assert raw.endswith("\n")
    assert data["version"] == 1
    items = data["findings"]
    keys = [(i["path"], i["rule"], i["text"], i["sentence"]) for i in items]
    assert keys == sorted(keys)
    assert {i["path"] for i in items} == {"a.md", "b.md"}
    assert all(set(i) == {"path", "rule", "text", "sentence", "count", "fingerprint"} for i in items)
    assert "line" not in raw and "column" not in raw
    # the same findings written again give the same bytes (reviewable diffs)
    assert run("--write-baseline", "base.json", "a.md", "b.md").exit_code == 0
    assert (tmp_path / "base.json").read_text() == raw
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_fingerprints_survive_inserted_paragraphs(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED, P_CLEAN, P_SOURCE))
    assert run("--write-baseline", "base.json", "a.md").exit_code == 0
    # paragraphs inserted before and between the old findings, and one old sentence reflowed
    reflowed = P_SOURCE.replace(" the budget", "\nthe  budget")
    (tmp_path / "a.md").write_text(article(P_CLEAN, P_CLEAN, P_LOADED, P_OTHER, P_CLEAN, reflowed))
    result = run("--baseline", "base.json", "-f", "json", "a.md")
    assert result.exit_code == 1
    assert texts(result) == ["cruel"]
    assert findings(result)[0]["line"] == 9  # the inserted paragraph's finding only


def test_keys_do_not_depend_on_position(registry):
    from pathlib import Path

    from rhetlint.config import load_config
    from rhetlint.engine import Linter

    linter = Linter(registry, load_config(None, isolated=True))

    def keys(text: str) -> list[bl.Key]:
        doc = linter.parse("x.md", text)
        found, _ = linter.lint_document(doc)
        return bl.keys_for(doc, found, Path("."))

    before = keys(article(P_LOADED))
    after = keys(article(P_CLEAN, P_OTHER.replace("cruel", "new"), P_LOADED))
    assert before and before == after
    changed = keys(article("The governor's vicious campaign went on."))
    assert [k[:3] for k in changed] == [k[:3] for k in before]
    assert [k[3] for k in changed] != [k[3] for k in before]  # another sentence: another fingerprint


def test_edited_sentence_is_new(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED))
    run("--write-baseline", "base.json", "a.md")
    (tmp_path / "a.md").write_text(article("The governor's vicious campaign went on."))
    result = run("--baseline", "base.json", "-f", "json", "a.md")
    assert result.exit_code == 1 and texts(result) == ["vicious"]


def test_fixed_then_reintroduced_is_new(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED, P_SOURCE))
    run("--write-baseline", "base.json", "a.md")
    before = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert "vicious" in [i["text"] for i in before]
    # fixed: the run passes and the baseline forgets the finding (a ratchet)
    (tmp_path / "a.md").write_text(article(P_LOADED.replace("vicious", "long"), P_SOURCE))
    fixed = run("--baseline", "base.json", "a.md")
    assert fixed.exit_code == 0
    assert "removed 1 fixed finding from the baseline" in fixed.stderr
    after = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert [i for i in before if i["text"] != "vicious"] == after
    # reintroduced: the same sentence as in the first baseline is a new finding
    (tmp_path / "a.md").write_text(article(P_LOADED, P_SOURCE))
    again = run("--baseline", "base.json", "-f", "json", "a.md")
    assert again.exit_code == 1
    assert texts(again) == ["vicious"]


def test_repeated_sentence_is_counted(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED))
    run("--write-baseline", "base.json", "a.md")
    (tmp_path / "a.md").write_text(article(P_LOADED, P_LOADED))
    result = run("--baseline", "base.json", "-f", "json", "a.md")
    assert texts(result) == ["vicious"]


def test_only_checked_files_and_rules_are_pruned(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED, P_SOURCE))
    (tmp_path / "b.md").write_text(article(P_LOADED))
    run("--write-baseline", "base.json", "a.md", "b.md")
    raw = (tmp_path / "base.json").read_text()
    # b.md not linted, attribution not selected: nothing is stale
    result = run("--baseline", "base.json", "--select", "loaded", "a.md")
    assert result.exit_code == 0
    assert (tmp_path / "base.json").read_text() == raw
    assert "removed" not in result.stderr


def test_paths_are_relative_to_the_baseline_file(run, tmp_path, monkeypatch):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text(article(P_LOADED))
    (tmp_path / "ci").mkdir()
    assert run("--write-baseline", "ci/base.json", "articles").exit_code == 0
    data = json.loads((tmp_path / "ci" / "base.json").read_text())
    assert {i["path"] for i in data["findings"]} == {"../articles/a.md"}
    monkeypatch.chdir(tmp_path / "articles")
    result = CliRunner().invoke(cli, ["--isolated", "--baseline", "../ci/base.json", "a.md"])
    assert result.exit_code == 0, result.output


def test_bad_baseline_files_exit_2(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED))
    missing = run("--baseline", "nope.json", "a.md")
    assert missing.exit_code == 2 and "nope.json: no such baseline file" in missing.stderr
    (tmp_path / "bad.json").write_text("{not json")
    bad = run("--baseline", "bad.json", "a.md")
    assert bad.exit_code == 2 and "bad.json:1: baseline is not valid JSON" in bad.stderr
    (tmp_path / "other.json").write_text('{"version": 1, "findings": [{"path": "a.md"}]}')
    other = run("--baseline", "other.json", "a.md")
    assert other.exit_code == 2 and "findings[0]" in other.stderr
    both = run("--write-baseline", "x.json", "--baseline", "other.json", "a.md")
    assert both.exit_code == 2 and not (tmp_path / "x.json").exists()


def test_unwritable_baseline_exits_2_and_leaves_nothing(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED))
    result = run("--write-baseline", "missing-dir/base.json", "a.md")
    assert result.exit_code == 2 and "cannot write" in result.stderr
    assert not (tmp_path / "missing-dir").exists()


def test_unreadable_input_does_not_write_a_partial_baseline(run, tmp_path):
    (tmp_path / "a.md").write_text(article(P_LOADED))
    result = run("--write-baseline", "base.json", "a.md", "gone.md")
    assert result.exit_code == 2 and "not written" in result.stderr
    assert not (tmp_path / "base.json").exists()
