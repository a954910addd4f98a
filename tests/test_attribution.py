"""The attribution kind on multi-sentence documents: exact spans, sourcing, bylines, quotes."""

from __future__ import annotations

import pytest

import rhetlint
from rhetlint.testing import assert_spans, parse_markers


def _attr(text: str, filename: str = "x.md"):
    return [f for f in rhetlint.lint_text(text, filename=filename) if f.category == "attribution"]


def check(marked: str, filename: str = "x.md") -> None:
    text, _ = parse_markers(marked)
    assert_spans(marked, _attr(text, filename))


CASES = [
    # next-sentence sourcing: a named speaker right after the vague attribution
    "Officials believe the talks will fail. Maria Lopez, a UN spokeswoman, said the convoy was hit twice.",
    # ... but a named institution starting a new statement does not source it
    "[[Economists warn]]{attribution.vague-source} that the tariff will raise prices. "
    "The Treasury said on Monday it would review the plan.",
    # a next sentence with an attribution of its own keeps its source for itself
    "[[Officials in Brussels privately admit]]{attribution.vague-source} that the fund is too small. "
    "Defence analysts have long warned that procurement wastes billions; a 2023 study by the "
    "Munich Security Conference put the figure at 10 billion euros.",
    # ... while a next sentence that only gives the source still sources it
    "Officials believe the fund is too small. A 2023 study by the Munich Security Conference put the gap at "
    "10 billion euros.",
    # a capitalised word ending a sentence is not a modifier of the next sentence's source
    "The plan was drafted in Moscow.\n[[Officials say]]{attribution.vague-source} it is final.",
    "[[U.S. officials believe]]{attribution.vague-source} the talks will fail.",
    "[[Western intelligence agencies believe]]{attribution.vague-source} the missile was Russian.",
    # an unsourced evidence claim in the next sentence is no source ("Evidence" is not a name)
    "[[Education insiders suspect]]{attribution.vague-source} the exam boards were leaned on. "
    "[[Evidence suggests]]{attribution.evidence-claim} that phones hurt grades.",
    # an anonymous speaker "in an interview last week" is no source
    "[[Experts say]]{attribution.vague-source} the scheme will fail, "
    "[[an adviser said]]{attribution.anonymous-source} in an interview last week.",
    # a vague-source noun opening the next sentence is not a name
    "[[Studies show]]{attribution.evidence-claim} the dam is unsafe. "
    "[[Teachers say]]{attribution.vague-source} the school is failing.",
    # two sentences later is too far
    "[[Critics argue]]{attribution.vague-source} the stadium deal is a giveaway. The council meets today. "
    "\"It is a free stadium,\" said councillor Ana Ruiz.",
    # a Markdown link sources it, in the same sentence or the next
    "[[Studies show]]{attribution.evidence-claim} that tariffs hurt consumers.\n\n"
    "Studies show that tariffs hurt buyers. [A 2019 paper](https://example.org/p) found the costs fell on them.",
    # footnotes and numbered citations
    "Polls suggest the race is tight.[^1] Research has found little benefit [3].\n\n[^1]: Pew, June 2024.",
    # agentless is sourced only in its own sentence
    "[[It is widely believed]]{attribution.agentless} that the minister will resign. "
    "A poll by Ipsos [2] put her approval at 19 percent.",
    # byline and author bio are never attributions
    "By Jane Doe\n\nJane Doe is a senior fellow at the Center for Trade Policy, where analysts argue about tariffs.",
    # first-person opinion and hedges
    "I believe the plan will work. It seems the plan has stalled. We think the club is right.",
    # a quotation attributed to a named speaker: its content is not checked, the tag is
    "\"Experts say the vaccine is unsafe,\" Senator Roe told the hearing.",
    # named heads of state and institutions on the record
    "Putin has declared that the territories belong to Russia. The WHO said the outbreak was contained. "
    "The Biden administration declared the emergency over.",
    # anonymous singular sources, inverted order, anonymity clause
    "The budget will be delayed, [[said a Treasury official]]{attribution.anonymous-source}. "
    "[[One senior diplomat, who asked not to be named, said]]{attribution.anonymous-source} the deal was close.",
    # groups with modifiers, places, tenses, negation
    "[[Western intelligence officials have repeatedly warned]]{attribution.vague-source} of an offensive. "
    "[[Many in Ukraine have been dismayed]]{attribution.indefinite-source} by the talks. "
    "[[Pentagon officials did not rule out]]{attribution.vague-source} more deployments.",
    # passive with a vague agent, sweeping quantifiers
    "The merger [[is seen by many]]{attribution.indefinite-source} as a bailout. "
    "[[Some would say]]{attribution.indefinite-source} the reform came too late.",
    # evidence claims sourced by a named document in the next sentence
    "Studies show the drug works. The trial, published in The Lancet in May, enrolled 4,000 patients.",
    # a dated document and a named study
    "Officials believe it may amount to incitement, according to the monitoring mission's March 2025 report.",
    # the name inside the reported claim does not source it
    "[[Legal experts maintained]]{attribution.vague-source} that by resigning early, Mayor Ruiz had observed the law.",
    # members named: "such as", "including"
    "Critics of the plan, including Senator Jane Roe, argue it costs too much. "
    "Economists such as Mark Dunn expect the merger to fail.",
]


@pytest.mark.parametrize("marked", CASES)
def test_spans(marked):
    check(marked)


def test_exact_offsets_and_message():
    text = "The reform will cut waiting lists, health officials say. Nobody named them."
    found = _attr(text)
    assert [(f.start, f.end, f.rule) for f in found] == [(35, 55, "attribution.vague-source")]
    assert "which officials?" in found[0].message


def test_plain_text_one_sentence_per_document():
    assert [f.rule for f in _attr("It is said that the king hid in an oak.", "s.txt")] == ["attribution.agentless"]
    assert _attr("The avenue is known as the Mile.", "s.txt") == []


def test_link_two_sentences_later_does_not_source():
    text = "Data show that rents doubled. Tenants are angry. See [the data](https://example.org/d)."
    assert [(text[f.start:f.end], f.rule) for f in _attr(text)] == [("Data show", "attribution.evidence-claim")]
