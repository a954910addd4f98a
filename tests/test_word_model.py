"""The ``word-model`` kind and the opt-in rule ``loaded.unlisted`` (issue 4)."""

from __future__ import annotations

import importlib.util
import math
import random
from pathlib import Path
from typing import ClassVar

import pytest

import rhetlint
from plugins import loaded as wm
from rhetlint import recache
from rhetlint.config import RuleSetting, level_of
from rhetlint.errors import RuleError
from rhetlint.model import Rule, Severity

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = (ROOT / "rules" / "lexicons",)

TINY = (
    "# a crafted table\n"
    "term\tself\tbefore\tafter\n"
    "<bias>\t-3.0\t\t\n"
    "<unknown>\t0.0\t0.0\t0.0\n"
    "<excl>\t2.0\t\t\n"
    "<quote>\t1.0\t\t\n"
    "<cap>\t-0.5\t\t\n"
    "grim\t4.0\t\t\n"
    "very\t\t1.5\t\n"
    "day\t\t\t-1.0\n"
    "~gloom\t3.5\t\t\n"
)


def house(tmp_path: Path, table: str = TINY, extra: str = "") -> Path:
    """A house rule ``house.charged`` over a crafted weight table; returns the config path."""
    (tmp_path / "house" / "house").mkdir(parents=True)
    (tmp_path / "house" / "lexicons").mkdir()
    (tmp_path / "house" / "lexicons" / "tiny.tsv").write_text(table, encoding="utf-8")
    (tmp_path / "house" / "house" / "charged.yml").write_text(
        "kind: word-model\nseverity: warning\nmessage: \"'{match}' scores {score}.\"\n"
        f"weights: tiny\n{extra}"
        "examples:\n  flag: ['A [[grim]] outlook.']\n  pass: ['A calm outlook.']\n",
        encoding="utf-8",
    )
    cfg = tmp_path / "c.yml"
    cfg.write_text("rule-dirs: [house]\n", encoding="utf-8")
    return cfg


def found(text: str, cfg: Path) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.message) for f in rhetlint.lint_text(text, filename="x.txt", config=cfg)
            if f.rule == "house.charged"]


def p(z: float) -> str:
    return f"{1 / (1 + math.exp(-z)):.2f}"


def test_scores_are_the_logistic_of_the_summed_weights(tmp_path):
    cfg = house(tmp_path)
    # grim: -3 + 4 = 1.0; "very" before it adds 1.5; "day" after it takes 1.0 off
    assert found("It was grim news.", cfg) == [("grim", f"'grim' scores {p(1.0)}.")]
    assert found("A very grim outlook.", cfg) == [("grim", f"'grim' scores {p(2.5)}.")]
    assert found("A grim day.", cfg) == []  # 0.0 -> 0.50, below the default 0.6
    # the stem row: glooming -> gloom (3.5), an exclamation later on the line (+2)
    assert found("They kept glooming over it!", cfg) == [("glooming", f"'glooming' scores {p(2.5)}.")]
    # unknown words only reach the floor with cues: -3 + 2 (excl) + 1 (quote) = 0 -> 0.50 < 0.6
    assert found('He said "dull things" again!', cfg) == []


def test_cues_and_sentence_edges(tmp_path):
    cfg = house(tmp_path)
    # capitalised inside a sentence: -0.5
    assert found("It was Grim news.", cfg) == [("Grim", f"'Grim' scores {p(0.5)}.")]
    # at a sentence start there is no cap cue, and "very" in the sentence before does not count
    assert found("It was very. Grim news.", cfg) == [("Grim", f"'Grim' scores {p(1.0)}.")]
    # a possessive 's is neither part of the word nor of the finding
    assert found("The grim's end.", cfg) == [("grim", f"'grim' scores {p(1.0)}.")]


def test_min_precision_option(tmp_path):
    cfg = house(tmp_path, extra="min-precision: 0.8\n")
    assert found("It was grim news.", cfg) == []
    assert found("A very grim outlook.", cfg) == [("grim", f"'grim' scores {p(2.5)}.")]


