"""Loaded terms (issue 4): context, inflections, charged phrases, tuning and house lists."""

from __future__ import annotations

from pathlib import Path

import pytest

import rhetlint
from rhetlint.inflect import variants


def spans(text: str, config=None, rule_prefix: str = "loaded") -> list[tuple[str, str]]:
    found = rhetlint.lint_text(text, filename="x.md", config=config)
    return sorted((f.rule, text[f.start:f.end]) for f in found if f.rule.startswith(rule_prefix))


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / ".rhetlint.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_reported_speech_quote_skipped_by_default():
    text = '"It was a vicious attack," said Mayor Ivan Petrov.'
    assert spans(text) == []


def test_reported_speech_flagged_with_quotes_check(tmp_path):
    text = '"It was a vicious attack," said Mayor Ivan Petrov.'
    cfg = write_config(tmp_path, "rules:\n  loaded.term: {quotes: check}\n")
    found = rhetlint.lint_text(text, filename="x.md", config=cfg)
    got = [(f.rule, f.start, f.end) for f in found if f.rule.startswith("loaded")]
    start = text.index("vicious")
    assert got == [("loaded.term", start, start + len("vicious"))]


def test_unquoted_term_is_flagged_with_exact_span():
    text = "The vicious campaign against the mayor continued."
    found = [f for f in rhetlint.lint_text(text, filename="x.md", config=None) if f.category == "loaded"]
    assert [(f.rule, f.start, f.end) for f in found] == [("loaded.term", 4, 11)]
    assert "not the verdict" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "The ruling may have a chilling effect on reporters.",
        "The new tax regime takes effect in April.",
        "He was treated for a heart attack on Sunday.",
        "The striker led the attack in the second half.",
        "The midfielder blasted a shot over the bar.",
        "Her horror film opens on Friday.",
        "Analysts debated regime change in the region.",
        "Patients with lung cancer joined the trial.",
        "The puppet show opened at the festival.",
        "The butcher shop on Main Street closed.",
        "Swine flu cases fell in the spring.",
        "Garbage collection moves to Tuesdays.",
        "Trash collection resumes Monday.",
        "The bill needs an outright majority to pass.",
        "Predatory pricing cases are hard to win.",
        "Gray wolves returned to the valley.",
        "The novel explores good and evil in a small town.",
        "She visited her old haunts in Lisbon.",
        "The jury found he had tried to pervert the course of justice.",
        "Visitors avoid the shark-infested bay.",
        "Her first dystopian novel sold well.",
        "A rogue trader lost the bank two billion.",
    ],
)
def test_neutral_senses_not_flagged(text):
    assert spans(text) == []


def test_charged_phrase_is_one_finding():
    text = "Talks with the Kremlin dictator stalled again."
    found = [f for f in rhetlint.lint_text(text, filename="x.md", config=None) if f.category == "loaded"]
    assert [(f.rule, text[f.start:f.end]) for f in found] == [("loaded.label", "Kremlin dictator")]
    assert str(found[0].severity) == "error"


def test_wishful_thinking_is_one_finding():
    assert spans("Hoping the virus fades on its own is wishful thinking.") == [("loaded.term", "wishful thinking")]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The club responded viciously to the fan protest.", "viciously"),
        ("The province was subjugated within a year.", "subjugated"),
        ("Its subjugation of the press went unchallenged.", "subjugation"),
        ("The board is obsessed with quarterly numbers.", "obsessed"),
        ("Critics called the inquiry a series of witch-hunts.", "witch-hunts"),
    ],
)
def test_inflections_matched(text, word):
    got = spans(text)
    assert [w for _, w in got] == [word]


def test_variants_inflect_after_last_hyphen():
    assert "witch-hunts" in variants("witch-hunt")
    assert "left-wingers" in variants("left-winger")
    assert {"viciously", "viciousness"} <= set(variants("vicious"))
    assert {"subjugated", "subjugation"} <= set(variants("subjugate"))
    assert "viciouses" not in variants("vicious")


def test_severity_tiers():
    text = "The thug gave an utterly vicious speech."
    found = {text[f.start:f.end]: str(f.severity) for f in rhetlint.lint_text(text, filename="x.md", config=None)
             if f.category == "loaded"}
    assert found == {"thug": "error", "utterly": "info", "vicious": "warning"}


def test_min_precision_drops_low_precision_terms(tmp_path):
    # "regime" is measured at 0.04 on PTC train, "smear" at about 0.8
    text = "The regime ran a smear against the editor."
    assert spans(text) == [("loaded.term", "regime"), ("loaded.term", "smear")]
    cfg = write_config(tmp_path, "rules:\n  loaded.term: {min-precision: 0.7}\n")
    assert spans(text, cfg) == [("loaded.term", "smear")]


def test_house_list_extends_terms(tmp_path):
    house = tmp_path / "house" / "loaded"
    house.mkdir(parents=True)
    (house / "house.yml").write_text(
        "kind: existence\n"
        "message: \"House term '{match}': say what happened.\"\n"
        "description: Our newsroom's own list.\n"
        "inflect: true\n"
        "tokens: [gobbledygook, flimflam]\n"
        "examples:\n"
        "  flag: ['A [[flimflam]] again.']\n"
        "  pass: ['A bridge again.']\n",
        encoding="utf-8",
    )
    cfg = write_config(tmp_path, f"rule-dirs: ['{tmp_path / 'house'}']\n")
    text = "The stadium deal was a flimflam, and the report is gobbledygook."
    assert spans(text) == []
    assert spans(text, cfg) == [("loaded.house", "flimflam"), ("loaded.house", "gobbledygook")]
    assert spans("Two more flimflams followed.", cfg) == [("loaded.house", "flimflams")]


