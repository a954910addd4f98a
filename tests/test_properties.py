"""Property-based tests (hypothesis) for the parsers, the engine and suppressions.

For random Markdown and plain text, odd cases included (BOMs, CR and CRLF line
ends, NUL, unclosed fences and comments, deep nesting, directives): parsing
keeps the length contract, linting never raises, every finding's offsets are in
bounds and agree with its line and column, and output is the same across runs
and across ``--jobs`` values.

The default run is small and fast. The fuzzing run scales every property up:

    RHETLINT_FUZZ_EXAMPLES=20000 python -m pytest -q tests/test_properties.py
"""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rhetlint
from rhetlint.parsers import markdown, text as plain
from rhetlint.suppress import Region, Suppressions, parse_directives

EXAMPLES = int(os.environ.get("RHETLINT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="RHETLINT_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of Markdown, prose that rules flag, and the odd cases of issue 9.
FRAGMENTS = [
    "\n", "\n", "\n\n", "\r\n", "\r", " ", "  ", "    ", "\t", "\ufeff", "\x00", "\u2028", "\u00a0",
    "# ", "## ", "> ", "- ", "* ", "1. ", "2) ", "- [ ] ", "- [x] ", "```", "```python\n", "~~~", "    code",
    "<!--", "-->", "<!-- note -->", "<!-- rhetlint-disable -->", "<!-- rhetlint-enable -->",
    "<!-- rhetlint-disable loaded -->", "<!-- rhetlint-disable-next analogy -->",
    "<!-- rhetlint-disable-file attribution -- quoting -->", "<!-- rhetlint-disable lodaed -->",
    "<!-- rhetlint-enable loaded.term -->", "<!-- rhetlint-disable-next -->",
    "[", "]", "](", ")", "![", "[^1]", "[1]", "(Smith 2021)", "*", "**", "_", "~~", "`", "``", "\\", "|", "| a | b |",
    "|---|---|", "---", "+++", "***", "<b>", "</b>", "<div>", "</div>", "&amp;", "&#x27;", "<http://x.org>",
    "http://example.org/a(b)", "www.example.com", "ann@example.org", "\"", "'", "“", "”", "‘", "’", "«", "»",
    "The mayor's vicious campaign.", "Officials believe the plan", "Experts say", "studies show",
    "it is widely believed", "will never accept", "is doomed to fail", "a new Munich",
    "the largest invasion since World War II", "said Maria Lopez", "Mr. Smith", "U.S.", "vicious", "dictator",
    "chilling", ". ", ", ", "; ", " — ", "Ünïcödé ", "東京 ", "🙂", "e\u0301",
]

fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6))
documents = st.lists(fragment, max_size=60).map("".join)
# deep nesting: repeated container markers before a flagged sentence
nested = st.tuples(st.sampled_from(["> ", "- ", "  - ", "1. ", "[", "*", "> - "]),
                   st.integers(0, 130)).map(lambda t: t[0] * t[1] + "The vicious plan.\n")
inputs = st.one_of(documents, nested)
names = st.sampled_from(["doc.md", "doc.txt"])


