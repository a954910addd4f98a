"""Prediction rules against fixture documents and the plain-will dev sets.

Fixtures in tests/fixtures/prediction/*.md mark expected findings as
``[[span]]{prediction}``; a fixture without markers must give no prediction
finding. The ``*.tsv`` files are labelled sentences (1 = rhetoric) used to
decide how far the plain-will rule may go; their P/R must stay above floors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rhetlint.config import Config
from rhetlint.testing import assert_spans, parse_markers

FIXTURES = Path(__file__).parent / "fixtures" / "prediction"
CONFIG = Config(select=("prediction",))


def _prediction_findings(lint, text: str, filename: str = "doc.md"):
    return [f for f in lint(text, filename=filename, config=CONFIG) if f.category == "prediction"]


def _paragraphs(path: Path) -> list[str]:
    """Each non-heading paragraph of a fixture is one case (so a failure names its sentence)."""
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    return [p.strip() for p in paragraphs if p.strip() and not p.startswith("#")]


CASES = [
    pytest.param(para, id=f"{path.stem}[{i}]")
    for path in sorted(FIXTURES.glob("*.md"))
    for i, para in enumerate(_paragraphs(path))
]


@pytest.mark.parametrize("marked", CASES)
def test_fixture_paragraph(lint, marked):
    text, _ = parse_markers(marked)
    assert_spans(marked, _prediction_findings(lint, text))


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.name)
def test_fixture_document(lint, path):
    """The whole document at once (sentence and clause geometry across paragraphs)."""
    marked = path.read_text(encoding="utf-8")
    text, _ = parse_markers(marked)
    assert_spans(marked, _prediction_findings(lint, text, path.name))


def test_fixture_counts():
    flags = sum(len(parse_markers(p)[1]) for p in _paragraphs(FIXTURES / "flag.md"))
    passes = len(_paragraphs(FIXTURES / "pass.md"))
    assert flags >= 40 and passes >= 60


def _labelled(name: str) -> list[tuple[int, str]]:
    rows = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line[:1] in ("0", "1"):
            label, sentence = line.split("\t", 1)
            rows.append((int(label), sentence))
    return rows


@pytest.mark.parametrize(
    ("name", "min_p", "min_r"),
    [("plain_will_dev.tsv", 0.9, 0.6), ("plain_will_check.tsv", 0.9, 0.5)],
)
def test_plain_will_sets(lint, name, min_p, min_r):
    """Category-level P/R on the labelled plain-will sets (see the file headers)."""
    tp = fp = fn = 0
    for label, sentence in _labelled(name):
        hit = bool(_prediction_findings(lint, sentence))
        tp += hit and label == 1
        fp += hit and label == 0
        fn += (not hit) and label == 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn)
    assert precision >= min_p and recall >= min_r, f"{name}: P={precision:.2f} R={recall:.2f}"
