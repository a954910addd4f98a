"""CI report formats: junit (JUnit XML) and gitlab (GitLab Code Quality JSON)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from rhetlint.cli import cli
from rhetlint.model import Finding, Report, Severity

LOADED = "The mayor's vicious campaign went on.\n\nHer cruel plan was approved.\n"
CLEAN = "The council met today.\n"


@pytest.fixture
def run(sandbox):
    tmp_path = sandbox
    (tmp_path / "bad.md").write_text(LOADED)
    (tmp_path / "good.md").write_text(CLEAN)

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--isolated", *args], catch_exceptions=False)

    return invoke


def finding(path="a.md", line=1, rule="loaded.term", severity=Severity.WARNING, message="Loaded term 'x'.",
            text="x", start=0):
    return Finding(path, start, start + len(text), line, 3, line, 3 + len(text), rule, severity, message, text)


def test_formats_are_registered_plugins(run):
    result = run("--list-plugins")
    assert "rhetlint.formatters.junit" in result.stdout
    assert "rhetlint.formatters.gitlab" in result.stdout


# -- junit ------------------------------------------------------------------
def test_junit_has_a_testcase_per_file_and_a_failure_per_finding(run):
    result = run("-f", "junit", "bad.md", "good.md")
    assert result.exit_code == 1
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"bad.md", "good.md"}
    assert suite.get("tests") == "2" and suite.get("failures") == "1" and suite.get("errors") == "0"
    bad = cases["bad.md"].findall("failure")
    assert [f.get("type") for f in bad] == ["loaded.term", "loaded.term"]
    assert "vicious" in bad[0].get("message")
    assert bad[0].text.startswith("bad.md:1:")
    assert "bad.md:3:" in bad[1].text
    assert cases["good.md"].findall("failure") == []
    assert all(c.get("classname") == "rhetlint" and c.get("file") == c.get("name") for c in cases.values())


def test_junit_escapes_and_drops_characters_xml_cannot_hold():
    from rhetlint.formatters.junit import render

    f = finding(message="Loaded <term> & \"quotes\" \x0c here", text="a\x01b")
    report = Report((f,), ("a.md", "empty.md"), (), "0.1.0")
    root = ET.fromstring(render(report))
    [failure] = root.iter("failure")
    assert failure.get("message") == "loaded.term: Loaded <term> & \"quotes\" \ufffd here"
    assert "a\ufffdb" in failure.text
    assert [c.get("name") for c in root.iter("testcase")] == ["a.md", "empty.md"]


def test_junit_without_files_is_an_empty_suite():
    from rhetlint.formatters.junit import render

    root = ET.fromstring(render(Report((), (), (), "0.1.0")))
    assert root.find("testsuite").get("tests") == "0"


# -- gitlab -----------------------------------------------------------------
def test_gitlab_code_quality_fields(run):
    result = run("-f", "gitlab", "./bad.md", "good.md")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert isinstance(issues, list) and len(issues) == 2
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == "loaded.term"
        assert issue["severity"] == "minor"
        assert issue["location"]["path"] == "bad.md"  # no leading ./
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert [i["location"]["lines"]["begin"] for i in issues] == [1, 3]
    assert "vicious" in issues[0]["description"]
    assert len({i["fingerprint"] for i in issues}) == 2


def test_gitlab_severities_and_unique_fingerprints():
    from rhetlint.formatters.gitlab import render

    report = Report(
        (finding(severity=Severity.INFO), finding(line=2, start=10), finding(line=3, start=20, severity=Severity.ERROR)),
        ("a.md",), (), "0.1.0",
    )
    issues = json.loads(render(report))
    assert [i["severity"] for i in issues] == ["info", "minor", "major"]
    assert len({i["fingerprint"] for i in issues}) == 3  # the same text three times: still unique


def test_gitlab_fingerprints_survive_inserted_paragraphs(run, tmp_path):
    before = json.loads(run("-f", "gitlab", "bad.md").stdout)
    (tmp_path / "bad.md").write_text("A new first paragraph.\n\n" + LOADED)
    after = json.loads(run("-f", "gitlab", "bad.md").stdout)
    assert [i["location"]["lines"]["begin"] for i in after] == [3, 5]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_empty_reports(run):
    assert json.loads(run("-f", "gitlab", "good.md").stdout) == []
    root = ET.fromstring(run("-f", "junit", "good.md").stdout)
    assert root.find("testsuite").get("failures") == "0"
