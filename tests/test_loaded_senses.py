"""Neutral senses of loaded words (medical, weather, genre, sport, finance) are not flagged."""

from __future__ import annotations

import pytest

import rhetlint


def loaded(text: str) -> list[str]:
    return [text[f.start:f.end] for f in rhetlint.lint_text(text, filename="x.md") if f.category == "loaded"]


@pytest.mark.parametrize("text", [
    "She was diagnosed with cancer in 2019.",
    "The cancer had spread to her liver.",
    "The storm surge devastated parts of the coast.",
    "The drought devastated the wheat crop.",
    "The winters in Minnesota are brutal.",
    "Nadal crushed a forehand past his rival.",
    "The county side crushed the visitors 4-0 on Saturday.",
    "The regime of sanctions has holes.",
    "Banks sold toxic assets to pension funds.",
    "She read a horror novel on the train.",
    "The film likens the tsar to Ivan the Terrible.",
])
def test_neutral_sense_is_not_flagged(text):
    assert loaded(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Corruption is a cancer on the republic.", ["cancer"]),
    ("The regime's brutal crackdown devastated the opposition.", ["regime", "brutal", "devastated"]),
    ("The toxic debate poisoned the party.", ["toxic"]),
    # a neutral-sense exception matches only its own word, never a loaded word beside it
    ("A flood of migrants devastated the town.", ["flood of migrants", "devastated"]),
    ("Cold comfort for victims of the brutal regime.", ["brutal", "regime"]),
    ("The county side crushed the hapless visitors 4-0.", ["hapless"]),
    ("It is a kind of cancer on the republic.", ["cancer"]),
    ("Partisanship has reached toxic levels.", ["toxic"]),
])
def test_charged_sense_is_still_flagged(text, expected):
    assert loaded(text) == expected


def test_a_reverse_exception_still_excepts(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text('exceptions: ["(?r)brutal|fell"]\n', encoding="utf-8")
    text = "The brutal regime fell."
    found = [text[f.start:f.end] for f in rhetlint.lint_text(text, filename="x.md", config=cfg) if f.category == "loaded"]
    assert found == ["regime"]
