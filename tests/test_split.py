"""A long document shared between two processes gives exactly the findings of one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rhetlint import engine
from rhetlint.api import checked_linter
from rhetlint.config import Config, load_config
from rhetlint.errors import RuleError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _long_text() -> str:
    # the example op-ed (every category fires) and some clean prose, many times over
    body = (EXAMPLES / "op-ed.md").read_text(encoding="utf-8") + "\n\n" + (EXAMPLES / "clean.md").read_text(
        encoding="utf-8")
    return "\n\n".join(body for _ in range(12))


def _lint(jobs: int, text: str, config: Config | None = None) -> list[tuple]:
    linter = checked_linter(config or Config())
    linter.jobs = jobs
    findings, stats = linter.lint_document(linter.parse("long.md", text))
    return [(f.start, f.end, f.rule, f.severity, f.message) for f in findings] + [stats.words]


def test_split_gives_the_same_findings(monkeypatch) -> None:
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = _long_text()
    one = _lint(1, text)
    assert len(one) > 100  # the text really has findings in all four categories
    assert {r[2].split(".")[0] for r in one[:-1]} >= {"attribution", "loaded", "analogy", "prediction"}
    assert _lint(2, text) == one


def test_a_rule_error_in_the_other_process_is_reported_the_same(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    rules = tmp_path / "house" / "style"
    rules.mkdir(parents=True)
    # a catastrophic pattern: the rule's time budget stops it with an error naming the rule
    # two of them, so that each process has one; the first in plan order is reported
    for name in ("zz-slow", "zz-slower"):
        (rules / f"{name}.yml").write_text(
            "kind: pattern\nmessage: slow\npatterns: ['(a|aa)+$']\n"
            "examples:\n  flag: ['[[aaa]]']\n  pass: ['b']\n", encoding="utf-8")
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n", encoding="utf-8")
    config = load_config(tmp_path / ".rhetlint.yml")
    monkeypatch.setattr("rhetlint.kinds.common.MATCH_TIMEOUT_BASE", 0.2)
    monkeypatch.setattr("rhetlint.kinds.common.MATCH_TIMEOUT_PER_MB", 0.0)
    text = _long_text() + "\n\n" + "a" * 40 + "!"
    messages = []
    for jobs in (1, 2):
        with pytest.raises(RuleError) as err:
            _lint(jobs, text, config)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "rule style.zz-slow " in messages[0] and "took longer than" in messages[0]
