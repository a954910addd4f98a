"""Every example of every rule is a test: flagged spans must match exactly."""

from __future__ import annotations

import pytest

from rhetlint.api import registry_for
from rhetlint.config import Config, load_config
from rhetlint.engine import Linter

_REGISTRY = registry_for(load_config(None, isolated=True))
CASES = [
    pytest.param(rule, i, ex, id=f"{rule.id}::{'flag' if ex.flag else 'pass'}[{i}]")
    for rule in sorted(_REGISTRY.rules.values(), key=lambda r: r.id)
    for i, ex in enumerate(rule.examples)
]


def _linter_for(rule_id: str) -> Linter:
    # directive rules need something to silence
    extra = ("loaded",) if rule_id.startswith("rhetlint.") else ()
    config = Config(select=(rule_id, *extra))
    return Linter(_REGISTRY, config)


_LINTERS: dict[str, Linter] = {}


@pytest.mark.parametrize(("rule", "index", "example"), CASES)
def test_rule_example(rule, index, example):
    linter = _LINTERS.setdefault(rule.id, _linter_for(rule.id))
    findings, _ = linter.lint_source("example.md", example.text)
    got = sorted((f.start, f.end) for f in findings if f.rule == rule.id)
    want = sorted((s.start, s.end) for s in example.spans)
    shown = [example.text[s:e] for s, e in got]
    assert got == want, f"{rule.id}: {example.text!r} flagged {shown}, expected {[example.text[s:e] for s, e in want]}"


# file-level policies measured over whole files; tested in their own test modules
FILE_LEVEL = {"rhetlint.density"}  # tests/test_density.py


def test_every_rule_has_flag_and_pass_examples():
    for rule in _REGISTRY.rules.values():
        if rule.id in FILE_LEVEL:
            continue
        kinds = {ex.flag for ex in rule.examples}
        assert kinds == {True, False}, f"{rule.id} needs flag and pass examples"