@pytest.mark.parametrize(("table", "problem"), [
    ("term\tweight\n", "tiny.tsv:1: expected the header 'term<TAB>self<TAB>before<TAB>after'"),
    ("term\tself\tbefore\tafter\n<bias>\tx\t\t\n", "tiny.tsv:2: not a number: 'x'"),
    ("term\tself\tbefore\tafter\n<bias>\t1\n", "tiny.tsv:2: expected 4 tab-separated columns, got 2"),
    ("term\tself\tbefore\tafter\n<bias>\t1\t\t\n", "the weight table has no <unknown> row"),
])
def test_a_broken_table_is_a_rule_error_naming_the_file(tmp_path, monkeypatch, table, problem):
    monkeypatch.setenv("RHETLINT_NO_CACHE", "1")
    cfg = house(tmp_path, table=table)
    with pytest.raises(RuleError, match="tiny.tsv") as info:
        rhetlint.lint_text("Some grim words.", filename="x.txt", config=cfg)
    assert problem in str(info.value)


def test_a_missing_table_fails_when_rules_load(tmp_path):
    cfg = house(tmp_path)
    (tmp_path / "house" / "lexicons" / "tiny.tsv").unlink()
    with pytest.raises(RuleError, match=r"charged.yml: weights: no weight table 'tiny'"):
        rhetlint.lint_text("Some grim words.", filename="x.txt", config=cfg)


def test_the_table_is_read_from_the_disk_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    text = TINY.replace("grim\t4.0", "grimmer\t4.0")  # a table no other test has loaded
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "t.tsv").write_text(text, encoding="utf-8")
    first = wm.load_table("t", (folder,), "r.yml")
    wm._store.save()
    monkeypatch.setattr(wm, "_models", {})
    monkeypatch.setattr(wm, "_store", None)

    def refuse(*_args):
        raise AssertionError("parsed again instead of read from the cache")

    monkeypatch.setattr(wm, "parse_table", refuse)
    again = wm.load_table("t", (folder,), "r.yml")
    assert (again.self, again.before, again.after) == (first.self, first.before, first.after)
    assert again.self["grimmer"] == 4.0


def test_the_candidate_bound_never_drops_a_word():
    """`candidates` (a C-level upper bound) then `logit` == scoring every word."""
    model = wm.load_table("loaded_model", LEXICONS, "x")
    vocab = [w for w in model.self if w[0].isalpha()][:3000] + ["the", "a", "very", "so", "and"]
    rnd = random.Random(4)
    for threshold in (0.3, 0.5, 0.6, 0.8):
        floor = math.log(threshold / (1 - threshold))
        for _ in range(40):
            parts = []
            for _ in range(rnd.randint(1, 60)):
                w = rnd.choice(vocab)
                parts.append(w.capitalize() if rnd.random() < 0.1 else w)
                parts.append(rnd.choice([" ", " ", " ", ", ", ". ", "! ", ' "', "\n", "'s "]))
            toks = wm.Words("".join(parts))
            fast = [i for i in model.candidates(toks, floor) if model.logit(toks, i) >= floor]
            slow = [i for i, w in enumerate(toks.words) if wm.is_candidate(w) and model.logit(toks, i) >= floor]
            assert fast == slow


def test_words_keep_offsets_and_split_possessives():
    text = "Putin\u2019s anti-war x-ray; don't stop. It's İstanbul's"
    toks = wm.Words(text)
    # İ lower-cases to two characters: it is kept as it is, so offsets stay exact
    assert toks.words == ["putin", "anti-war", "x-ray", "don't", "stop", "it", "\u0130stanbul"]
    assert [text[slice(*toks.span(i))] for i in range(len(toks))] == [
        "Putin", "anti-war", "x-ray", "don't", "stop", "It", "İstanbul"]
    assert toks.keys(4)[1:3] == ("don't", "</s>")
    assert toks.keys(5)[1] == "<s>"


