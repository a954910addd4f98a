"""A long document shared between two processes gives exactly the findings of one."""

from __future__ import annotations

import os
import time
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


def _slow_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> Config:
    """A config with house rules whose pattern backtracks for ever, a 0.2 s budget and a low split threshold."""
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    rules = tmp_path / "house" / "style"
    rules.mkdir(parents=True)
    for name in names:
        (rules / f"{name}.yml").write_text(
            "kind: pattern\nmessage: slow\npatterns: ['(a|aa)+$']\n"
            "examples:\n  flag: ['[[aaa]]']\n  pass: ['b']\n", encoding="utf-8")
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n", encoding="utf-8")
    monkeypatch.setattr("rhetlint.kinds.common.MATCH_TIMEOUT_BASE", 0.2)
    monkeypatch.setattr("rhetlint.kinds.common.MATCH_TIMEOUT_PER_MB", 0.0)
    return load_config(tmp_path / ".rhetlint.yml")


def test_split_gives_the_same_findings(monkeypatch) -> None:
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = _long_text()
    one = _lint(1, text)
    assert len(one) > 100  # the text really has findings in all four categories
    assert {r[2].split(".")[0] for r in one[:-1]} >= {"attribution", "loaded", "analogy", "prediction"}
    assert _lint(2, text) == one


def test_a_rule_error_in_the_other_process_is_reported_the_same(monkeypatch, tmp_path) -> None:
    # a catastrophic pattern: the rule's time budget stops it with an error naming the rule
    # two of them, so that each process has one; the first in plan order is reported
    config = _slow_rules(tmp_path, monkeypatch, "zz-slow", "zz-slower")
    text = _long_text() + "\n\n" + "a" * 40 + "!"
    messages = []
    for jobs in (1, 2):
        with pytest.raises(RuleError) as err:
            _lint(jobs, text, config)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "rule style.zz-slow " in messages[0] and "took longer than" in messages[0]


def test_rules_taken_by_a_child_that_dies_are_run_here(monkeypatch) -> None:
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = _long_text()
    one = _lint(1, text)
    parent = os.getpid()
    real = engine.Linter._rule_hits

    def dies_in_the_child(self, *args):
        if os.getpid() != parent:
            os._exit(3)  # after taking a rule from the queue, without an answer
        return real(self, *args)

    monkeypatch.setattr(engine.Linter, "_rule_hits", dies_in_the_child)
    assert _lint(2, text) == one


def test_a_document_of_one_block_shares_its_rules_instead(monkeypatch) -> None:
    # no block start to cut at: the rules are shared out (one queue), same findings
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = " ".join((EXAMPLES / "op-ed.md").read_text(encoding="utf-8").split()) * 8
    calls = []
    real = engine.Linter._split_hits
    monkeypatch.setattr(engine.Linter, "_split_hits", lambda self, *a: calls.append(1) or real(self, *a))
    one = _lint(1, text)
    assert len(one) > 50 and calls == []
    assert _lint(2, text) == one and calls == [1]


@pytest.mark.parametrize("shift", [0, 1])
@pytest.mark.parametrize("jobs", [2, 3, 5])
def test_stretches_keep_the_hits_near_their_edges(monkeypatch, jobs, shift) -> None:
    # every other paragraph's findings depend on the paragraph before (a quotation after
    # "Name described the scene:" is that speaker's), so cuts land on such a pair
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    monkeypatch.setattr(engine, "SPLIT_MARGIN", 0)
    lead = "Carl Webb " + "and his sister slowly " * 12 + "described the scene:"  # long: cuts land after it
    pair = [lead, "\u201cIt was a vicious, brutal night and it will never end.\u201d",
            "Experts say the tax will never work.", "A 2021 study by Ana Ruiz found the same."]
    text = "\n\n".join(["Intro."] * shift + pair * 61)  # an odd count: cuts fall inside the long lead
    one = _lint(1, text)
    assert {r[2] for r in one[:-1]} == {"attribution.vague-source", "prediction.absolute"}  # the quotation's words are Webb's
    assert _lint(jobs, text) == one


def _lint_file(jobs: int, text: str, config: Config | None = None) -> list[tuple]:
    linter = checked_linter(config or Config())
    linter.jobs = jobs
    _, findings, stats, _ = linter.lint_file("long.md", text)
    return [(f.start, f.end, f.rule, f.severity, f.message) for f in findings] + [stats.words]