def test_exceptions_remove_terms(tmp_path):
    text = "The regime ran a smear against the editor."
    cfg = write_config(tmp_path, "rules:\n  loaded.term: {extend-exceptions: ['\\bregimes?\\b']}\n")
    assert spans(text, cfg) == [("loaded.term", "smear")]


def test_erase_altogether_pattern():
    assert spans("He has grown open about his intent to erase Ukraine altogether.") == [
        ("loaded.phrase", "erase Ukraine altogether")
    ]
    assert spans("The app lets you erase the files completely.") == []


def test_explain_names_the_source():
    from rhetlint.api import registry_for
    from rhetlint.config import load_config

    rules = registry_for(load_config(None, isolated=True)).rules
    for rid in ("loaded.term", "loaded.label", "loaded.intensifier"):
        desc = rules[rid].description
        assert "loaded_terms.tsv" in desc
        assert "PTC" in desc or "Propaganda Techniques Corpus" in desc


def test_config_tokens_extend_a_grouped_rule(tmp_path):
    import rhetlint

    cfg = tmp_path / ".rhetlint.yml"
    cfg.write_text("rules:\n  loaded.term: {tokens: [boondoggle]}\n")
    findings = rhetlint.lint_text("The stadium is a boondoggle.", filename="x.md", config=cfg)
    assert [(f.start, f.end, f.rule) for f in findings] == [(17, 27, "loaded.term")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The merger was a naked power grab.", [("loaded.term", "power grab")]),
        ("Two con artists ran the charity.", [("loaded.label", "con artists")]),
        ("The scammers targeted pensioners.", [("loaded.label", "scammers")]),
        ("The council keeps peddling excuses.", [("loaded.term", "peddling")]),
        ("The results were terribly disappointing.", [("loaded.term", "terribly")]),
        ("It was a heartless decision.", [("loaded.term", "heartless")]),
        ("The rollout was a train wreck.", [("loaded.term", "train wreck")]),
        ("He told a bald-faced lie.", [("loaded.intensifier", "bald-faced")]),
        ("The senator lashed out at reporters.", [("loaded.term", "lashed out")]),
        # third round: stock idioms and dismissals
        ("The subsidy is a cash grab dressed up as reform.", [("loaded.term", "cash grab")]),
        ("The hearing was political theater from start to finish.", [("loaded.term", "political theater")]),
        ("Critics dismissed the plan as pie in the sky.", [("loaded.term", "pie in the sky")]),
        ("The memo was pure hogwash.", [("loaded.term", "hogwash")]),
        ("The league's owners are a pack of grifters.", [("loaded.label", "grifters")]),
        ("Her rivals painted her as a tax-and-spend mayor.", [("loaded.term", "tax-and-spend")]),
        ("The streaming deal sounded the death knell for local cinemas.", [("loaded.term", "death knell")]),
        ("The board was a rubber-stamp for the chief executive.", [("loaded.term", "rubber-stamp")]),
        ("His tirade against the referees went viral.", [("loaded.term", "tirade")]),
        ("The union called the leak a cheap shot.", [("loaded.term", "cheap shot")]),
        # fourth round: op-ed dismissals of weakness and delay, inflected where regular
        ("The new watchdog is toothless.", [("loaded.term", "toothless")]),
        ("The ministry dithered for a year.", [("loaded.term", "dithered")]),
        ("The council keeps kicking the can down the road.", [("loaded.term", "kicking the can down the road")]),
        ("The agency bungled the rollout.", [("loaded.term", "bungled")]),
        ("Both parties weaponized the audit.", [("loaded.term", "weaponized")]),
        ("The museum board is hopelessly out of touch.", [("loaded.term", "out of touch")]),
        ("The cuts are a half-measure.", [("loaded.term", "half-measure")]),
        ("The bridge was a boondoggle.", [("loaded.term", "boondoggle")]),
        ("The figures are staggering.", [("loaded.intensifier", "staggering")]),
        ("The regulator was asleep at the wheel.", [("loaded.term", "asleep at the wheel")]),
        ("The memo is a thinly veiled threat.", [("loaded.term", "thinly veiled")]),
        ("Officials lined their pockets.", [("loaded.term", "lined their pockets")]),
        ("Paid agitators blocked the road.", [("loaded.label", "agitators")]),
        ("The vacuum's agitator brush spins fast.", []),
    ],
)
def test_second_round_terms(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The train was late and the grab bars were broken.",
        "The concert sold out in an hour.",
        "Power lines were down after the storm.",
    ],
)
def test_second_round_neutral_not_flagged(text):
    assert spans(text) == []


def test_assault_metaphor_exact_span():
    text = "The bill is a relentless assault on free speech, critics say."
    found = [f for f in rhetlint.lint_text(text, filename="x.md", config=None) if f.category == "loaded"]
    start = text.index("relentless")
    end = text.index("speech") + len("speech")
    assert [(f.rule, f.start, f.end) for f in found] == [("loaded.assault", start, end)]
    assert spans("The attack on the convoy killed four soldiers.") == []
    assert spans("Attacks on civilians rose in March.") == []

