"""Density policy (max-density → rhetlint.density) and --statistics."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rhetlint.cli import cli
from rhetlint.density import measure, message

LOADED = "The vicious plan failed."  # 4 words, one loaded term
FILLER = "The council met today."  # 4 words, no finding


def text_of(loaded: int, words: int = 200) -> str:
    """A paragraph of ``words`` words with ``loaded`` loaded terms."""
    sentences = [LOADED] * loaded + [FILLER] * (words // 4 - loaded)
    return " ".join(sentences) + "\n"


@pytest.fixture
def run(sandbox):
    tmp_path = sandbox

    def invoke(config: str | None, *args: str):
        if config is not None:
            (tmp_path / ".rhetlint.yml").write_text(config)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def density_findings(result) -> list[dict]:
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "rhetlint.density"]


def test_category_over_the_limit_is_an_error_with_the_measured_density(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(2))  # 2 per 200 words = 10.0 per 1,000
    result = run("max-density: {loaded: 5}\n", "-f", "json", "--fail-on", "error", "a.md")
    assert result.exit_code == 1
    [f] = density_findings(result)
    assert f["severity"] == "error"
    assert f["message"].startswith("loaded density 10.0 per 1,000 words is over the limit of 5")
    assert (f["line"], f["column"], f["path"]) == (1, 1, "a.md")


def test_at_the_limit_is_not_over(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(1))  # 5.0 per 1,000
    result = run("max-density: {loaded: 5}\n", "-f", "json", "a.md")
    assert density_findings(result) == []
    over = run("max-density: {loaded: 4.5}\n", "-f", "json", "a.md")
    assert [f["message"].split(" (")[0] for f in density_findings(over)] == [
        "loaded density 5.0 per 1,000 words is over the limit of 4.5"
    ]


def test_overall_limit_as_a_bare_number(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(3))  # 15.0 per 1,000
    result = run("max-density: 12\n", "-f", "json", "a.md")
    [f] = density_findings(result)
    assert f["message"].startswith("overall density 15.0 per 1,000 words is over the limit of 12")


def test_overall_and_category_limits_each_give_a_finding(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(3))
    result = run("max-density: {all: 12, loaded: 10, attribution: 1}\n", "-f", "json", "a.md")
    assert [f["message"].split(" density")[0] for f in density_findings(result)] == ["overall", "loaded"]


def test_no_limit_no_density_findings(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(10))
    assert density_findings(run("fail-on: warning\n", "-f", "json", "a.md")) == []


def test_density_rule_is_configured_like_any_rule(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(2))
    warn = run("max-density: {loaded: 5}\nrules: {rhetlint.density: warning}\n", "-f", "json", "a.md")
    assert [f["severity"] for f in density_findings(warn)] == ["warning"]
    off = run('max-density: {loaded: 5}\nper-file: {"a.md": {rhetlint.density: off}}\n', "-f", "json", "a.md")
    assert density_findings(off) == []
    ignored = run("max-density: {loaded: 5}\n", "-f", "json", "--ignore", "rhetlint.density", "a.md")
    assert density_findings(ignored) == []


def test_unknown_category_in_max_density_is_a_config_error(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(1))
    result = run("max-density: {loadd: 5}\n", "a.md")
    assert result.exit_code == 2
    assert "max-density.loadd: unknown category 'loadd'" in result.stderr


def test_directive_findings_do_not_count(registry):
    from rhetlint.config import load_config
    from rhetlint.engine import Linter

    linter = Linter(registry, load_config(None, isolated=True))
    doc = linter.parse("x.md", "<!-- rhetlint-disable nope -->\n\n" + text_of(1))
    found, stats = linter.lint_document(doc)
    assert {f.rule for f in found} >= {"rhetlint.bad-directive", "loaded.term"}
    densities = measure(found, stats.words)
    assert densities == {"all": pytest.approx(1000 / stats.words), "loaded": pytest.approx(1000 / stats.words)}
    assert message("loaded", 7.44, 5).startswith("loaded density 7.4 per 1,000 words is over the limit of 5")
    assert measure([], 0) == {"all": 0.0}


def test_density_finding_is_stable_in_a_baseline(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(2))
    run("max-density: {loaded: 5}\n", "--write-baseline", "base.json", "a.md")
    (tmp_path / "a.md").write_text(text_of(2) + "\nHer cruel reply came.\n")
    result = run(None, "-f", "json", "--baseline", "base.json", "a.md")
    assert [f["text"] for f in json.loads(result.stdout)["findings"]] == ["cruel"]


def test_statistics(run, tmp_path):
    (tmp_path / "a.md").write_text(text_of(2))
    (tmp_path / "b.md").write_text("Experts say the vicious plan failed.\n")
    result = run("fail-on: warning\n", "--statistics", "a.md", "b.md")
    out = result.stdout
    assert "Findings per rule:" in out and "Findings per category:" in out
    assert "     3  loaded.term" in out
    assert "     3  loaded" in out
    assert "a.md: 200 words, 2 findings, 10.0/1k (loaded 10.0)" in out
    assert "b.md: 6 words, 2 findings, 333.3/1k (attribution 166.7, loaded 166.7)" in out
    assert "Total: 206 words, 4 findings, 19.4/1k" in out
    # with a machine format the statistics go to stderr, the report stays parseable
    as_json = run(None, "--statistics", "-f", "json", "a.md")
    json.loads(as_json.stdout)
    assert "Per file" in as_json.stderr
