"""The library API lints exactly as the CLI does."""

from __future__ import annotations

import pytest

import rhetlint
from rhetlint.errors import InputError


def test_lint_text_applies_the_density_policy(tmp_path):
    cfg = tmp_path / ".rhetlint.yml"
    cfg.write_text("max-density: {all: 1}\n")
    findings = rhetlint.lint_text("The vicious plan.\n", filename="a.md", config=cfg)
    assert [(f.rule, f.start) for f in findings] == [("rhetlint.density", 0), ("loaded.term", 4)]


def test_lint_paths_skips_binary_found_in_folders_but_not_named(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text("The vicious plan.\n")
    (tmp_path / "d" / "b.md").write_bytes(b"\x00\x01binary")
    found = rhetlint.lint_paths([str(tmp_path / "d")])
    assert [(f.path.rsplit("/", 1)[1], f.text) for f in found] == [("a.md", "vicious")]
    with pytest.raises(InputError, match="binary file"):
        rhetlint.lint_paths([str(tmp_path / "d" / "b.md")])


def test_findings_and_stats_pickle_as_constructor_calls():
    # they come back from forked worker processes; equal, hashable and frozen after the trip
    import dataclasses
    import pickle

    from rhetlint.model import FileStats, Finding, Severity

    finding = Finding("a.md", 4, 11, 1, 5, 1, 12, "loaded.term", Severity.WARNING, "Loaded term.", "vicious")
    stats = FileStats("a.md", None, 1)
    back, back_stats = pickle.loads(pickle.dumps((finding, stats), protocol=pickle.HIGHEST_PROTOCOL))
    assert back == finding and hash(back) == hash(finding) and back.severity is Severity.WARNING
    assert back_stats == stats
    assert [f.name for f in dataclasses.fields(Finding)] == [
        "path", "start", "end", "line", "column", "end_line", "end_column", "rule", "severity", "message", "text"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.start = 0  # type: ignore[misc]