@pytest.mark.parametrize("jobs", [2, 3])
def test_helpers_forked_before_the_parse_give_the_same_findings(monkeypatch, jobs) -> None:
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    forked = []
    real = engine._Helper.__init__
    monkeypatch.setattr(engine._Helper, "__init__", lambda self, *a: forked.append(1) or real(self, *a))
    text = _long_text()
    one = _lint_file(1, text)
    assert forked == []
    assert _lint_file(jobs, text) == one
    assert len(forked) == jobs - 1


def test_a_helper_that_dies_has_its_stretch_linted_here(monkeypatch) -> None:
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = _long_text()
    one = _lint_file(1, text)
    parent = os.getpid()
    real = engine.Linter._warm_up

    def dies(self, path):
        if os.getpid() != parent:
            os._exit(3)
        return real(self, path)

    monkeypatch.setattr(engine.Linter, "_warm_up", dies)
    assert _lint_file(2, text) == one


def test_helpers_are_let_go_when_the_document_cannot_be_cut(monkeypatch) -> None:
    # one block: the helpers get nothing to do, the rules are shared out instead
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = " ".join((EXAMPLES / "op-ed.md").read_text(encoding="utf-8").split()) * 8
    one = _lint_file(1, text)
    start = time.monotonic()
    assert _lint_file(3, text) == one
    assert time.monotonic() - start < 20


def test_a_rule_error_in_a_helper_is_reported_as_in_one_process(monkeypatch, tmp_path) -> None:
    config = _slow_rules(tmp_path, monkeypatch, "zz-slow")
    text = _long_text() + "\n\n" + "a" * 40 + "!"  # in the last stretch: a helper's
    messages = []
    for jobs in (1, 2):
        with pytest.raises(RuleError) as err:
            _lint_file(jobs, text, config)
        messages.append(str(err.value))
    assert messages[0] == messages[1] and "rule style.zz-slow " in messages[0]


class _WholeDocumentRule:
    """A plugin rule that reads the whole text: flags "vicious" only when "Carl Webb" appears anywhere."""

    @staticmethod
    @__import__("rhetlint").hookimpl
    def rhetlint_rules():
        from rhetlint.model import Hit, Rule, Severity

        def check(ctx):
            if "Carl Webb" in ctx.text:
                i = ctx.text.rfind("vicious")
                if i >= 0:
                    yield Hit(i, i + 7)

        return [Rule(id="house.far", kind="python", check=check, message="far", severity=Severity.WARNING,
                     description="d", origin="test")]


def test_a_plugin_rule_of_another_kind_keeps_the_document_whole(monkeypatch) -> None:
    from rhetlint import api, host

    real = host.load_registry
    monkeypatch.setattr(api, "_registries", {})
    monkeypatch.setattr(api, "load_registry", lambda dirs: real(dirs, extra_plugins=[("house", _WholeDocumentRule())]))
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    cut = []
    real_regions = engine.Linter._split_regions
    monkeypatch.setattr(engine.Linter, "_split_regions", lambda self, *a: cut.append(1) or real_regions(self, *a))
    text = "Carl Webb was there.\n\n" + _long_text()  # the name only at the start, the last "vicious" far below
    one = _lint_file(1, text)
    assert "house.far" in {r[2] for r in one[:-1]}
    assert _lint_file(2, text) == one and cut == []  # its rules were shared out instead


def test_a_match_stays_inside_its_block() -> None:
    # rules see one block at a time (which is what lets a long document be cut at block starts)
    from rhetlint.api import lint_text

    def loaded(text: str) -> list[str]:
        return [f.text for f in lint_text(text, "a.md", None) if f.rule.startswith("loaded")]

    assert loaded("They kick the can down the road again.") == ["kick the can down the road"]
    assert loaded("They kick the can\n\ndown the road again.") == []


def test_no_process_to_fork_lints_alone(monkeypatch) -> None:
    # the second helper cannot be forked: the first is let go, this process lints it all
    monkeypatch.setattr(engine, "SPLIT_MIN_CHARS", 1000)
    text = _long_text()
    one = _lint_file(1, text)
    real_fork = os.fork
    calls = []

    def fork():
        calls.append(1)
        if len(calls) == 2:
            raise OSError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    open_before = len(os.listdir("/proc/self/fd"))
    assert _lint_file(3, text) == one
    assert len(os.listdir("/proc/self/fd")) == open_before  # no pipe end left behind
    assert engine._Helper._open == set()
