"""Suppression directives in HTML comments, in Markdown and plain text."""

from __future__ import annotations

import pytest

import rhetlint
from rhetlint.config import Config
from rhetlint.model import Block, Directive
from rhetlint.suppress import parse_directives

CFG = Config(select=("loaded.term", "loaded.label", "rhetlint"))


def found(source: str, filename: str = "doc.md") -> list[tuple[str, int, int]]:
    return [(f.rule, f.start, f.end) for f in rhetlint.lint_text(source, filename=filename, config=CFG)]


def pos(source: str, word: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = source.index(word, i + 1)
    return i, i + len(word)


def directive(source: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = source.index("<!--", i + 1)
    return i, source.index("-->", i) + 3


BOTH = pytest.mark.parametrize("name", ["doc.md", "doc.txt"])


@BOTH
def test_disable_enable_region(name):
    src = (
        "A vicious start.\n\n<!-- rhetlint-disable loaded.term -->\n\nA vicious middle.\n\n"
        "<!-- rhetlint-enable loaded.term -->\n\nA vicious end.\n"
    )
    assert found(src, name) == [
        ("loaded.term", *pos(src, "vicious", 0)),
        ("loaded.term", *pos(src, "vicious", 2)),
    ]


@BOTH
def test_disable_by_category_and_all(name):
    src = "<!-- rhetlint-disable loaded -->\nA vicious tyrant.\n"
    assert found(src, name) == []
    src = "<!-- rhetlint-disable -->\nA vicious tyrant.\n"
    assert found(src, name) == []


def test_disable_one_rule_keeps_others():
    src = "<!-- rhetlint-disable loaded.term -->\nA vicious attack by the tyrant.\n"
    assert found(src) == [("loaded.label", *pos(src, "tyrant"))]


def test_comma_separated_ids_and_reason():
    src = "<!-- rhetlint-disable loaded.term, loaded.label -- quoting the senator -->\nA vicious tyrant.\n"
    assert found(src) == []


@BOTH
def test_disable_next_covers_only_the_next_block(name):
    src = "<!-- rhetlint-disable-next loaded -->\nA vicious one.\n\nA vicious two.\n"
    assert found(src, name) == [("loaded.term", *pos(src, "vicious", 1))]


def test_disable_next_in_markdown_list_and_heading():
    src = "# A vicious title\n\n<!-- rhetlint-disable-next -->\n- a vicious item\n- a vicious other\n"
    assert found(src) == [
        ("loaded.term", *pos(src, "vicious", 0)),
        ("loaded.term", *pos(src, "vicious", 2)),
    ]


@BOTH
def test_disable_file_anywhere(name):
    src = "A vicious start.\n\nA tyrant.\n\n<!-- rhetlint-disable-file loaded.term -->\n"
    assert found(src, name) == [("loaded.label", *pos(src, "tyrant"))]


@BOTH
def test_disable_without_enable_runs_to_the_end(name):
    src = "A vicious one.\n\n<!-- rhetlint-disable loaded.term -- legacy text -->\n\nA vicious two.\n"
    assert found(src, name) == [("loaded.term", *pos(src, "vicious", 0))]


def test_enable_without_ids_closes_every_region():
    src = (
        "<!-- rhetlint-disable loaded.term -->\n<!-- rhetlint-disable loaded.label -->\n\n"
        "A vicious tyrant.\n\n<!-- rhetlint-enable -->\n\nA vicious tyrant.\n"
    )
    assert found(src) == [
        ("loaded.term", *pos(src, "vicious", 1)),
        ("loaded.label", *pos(src, "tyrant", 1)),
    ]


@BOTH
@pytest.mark.parametrize(
    "body,problem",
    [
        ("rhetlint-disable loded", "unknown rule or category 'loded'"),
        ("rhetlint-disable loaded.trem", "unknown rule or category 'loaded.trem'"),
        ("rhetlint-disable Loaded", "unknown rule or category 'Loaded'"),
        ("rhetlint-disabel loaded", "malformed directive"),
        ("rhetlint-disable-nextloaded", "malformed directive"),
        ("rhetlint-disable loaded --no-space-reason", "malformed directive"),
        ("Rhetlint-disable loaded", "malformed directive"),
        ("rhetlint disable", "malformed directive"),
    ],
)
def test_bad_directive_is_a_finding_never_a_blanket_ignore(name, body, problem):
    src = f"<!-- {body} -->\n\nA vicious tyrant.\n"
    findings = rhetlint.lint_text(src, filename=name, config=CFG)
    assert [(f.rule, f.start, f.end) for f in findings] == [
        ("rhetlint.bad-directive", *directive(src)),
        ("loaded.term", *pos(src, "vicious")),
        ("loaded.label", *pos(src, "tyrant")),
    ]
    bad = findings[0]
    assert bad.severity == "error"
    assert problem in bad.message
    assert (bad.line, bad.column, bad.end_line, bad.end_column) == (1, 1, 1, len(body) + 10)


@BOTH
def test_unused_directive_is_info(name):
    src = "<!-- rhetlint-disable loaded.term -->\n\nA calm sentence.\n"
    findings = rhetlint.lint_text(src, filename=name, config=CFG)
    assert [(f.rule, f.start, f.end, str(f.severity)) for f in findings] == [
        ("rhetlint.unused-directive", *directive(src), "info"),
    ]


def test_used_directive_is_not_reported_as_unused():
    src = "<!-- rhetlint-disable-next loaded.term -->\nA vicious sentence.\n"
    assert found(src) == []


def test_disable_of_other_rule_is_unused():
    src = "<!-- rhetlint-disable-next loaded.label -->\nA vicious sentence.\n"
    assert found(src) == [
        ("rhetlint.unused-directive", *directive(src)),
        ("loaded.term", *pos(src, "vicious")),
    ]


def test_stray_enable_is_reported_unused():
    src = "A calm one.\n\n<!-- rhetlint-enable loaded -->\n\nA vicious one.\n"
    assert found(src) == [
        ("rhetlint.unused-directive", *directive(src)),
        ("loaded.term", *pos(src, "vicious")),
    ]


def test_directives_inside_code_are_ignored():
    src = (
        "```\n<!-- rhetlint-disable-file -->\n```\n\n`<!-- rhetlint-disable -->` and\n\n"
        "    <!-- rhetlint-disable-file -->\n\nA vicious end.\n"
    )
    assert found(src) == [("loaded.term", *pos(src, "vicious"))]


def test_inline_directive_in_a_paragraph():
    src = "A vicious one <!-- rhetlint-disable loaded --> and a vicious two.\n"
    assert found(src) == [("loaded.term", *pos(src, "vicious", 0))]


def test_ordinary_comments_are_not_directives():
    src = "<!-- TODO: tone down -->\n\nA vicious sentence.\n"
    assert found(src) == [("loaded.term", *pos(src, "vicious"))]


def test_disable_next_at_end_of_file_is_bad():
    src = "A calm one.\n\n<!-- rhetlint-disable-next -->\n"
    findings = rhetlint.lint_text(src, filename="doc.md", config=CFG)
    assert [(f.rule, f.start, f.end) for f in findings] == [("rhetlint.bad-directive", *directive(src))]
    assert "no block follows" in findings[0].message


def test_parse_directives_regions_directly():
    d1 = Directive(0, 30, " rhetlint-disable a.b, c ")
    d2 = Directive(50, 70, " rhetlint-enable c ")
    d3 = Directive(80, 100, " rhetlint-disable-next -- why ")
    blocks = [Block("paragraph", 31, 45), Block("paragraph", 101, 120)]
    sup = parse_directives([d3, d1, d2], blocks, 200, {"a.b", "a", "c"})
    assert sup.problems == []
    got = sorted((r.start, r.end, tuple(sorted(r.ids))) for r in sup.regions)
    assert got == [(30, 50, ("c",)), (30, 200, ("a.b",)), (101, 120, ())]
    assert sup.silenced("c.x", "c", 40) is True
    assert sup.silenced("c.x", "c", 60) is False
    assert sup.silenced("a.b", "a", 150) is True
    assert sup.silenced("a.z", "a", 150) is False
    assert sup.silenced("z.z", "z", 110) is True
    assert list(sup.unused()) == []


def test_directive_naming_a_rhetlint_rule_is_a_bad_directive():
    import rhetlint

    findings = rhetlint.lint_text("<!-- rhetlint-disable-file rhetlint.density -->\n\nCalm text.\n")
    assert [f.rule for f in findings] == ["rhetlint.bad-directive"]
    assert "cannot be silenced by a directive" in findings[0].message