def expected_position(source: str, offset: int) -> tuple[int, int]:
    """Line and column computed independently: CRLF, LF and lone CR end lines."""
    before = source[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    if breaks and breaks[-1].group() == "\r" and breaks[-1].end() == offset and source[offset : offset + 1] == "\n":
        breaks.pop()  # an offset between CR and LF stays on the CR's line
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - line_start + 1


@pytest.mark.parametrize("parser", [markdown, plain], ids=["markdown", "text"])
@FUZZ
@given(source=inputs)
def test_parse_keeps_the_length_contract(parser, source):
    doc = parser.parse("x", source)
    assert len(doc.text) == len(source)
    for i, ch in enumerate(source):
        if ch in "\r\n":
            assert doc.text[i] == ch
        else:
            assert doc.text[i] in (ch, " ")
    for span in (*doc.blocks, *doc.links, *doc.directives):
        assert 0 <= span.start <= span.end <= len(source)
    assert [b.start for b in doc.blocks] == sorted(b.start for b in doc.blocks)


@FUZZ
@given(source=inputs, name=names)
def test_lint_never_raises_and_findings_agree_with_the_source(source, name):
    findings = rhetlint.lint_text(source, filename=name)
    for f in findings:
        assert 0 <= f.start < f.end <= len(source)
        assert f.text == source[f.start : f.end]
        assert (f.line, f.column) == expected_position(source, f.start)
        assert (f.end_line, f.end_column) == expected_position(source, f.end)
    assert findings == sorted(findings, key=rhetlint.Finding.sort_key)
    assert rhetlint.lint_text(source, filename=name) == findings  # deterministic


@settings(max_examples=max(5, EXAMPLES // 50), deadline=None,
          derandomize="RHETLINT_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(files=st.lists(st.tuples(documents, names), min_size=8, max_size=12))
def test_output_is_identical_across_jobs(files, tmp_path_factory):
    from click.testing import CliRunner

    from rhetlint.cli import cli

    folder = tmp_path_factory.mktemp("jobs")
    for i, (source, name) in enumerate(files):
        (folder / f"{i:02d}-{name}").write_bytes(source.encode("utf-8", "surrogatepass"))
    runs = [CliRunner().invoke(cli, ["--isolated", "-f", "json", "-j", jobs, str(folder)])
            for jobs in ("1", "2", "1")]
    assert {r.exit_code for r in runs} <= {0, 1, 2}
    assert runs[0].exit_code == runs[1].exit_code == runs[2].exit_code
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert "Traceback" not in runs[1].stderr
    if runs[0].exit_code != 2:  # files with NUL bytes are binary: skipped with a notice
        text_files = [s for s, _ in files if "\x00" not in s]
        assert json.loads(runs[0].stdout)["summary"]["files"] == len(text_files)
        assert runs[0].stderr.count("skipped, binary file") == len(files) - len(text_files)


KNOWN = ["loaded", "loaded.term", "analogy", "attribution", "prediction.absolute"]
directive_bodies = st.one_of(
    st.text(max_size=40).map(lambda s: " rhetlint-" + s),
    st.lists(st.sampled_from(["rhetlint-disable", "rhetlint-enable", "rhetlint-disable-next",
                              "rhetlint-disable-file", " ", ",", "--", "\n", "loaded", "loaded.term",
                              "lodaed", "Loaded", "a.b.c", "reason", "-", "—", *KNOWN]),
             max_size=12).map("".join),
)


@FUZZ
@given(bodies=st.lists(st.tuples(st.integers(0, 500), directive_bodies), max_size=12),
       blocks=st.lists(st.tuples(st.integers(0, 500), st.integers(1, 80)), max_size=8),
       queries=st.lists(st.tuples(st.sampled_from(["loaded.term", "analogy.nazi", "prediction.absolute"]),
                                  st.integers(0, 600)), max_size=30))
def test_directive_parser_never_raises_and_sweep_matches(bodies, blocks, queries):
    from rhetlint.model import Block, Directive

    directives = [Directive(at, at + len(body) + 7, body) for at, body in bodies]
    block_list = sorted({Block("paragraph", s, s + n) for s, n in blocks}, key=lambda b: b.start)
    sup = parse_directives(directives, block_list, 600, KNOWN)
    for region in sup.regions:
        assert 0 <= region.start and region.end <= 600
    for hit in sup.problems:
        assert hit.fields["problem"]
    # the one-sweep `silenced_all` agrees with `silenced`, marks included
    twin = Suppressions([Region(r.directive, r.start, r.end, r.ids) for r in sup.regions])
    qs = [(rule, rule.split(".")[0], pos) for rule, pos in queries]
    assert sup.silenced_all(qs) == [twin.silenced(*q) for q in qs]
    assert [r.used for r in sup.regions] == [r.used for r in twin.regions]
