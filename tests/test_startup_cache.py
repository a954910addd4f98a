"""Start-up caches: compiled patterns and parsed YAML (invalidation, damage, bounds, bypass)."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from rhetlint import recache, safeyaml
from rhetlint.errors import RuleError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache folder and fresh in-process state for both caches."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RHETLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("RHETLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(recache, "_patterns", recache.Store("patterns-test", 1000, 16 * 1024 * 1024))
    monkeypatch.setattr(recache, "_compiled", {})
    monkeypatch.setattr(safeyaml, "_cache", recache.Store("yaml-test", 2000, 8 * 1024 * 1024))
    monkeypatch.setattr(safeyaml, "_memo", {})
    return folder


def _new_process_state(monkeypatch):
    """Forget what this process compiled or parsed, as a new run would."""
    monkeypatch.setattr(recache, "_patterns", recache.Store("patterns-test", 1000, 16 * 1024 * 1024))
    monkeypatch.setattr(recache, "_compiled", {})
    monkeypatch.setattr(safeyaml, "_cache", recache.Store("yaml-test", 2000, 8 * 1024 * 1024))
    monkeypatch.setattr(safeyaml, "_memo", {})


def _entries(store: recache.Store) -> dict:
    path = store.path()
    return marshal.loads(path.read_bytes()) if path and path.exists() else {}


def test_pattern_round_trip_through_the_file(cache, monkeypatch):
    p = recache.compile(r"\b\L<names>\b", regex.IGNORECASE, names={"alpha", "beta"})
    recache.save()
    assert len(_entries(recache._patterns)) == 1
    _new_process_state(monkeypatch)
    calls = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda *a, **k: calls.append(a) or real(*a, **k))
    q = recache.compile(r"\b\L<names>\b", regex.IGNORECASE, names={"alpha", "beta"})
    assert calls == []  # served from the file
    assert q.pattern == p.pattern and q.findall("Alpha and BETA and gamma") == ["Alpha", "BETA"]


def test_changed_named_list_is_a_new_entry(cache, monkeypatch):
    recache.compile(r"\L<names>", 0, names={"alpha"})
    recache.save()
    _new_process_state(monkeypatch)
    q = recache.compile(r"\L<names>", 0, names={"alpha", "gamma"})
    assert q.findall("gamma") == ["gamma"]


def test_broken_file_and_damaged_entries_are_ignored(cache, monkeypatch):
    recache.compile("abc")
    recache.save()
    path = recache._patterns.path()
    path.write_bytes(b"\x00garbage")
    _new_process_state(monkeypatch)
    assert recache.compile("abc").pattern == "abc"
    recache.save()  # rewritten whole
    key = next(iter(_entries(recache._patterns)))
    # an entry whose pickle is another pattern (or junk) is compiled afresh and replaced
    path.write_bytes(marshal.dumps({key: (1, b"not a pickle")}))
    _new_process_state(monkeypatch)
    assert recache.compile("abc").search("xabcx")
    recache.save()
    import pickle

    written, _version, compiled = pickle.loads(_entries(recache._patterns)[key][1])
    assert written == compiled.pattern == "abc"


def test_no_cache_writes_nothing(cache, monkeypatch):
    monkeypatch.setenv("RHETLINT_NO_CACHE", "1")
    recache.compile("abc")
    safeyaml.parse_yaml("a: 1\n", "t.yml", RuleError)
    recache.save()
    assert not cache.exists()


def test_file_keeps_what_runs_use_then_recent_others_within_bounds(cache):
    first = recache.Store("bounded", max_entries=3, max_bytes=1000)
    for i in range(5):
        first.put(f"k{i}", b"x" * 10)
    first.save()
    assert len(_entries(first)) == 5  # what a run used is always kept
    # a later run that uses k0 only and adds k9: those two, then the most recent others up to 3 entries
    later = recache.Store("bounded", max_entries=3, max_bytes=1000)
    later.get("k0")
    later.put("k9", b"y")
    later.save()
    kept = _entries(later)
    assert {"k0", "k9"} <= set(kept) and len(kept) == 3
    # others over the byte budget are dropped
    small = recache.Store("bounded", max_entries=100, max_bytes=15)
    small.put("k9", b"y")
    small.save()
    kept = _entries(small)
    assert "k9" in kept and sum(len(v[1]) for v in kept.values()) <= 15
    # entries nobody used for longer than the age limit are dropped
    path = small.path()
    path.write_bytes(marshal.dumps({"old": (0, b"o"), "k9": kept["k9"]}))
    aged = recache.Store("bounded", max_entries=100, max_bytes=1000)
    aged.put("new", b"n")
    aged.save()
    assert set(_entries(aged)) == {"k9", "new"}


def test_save_merges_another_processes_entries(cache):
    one = recache.Store("shared", 100, 10_000)
    two = recache.Store("shared", 100, 10_000)
    one.get("nothing")
    two.get("nothing")  # both have read the (missing) file
    one.put("a", b"1")
    one.save()
    two.put("b", b"2")
    two.save()
    assert set(_entries(two)) == {"a", "b"}


def test_yaml_cache_serves_equal_results_and_sees_changes(cache, monkeypatch):
    text = "kind: existence\nmessage: m\nlist: [a, b]\nn: 1.5\nflag: true\nnothing:\n"
    fresh = safeyaml.parse_yaml(text, "r.yml", RuleError)
    safeyaml.save_cache()
    _new_process_state(monkeypatch)
    monkeypatch.setitem(sys.modules, "yaml", None)  # a cached parse must not need PyYAML
    assert safeyaml.parse_yaml(text, "r.yml", RuleError) == fresh
    with pytest.raises(ImportError):
        safeyaml.parse_yaml(text + "more: 2\n", "r.yml", RuleError)  # changed text: parsed again


def test_yaml_errors_are_never_cached(cache, monkeypatch):
    for _ in range(2):
        with pytest.raises(RuleError, match=r"bad\.yml:2: invalid YAML"):
            safeyaml.parse_yaml("a: [1, 2\n", "bad.yml", RuleError)
        safeyaml.save_cache()
        _new_process_state(monkeypatch)
    assert _entries(safeyaml._cache) == {}


def test_yaml_values_marshal_cannot_hold_are_parsed_each_time(cache):
    data, _ = safeyaml.parse_yaml("when: 2024-01-02\n", "d.yml", RuleError)
    assert str(data["when"]) == "2024-01-02"
    safeyaml.save_cache()
    assert _entries(safeyaml._cache) == {}


def test_changed_rule_file_is_seen_by_the_next_run(tmp_path):
    """End to end: a house rule edited between two runs changes the findings."""
    rules = tmp_path / "house" / "style"
    rules.mkdir(parents=True)
    rule = rules / "word.yml"
    body = ("kind: existence\nmessage: 'avoid {{match}}'\ntokens: [{word}]\n"
            "examples:\n  flag: ['a [[{word}]] here']\n  pass: ['nothing']\n")
    rule.write_text(body.format(word="frobnicate"))
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n")
    (tmp_path / "a.txt").write_text("We frobnicate and we defenestrate.\n")
    env = {**os.environ, "RHETLINT_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    env.pop("RHETLINT_NO_CACHE", None)

    def run() -> str:
        proc = subprocess.run([sys.executable, "-m", "rhetlint", "-f", "text", "a.txt"], cwd=tmp_path,
                              env=env, capture_output=True, text=True, check=False)
        return proc.stdout

    assert "style.word" in run() and "frobnicate" in run()
    rule.write_text(body.format(word="defenestrate"))
    out = run()
    assert "style.word avoid defenestrate" in out and "avoid frobnicate" not in out


def _modules_after(args: list[str], cwd: Path, env: dict[str, str]) -> set[str]:
    code = ("import sys, atexit\n"
            "atexit.register(lambda: open('mods.txt', 'w').write('\\n'.join(sorted(sys.modules))))\n"
            "sys.argv = ['rhetlint', *sys.argv[1:]]\n"
            "from rhetlint.cli import main\nmain()\n")
    subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, check=False)
    return set((cwd / "mods.txt").read_text().split())


def test_light_paths_import_only_what_they_use(tmp_path):
    env = {**os.environ, "RHETLINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("RHETLINT_NO_CACHE", None)
    env.pop("RHETLINT_LOAD_PLUGINS", None)
    mods = _modules_after(["--version"], tmp_path, env)
    assert not mods & {"pluggy", "rhetlint.model", "regex", "yaml", "importlib.metadata"}
    (tmp_path / "a.txt").write_text("Calm text.\n")
    _modules_after(["--isolated", "-q", "a.txt"], tmp_path, env)  # warms the caches
    mods = _modules_after(["--isolated", "-q", "-f", "json", "-o", "out.json", "a.txt"], tmp_path, env)
    assert not mods & {"yaml", "importlib.metadata", "hashlib", "xml.etree.ElementTree", "rhetlint.gitdiff",
                       "rhetlint.baseline"}


def test_lazy_pattern_decodes_on_first_use_and_matches_like_the_real_one(cache, monkeypatch):
    source = r"\b(?P<who>\L<w>)\s+said"
    first = recache.lazy(source, regex.IGNORECASE, w={"experts", "critics"})
    assert isinstance(first, regex.Pattern)  # not cached yet: compiled (and checked) at once
    recache.save()
    _new_process_state(monkeypatch)
    again = recache.lazy(source, regex.IGNORECASE, w={"experts", "critics"})
    assert isinstance(again, recache.LazyPattern) and again._real is None
    text = "Critics said no; experts  said yes."
    assert [m.span("who") for m in again.finditer(text)] == [(0, 7), (17, 24)]
    assert again.groupindex == {"who": 1} and again._real is not None
    assert isinstance(again, recache.PatternLike)


def test_lazy_reports_a_bad_pattern_at_once(cache):
    with pytest.raises(regex.error):
        recache.lazy(r"(unclosed")


def test_patterns_sharing_a_lexicon_share_one_entry_set():
    from rhetlint.model import Lexicon
    from rhetlint.ruledata import entry_set, named_lists

    lex = Lexicon("who", "who.txt", ("experts", "critics"))
    other = Lexicon("who", "who.txt", ("experts", "critics"))
    assert entry_set(lex) is entry_set(lex) is named_lists({"who": lex}, r"\L<who> say")["who"]
    assert entry_set(other) == entry_set(lex) == {"experts", "critics"} and entry_set(other) is not entry_set(lex)
    # the caches key a pattern by its lists' contents, whatever holds them
    assert recache.pattern_key(r"\L<who> say", 0, {"who": entry_set(lex)}) == recache.pattern_key(
        r"\L<who> say", 0, {"who": ["critics", "experts"]})


def test_a_failing_store_never_fails_a_save(monkeypatch):
    # saves also happen while linting (a tail or reach scan compiled at first use), from any thread
    from rhetlint import recache

    def broken(self):
        raise RuntimeError("Set changed size during iteration")

    monkeypatch.setattr(recache.Store, "save", broken)
    recache.save()  # no exception


def test_tsv_lexicons_come_from_the_cache_once_parsed(cache, tmp_path, monkeypatch):
    import csv

    from rhetlint import ruledata

    monkeypatch.setattr(ruledata, "_tsv_store", None)
    monkeypatch.setattr(ruledata, "_lexicon_cache", {})
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "terms.tsv").write_text("term\tgroup\tprecision\n# a comment\nvicious\tharsh\t0.9\n"
                                      "chilling \t fear \t0.7\n", encoding="utf-8")
    first = ruledata.load_lexicon("terms", [folder])
    assert first.entries == ("vicious", "chilling")
    assert first.columns == {"vicious": {"group": "harsh", "precision": "0.9"},
                             "chilling": {"group": "fear", "precision": "0.7"}}
    recache.save()
    # a new process reads the parsed rows without parsing
    monkeypatch.setattr(ruledata, "_tsv_store", None)
    monkeypatch.setattr(ruledata, "_lexicon_cache", {})
    with monkeypatch.context() as patch:
        patch.setattr(csv, "reader", lambda *a, **k: pytest.fail("parsed again"))
        again = ruledata.load_lexicon("terms", [folder])
    assert (again.entries, again.columns) == (first.entries, first.columns)
    # a damaged entry is parsed afresh; a changed file is a new entry; bad rows still fail
    monkeypatch.setattr(ruledata, "_lexicon_cache", {})
    [key] = list(ruledata._tsv_store.stored)
    sound = ruledata._tsv_store.stored[key][1]
    changed = sound.replace(b"vicious", b"vicarious")  # decodes, but the seal no longer holds
    for damage in (b"\xff not marshal", changed):
        monkeypatch.setattr(ruledata, "_lexicon_cache", {})
        ruledata._tsv_store.stored[key] = (0, damage)
        assert ruledata.load_lexicon("terms", [folder]).columns == first.columns
    monkeypatch.setattr(ruledata, "_lexicon_cache", {})
    (folder / "terms.tsv").write_text("term\tgroup\nvicious\n", encoding="utf-8")
    with pytest.raises(RuleError, match="row 2: expected 2 columns, got 1"):
        ruledata.load_lexicon("terms", [folder])