def _trainer():
    spec = importlib.util.spec_from_file_location("train_loaded_model", ROOT / "tools" / "train_loaded_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _FakeLexicons:
    FLAGS: ClassVar[dict[str, tuple[str, ...]]] = {"cruel": ("liuneg", "mpqasneg"), "sham": ("liuneg",), "very": ("boost",), "quiet": ("liupos",)}

    def flags(self, word):
        return self.FLAGS.get(word, ())


def test_the_written_table_scores_as_the_trained_weights(tmp_path):
    """The trainer folds lexicon features into word rows; run time must get the same sums."""
    t = _trainer()
    docs = [{"text": text} for text in (
        "The cruel plan was a sham. Very cruel!",
        "A quiet town voted on the plan, a very quiet vote.",
        "The plan's critics called it cruel and a sham.",
        "Nobody expected the \"cruel\" sham vote in the town!",
    )]
    vocab = t.Vocab(docs, 2)
    lex = _FakeLexicons()
    rnd = random.Random(7)
    rows = [t.features(toks.keys(i), vocab, lex)
            for d in docs for toks in [wm.Words(d["text"])] for i, w in enumerate(toks.words) if wm.is_candidate(w)]
    names = sorted({f for r in rows for f in r} | {"w:<unknown>", "p:<unknown>", "n:<unknown>", "p:<s>", "n:</s>"})
    weights = {k: round(rnd.uniform(-2, 2), 3) for k in names}
    out = tmp_path / "m.tsv"
    t.write_table(out, t.table(weights, vocab, lex), ["test"])
    model = wm.WordModel(wm.parse_table(out.read_text(encoding="utf-8"), "m.tsv"), "m.tsv")
    checked = 0
    for text in [d["text"] for d in docs] + ["An unseen cruel word, quietly very odd!"]:
        toks = wm.Words(text)
        for i, w in enumerate(toks.words):
            if wm.is_candidate(w):
                want = sum(weights.get(f, 0.0) for f in t.features(toks.keys(i), vocab, lex))
                assert model.logit(toks, i) == pytest.approx(want, abs=0.02)
                checked += 1
    assert checked > 20


# -- opt-in ----------------------------------------------------------------------------


def _rule(enabled: bool) -> Rule:
    return Rule(id="loaded.unlisted", kind="word-model", check=lambda ctx: [], message="m",
                severity=Severity.INFO, enabled=enabled)


@pytest.mark.parametrize(("layers", "select", "ignore", "level"), [
    ([], (), (), "off"),
    ([{"loaded": RuleSetting(level="error")}], (), (), "off"),  # a category never switches it on
    ([{"loaded.unlisted": RuleSetting(level="warning")}], (), (), "warning"),
    ([{"loaded.unlisted": RuleSetting(options={"min-precision": 0.4})}], (), (), "info"),
    ([{"loaded.unlisted": RuleSetting(level="warning")}, {"loaded.unlisted": RuleSetting(level="off")}], (), (),
     "off"),
    ([], ("loaded",), (), "off"),
    ([], ("loaded.unlisted",), (), "info"),
    ([{"loaded.unlisted": RuleSetting(level="error")}], ("loaded.unlisted",), (), "error"),
    ([{"loaded.unlisted": RuleSetting(level="info")}], (), ("loaded",), "off"),
    # a category may change or end an opt-in rule that is on, never start it
    ([{"loaded.unlisted": RuleSetting(level="warning")}, {"loaded": RuleSetting(level="off")}], (), (), "off"),
    ([{"loaded.unlisted": RuleSetting(level="info")}, {"loaded": RuleSetting(level="error")}], (), (), "error"),
    ([{"loaded.unlisted": RuleSetting(options={"min-precision": 0.4})}, {"loaded": RuleSetting(level="off")}],
     (), (), "off"),
    # --select by id does not overrule an explicit off
    ([{"loaded.unlisted": RuleSetting(level="off")}], ("loaded.unlisted",), (), "off"),
    # quotes or exceptions alone are not options of the kind: still off
    ([{"loaded.unlisted": RuleSetting(quotes="check")}], (), (), "off"),
    ([{"loaded.unlisted": RuleSetting(extend_exceptions=("x",))}], (), (), "off"),
])
def test_opt_in_levels(layers, select, ignore, level):
    assert level_of(_rule(False), layers, select, ignore) == level


def test_enabled_rules_keep_their_levels():
    assert level_of(_rule(True), [], (), ()) == "info"
    assert level_of(_rule(True), [{"loaded": RuleSetting(level="error")}], (), ()) == "error"


def test_unlisted_is_off_by_default_and_on_when_named(tmp_path):
    text = "The mayor furiously denied the report!"
    assert [f.rule for f in rhetlint.lint_text(text, filename="x.md")] == []
    cfg = tmp_path / "c.yml"
    cfg.write_text("rules:\n  loaded.unlisted: {min-precision: 0.5}\n", encoding="utf-8")
    got = [(f.rule, text[f.start:f.end], str(f.severity)) for f in rhetlint.lint_text(text, filename="x.md", config=cfg)]
    assert got == [("loaded.unlisted", "furiously", "info")]


def test_a_listed_term_wins_over_the_model_on_the_same_word(tmp_path):
    text = "The mayor furiously denied the report! It was a vicious plan!"
    cfg = tmp_path / "c.yml"
    cfg.write_text("rules:\n  loaded: warning\n  loaded.unlisted: warning\n", encoding="utf-8")
    got = [(f.rule, text[f.start:f.end]) for f in rhetlint.lint_text(text, filename="x.md", config=cfg)]
    assert got == [("loaded.unlisted", "furiously"), ("loaded.term", "vicious")]



def test_a_combining_accent_stays_in_its_word_and_is_looked_up_composed():
    text = "A nai\u0308ve cafe\u0301 plan."
    toks = wm.Words(text)
    assert toks.words == ["a", "na\u00efve", "caf\u00e9", "plan"]
    assert [text[slice(*toks.span(i))] for i in range(len(toks))] == ["A", "nai\u0308ve", "cafe\u0301", "plan"]


def test_lone_cr_ends_a_line_for_context_and_cues(tmp_path):
    cfg = house(tmp_path)
    # the exclamation on the next line (CR line ends) does not reach "grim"; CRLF and LF agree
    for brk in ("\r", "\r\n", "\n"):
        text = f"It was grim news.{brk}{brk}What a day!"
        assert found(text, cfg) == [("grim", f"'grim' scores {p(1.0)}.")]
    toks = wm.Words("very\rgrim")
    assert toks.keys(1)[1] == "<s>"


def test_a_hard_wrapped_paragraph_reads_as_one_line(tmp_path):
    cfg = house(tmp_path)
    # "very" before the soft break still counts, and the exclamation later in the paragraph too
    one = "It was very grim news, they said!\n"
    wrapped = "It was very\ngrim news, they said!\n"
    assert found(one, cfg) == found(wrapped, cfg) == [("grim", f"'grim' scores {p(4.5)}.")]
    # a blank line (a new paragraph) still breaks the context
    assert found("It was very\n\ngrim news.\n", cfg) == [("grim", f"'grim' scores {p(1.0)}.")]


def test_flatten_keeps_the_length_and_the_breaks_between_blocks():
    from rhetlint.parsers.markdown import parse

    src = "# Title\n\nOne line\nwrapped.\n\n- item\n  more\n\n```\ncode\n```\n"
    doc = parse("a.md", src)
    flat = wm.flatten(doc.text, doc.blocks)
    assert len(flat) == len(doc.text)
    assert "One line wrapped." in flat and "item   more" in flat
    assert flat.count("\n") == doc.text.count("\n") - 2
    assert wm.flatten("no blocks\nhere", []) == "no blocks\nhere"


def test_non_finite_weights_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETLINT_NO_CACHE", "1")
    cfg = house(tmp_path, table=TINY.replace("grim\t4.0", "grim\tnan"))
    with pytest.raises(RuleError, match=r"tiny.tsv:\d+: not a number: 'nan'"):
        rhetlint.lint_text("Some grim words.", filename="x.txt", config=cfg)


def test_a_damaged_cache_entry_is_parsed_afresh(tmp_path, monkeypatch):
    import marshal

    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    folder = tmp_path / "lex"
    folder.mkdir()
    text = TINY.replace("grim\t4.0", "grimmest\t4.0")
    (folder / "t.tsv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(wm, "_models", {})
    monkeypatch.setattr(wm, "_store", None)
    wm.load_table("t", (folder,), "r.yml")  # creates the store (and its entry)
    key = recache.digest(b"word-model 1\0", text.encode())
    for bad in (marshal.dumps(({}, {}, {})), marshal.dumps(({"<bias>": "x"}, {}, {})), b"\x00garbage"):
        monkeypatch.setattr(wm, "_models", {})
        wm._store.put(key, bad)
        model = wm.load_table("t", (folder,), "r.yml")
        assert model.self["grimmest"] == 4.0 and model.bias == -3.0


def test_a_normal_run_writes_the_table_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(wm, "_models", {})
    monkeypatch.setattr(wm, "_store", None)
    cfg = house(tmp_path, table=TINY.replace("grim\t4.0", "grimly\t4.0"))
    rhetlint.lint_text("Some grimly words.", filename="x.txt", config=cfg)
    assert list((tmp_path / "cache").glob("word-model-*.cache"))


def test_a_value_the_kind_refuses_names_the_config(tmp_path):
    from click.testing import CliRunner

    from rhetlint.cli import cli

    (tmp_path / "c.yml").write_text("rules:\n  loaded.unlisted: {min-precision: 1.5}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Calm words.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "c.yml"), str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"rhetlint: {tmp_path / 'c.yml'}:2: rules.loaded.unlisted.min-precision: "
                                     "expected a number between 0 and 1 (exclusive)")
