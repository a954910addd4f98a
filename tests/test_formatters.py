"""Output formats, from Reports built by hand: text, json, sarif, github."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rhetlint.formatters import github, sarif
from rhetlint.formatters import json as json_fmt
from rhetlint.formatters import text as text_fmt
from rhetlint.model import FileStats, Finding, Report, Rule, Severity

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = FIXTURES / "formats"
SCHEMA = FIXTURES / "sarif-schema-2.1.0.json"


def _noop(_ctx):
    return []


RULES = (
    Rule(id="loaded.term", kind="existence", check=_noop, message="m", severity=Severity.WARNING,
         description="Loaded words.", link="https://example.org/loaded-term"),
    Rule(id="attribution.vague-source", kind="pattern", check=_noop, message="m",
         severity=Severity.ERROR, description=""),
    Rule(id="rhetlint.unused-directive", kind="python", check=_noop, message="m",
         severity=Severity.INFO, description="Unused directive."),
)

FINDINGS = (
    Finding("docs/op ed, 1:draft.md", 2, 9, 1, 3, 1, 10, "loaded.term", Severity.WARNING,
            "Loaded term 'vicious' (condemnation): 100% verdict, no evidence.", "vicious"),
    Finding("docs/op ed, 1:draft.md", 20, 36, 2, 4, 3, 5, "attribution.vague-source", Severity.ERROR,
            "Vague source 'experts say':\r\nname them, e.g. Dr. Müller.", "experts\r\nsay"),
    Finding("notes.txt", 0, 32, 1, 1, 1, 33, "rhetlint.unused-directive", Severity.INFO,
            "Unused suppression directive: it silenced nothing. Remove it.",
            "<!-- rhetlint-disable loaded -->"),
)

REPORT = Report(
    findings=FINDINGS,
    files=("docs/op ed, 1:draft.md", "notes.txt", "clean.md"),
    rules=RULES,
    version="9.8.7",
    stats=(FileStats("docs/op ed, 1:draft.md", 40, 2), FileStats("notes.txt", 3, 1), FileStats("clean.md", 5, 0)),
)
EMPTY = Report(findings=(), files=("clean.md",), rules=RULES, version="9.8.7")

RENDER = {"text": text_fmt.render, "json": json_fmt.render, "sarif": sarif.render, "github": github.render}


@pytest.mark.parametrize("name", sorted(RENDER))
def test_snapshot(name):
    out = RENDER[name](REPORT)
    snap = FORMATS / f"{name}.expected"
    if os.environ.get("RHETLINT_UPDATE_SNAPSHOTS"):
        snap.write_bytes(out.encode("utf-8"))
    assert out == snap.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(RENDER))
def test_formatters_are_registered(name, registry):
    assert registry.formatters[name].render(REPORT) == RENDER[name](REPORT)


# -- text ------------------------------------------------------------------------


def test_text_lines():
    assert text_fmt.render(REPORT).splitlines()[0] == (
        "docs/op ed, 1:draft.md:1:3: warning loaded.term "
        "Loaded term 'vicious' (condemnation): 100% verdict, no evidence."
    )
    assert text_fmt.render(REPORT).splitlines()[-1] == (
        "notes.txt:1:1: info rhetlint.unused-directive Unused suppression directive: it silenced nothing. Remove it."
    )
    # one finding, one line: line breaks in a message never split it
    assert text_fmt.render(REPORT).splitlines()[1] == (
        "docs/op ed, 1:draft.md:2:4: error attribution.vague-source "
        "Vague source 'experts say': name them, e.g. Dr. Müller."
    )
    assert len(text_fmt.render(REPORT).splitlines()) == 3
    assert text_fmt.render(EMPTY) == ""


# -- json ------------------------------------------------------------------------


def test_json_contract():
    doc = json.loads(json_fmt.render(REPORT))
    assert doc["version"] == 1
    assert doc["findings"][1] == {
        "path": "docs/op ed, 1:draft.md",
        "line": 2,
        "column": 4,
        "end_line": 3,
        "end_column": 5,
        "offset": 20,
        "end_offset": 36,
        "rule": "attribution.vague-source",
        "category": "attribution",
        "severity": "error",
        "message": "Vague source 'experts say':\r\nname them, e.g. Dr. Müller.",
        "text": "experts\r\nsay",
    }
    assert doc["summary"] == {
        "files": 3,
        "findings": 3,
        "by_severity": {"error": 1, "warning": 1, "info": 1},
        "by_category": {"attribution": 1, "loaded": 1, "rhetlint": 1},
    }
    assert [f["rule"] for f in doc["findings"]] == [f.rule for f in FINDINGS]


def test_json_empty():
    doc = json.loads(json_fmt.render(EMPTY))
    assert doc["findings"] == []
    assert doc["summary"]["findings"] == 0
    assert doc["summary"]["by_severity"] == {"error": 0, "warning": 0, "info": 0}


# -- sarif -----------------------------------------------------------------------


def _schema():
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("report", [REPORT, EMPTY], ids=["findings", "empty"])
def test_sarif_validates_against_the_official_schema(report):
    jsonschema = pytest.importorskip("jsonschema")
    schema = _schema()
    assert schema["$id"].endswith("sarif-schema-2.1.0.json")
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(json.loads(sarif.render(report))), key=str)
    assert errors == []


def test_sarif_schema_copy_matches_shared_when_present():
    shared = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if not shared.is_file():
        pytest.skip("../shared is absent")
    assert SCHEMA.read_bytes() == shared.read_bytes()


def test_sarif_results_and_rules():
    doc = json.loads(sarif.render(REPORT))
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    assert run["tool"]["driver"]["version"] == "9.8.7"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["attribution.vague-source", "loaded.term", "rhetlint.unused-directive"]
    assert rules[1]["helpUri"] == "https://example.org/loaded-term"
    assert rules[1]["defaultConfiguration"] == {"level": "warning"}
    assert rules[2]["defaultConfiguration"] == {"level": "note"}
    res = run["results"][1]
    assert res["ruleId"] == "attribution.vague-source"
    assert res["ruleIndex"] == 0
    assert res["level"] == "error"
    assert run["results"][2]["level"] == "note"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/op%20ed%2C%201%3Adraft.md"
    assert loc["region"] == {
        "startLine": 2, "startColumn": 4, "endLine": 3, "endColumn": 5,
        "charOffset": 20, "charLength": 16, "snippet": {"text": "experts\r\nsay"},
    }


# -- github ----------------------------------------------------------------------


def test_github_annotation_lines():
    lines = github.render(REPORT).splitlines()
    assert lines[1] == (
        "::warning file=docs/op ed%2C 1%3Adraft.md,line=1,col=3,endLine=1,endColumn=10,"
        "title=loaded.term::Loaded term 'vicious' (condemnation): 100%25 verdict, no evidence."
    )
    assert lines[2] == (
        "::error file=docs/op ed%2C 1%3Adraft.md,line=2,col=4,endLine=3,endColumn=5,"
        "title=attribution.vague-source::Vague source 'experts say':%0D%0Aname them, e.g. Dr. Müller."
    )
    assert lines[5].startswith("::notice file=notes.txt,line=1,col=1,endLine=1,endColumn=33,")
    # one physical line per annotation: CR/LF never leak out of the data
    assert len(lines) == 7
    assert github.render(EMPTY) == ""


@pytest.mark.parametrize(
    "raw,data,prop",
    [
        ("a%b", "a%25b", "a%25b"),
        ("a\rb\nc", "a%0Db%0Ac", "a%0Db%0Ac"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(raw, data, prop):
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


@pytest.mark.parametrize("seed", range(8))
def test_json_layout_is_json_dumps_indent_2(seed) -> None:
    # the findings are written by hand for speed: byte for byte what json.dumps writes
    import json as jsonlib
    import random

    from rhetlint.formatters import json as json_format
    from rhetlint.model import Finding, Report, Severity

    rng = random.Random(seed)
    pieces = ["a", '"', "\\", "\n", "\t", "\x01", "\x1f", "é", "東", "\u2028", " ", "\x7f", "\r", "\x00", "\U0001f600"]
    findings = []
    for i in range(rng.randrange(1, 30)):
        t = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        findings.append(Finding(f"p{t}.md", i, i + 3, 1, i + 1, 2, 9, rng.choice(["loaded.term", "x.y"]),
                                rng.choice(list(Severity)), f"m {t}", t))
    report = Report(tuple(findings), ("a.md",), (), "9.9", ())
    text = json_format.render(report)
    expected = jsonlib.dumps({"version": 1, "tool": {"name": "rhetlint", "version": "9.9"},
                              "findings": [f.as_dict() for f in findings],
                              "summary": jsonlib.loads(text)["summary"]}, indent=2, ensure_ascii=False) + "\n"
    assert text == expected
