"""Files spread over processes (-j): the same report as one process, whatever the workers do."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

import rhetlint.cli as cli_module
from rhetlint.cli import _forked, cli

LOADED = "The mayor's vicious campaign went on. Experts say it will never end.\n"
CLEAN = "The council met on Tuesday.\n"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked on Linux")


@pytest.fixture
def run(sandbox):
    def invoke(*args):
        return CliRunner().invoke(cli, ["--isolated", *args], catch_exceptions=False)

    return invoke


def _folder(root, n=12):
    d = root / "d"
    d.mkdir()
    for i in range(n):
        # sizes differ, so the shares by size interleave the files
        (d / f"a{i:02d}.md").write_text((LOADED if i % 3 else CLEAN) * (1 + (i * 7) % 5))
    return d


def test_a_worker_that_dies_has_its_files_linted_here(run, sandbox, monkeypatch):
    _folder(sandbox)
    one = run("-j", "1", "-f", "json", "d")
    parent = os.getpid()
    real = cli_module._read_and_lint

    def dies_in_workers(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)  # no answer at all
        return real(*args, **kwargs)

    monkeypatch.setattr(cli_module, "_read_and_lint", dies_in_workers)
    three = run("-j", "3", "-f", "json", "d")
    assert three.exit_code == one.exit_code == 1
    assert three.stdout == one.stdout
    assert len(json.loads(one.stdout)["findings"]) == 3 * sum(1 + (i * 7) % 5 for i in range(12) if i % 3)


def test_shares_cover_every_file_once_in_order(sandbox):
    from rhetlint.api import checked_linter
    from rhetlint.config import Config

    d = _folder(sandbox, 9)
    work = [(str(p), False) for p in sorted(d.iterdir())]
    linter = checked_linter(Config())
    results = _forked(linter, work, [os.path.getsize(p) for p, _ in work], 4, None, keep_docs=False)
    assert [r[1] for r in results] == [p for p, _ in work]
    assert all(r[2] is None for r in results)  # documents stay in the workers unless asked for
    kept = _forked(linter, work, [os.path.getsize(p) for p, _ in work], 2, None, keep_docs=True)
    assert [r[2].path for r in kept] == [p for p, _ in work]
    assert [r[3] for r in kept] == [r[3] for r in results]


def test_baseline_with_workers_matches_one_process(run, sandbox):
    _folder(sandbox)
    assert run("-j", "1", "--write-baseline", "one.json", "d").exit_code == 0
    assert run("-j", "2", "--write-baseline", "two.json", "d").exit_code == 0
    assert (sandbox / "one.json").read_text() == (sandbox / "two.json").read_text()
    (sandbox / "d" / "a01.md").write_text(LOADED + "A chilling speech.\n")
    result = run("-j", "2", "--baseline", "two.json", "-f", "json", "d")
    found = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["rule"], f["text"]) for f in found] == [
        (os.path.join("d", "a01.md"), "loaded.term", "chilling")]


def test_statistics_count_words_with_workers(run, sandbox):
    _folder(sandbox)
    one = run("-j", "1", "--statistics", "-f", "json", "d")
    two = run("-j", "2", "--statistics", "-f", "json", "d")
    assert one.stderr == two.stderr
    assert f"{os.path.join('d', 'a01.md')}: 36 words, 9 findings" in two.stderr


def test_words_are_counted_only_when_needed(sandbox):
    from rhetlint.api import checked_linter
    from rhetlint.config import Config

    linter = checked_linter(Config())
    _, _, stats, densities = linter.lint_file("a.md", LOADED)
    assert stats.words == 12 and densities["all"] == pytest.approx(250.0)
    linter.count_words = False
    _, found, stats, densities = linter.lint_file("a.md", LOADED)
    assert stats.words is None and densities == {} and len(found) == 3
    linter.config.max_density = {"all": 5.0}  # the policy counts for itself
    _, found, _, _ = linter.lint_file("a.md", LOADED)
    assert [f.rule for f in found].count("rhetlint.density") == 1


@pytest.mark.parametrize("records", [4096, 3])
def test_the_queue_hands_each_item_to_one_process(monkeypatch, records):
    from rhetlint import forking

    monkeypatch.setattr(forking.Queue, "RECORDS", records)  # 3: items go out in groups of 34
    queue = forking.Queue(100)
    children = [forking.Child(lambda: list(queue)) for _ in range(2)]
    try:
        mine = list(queue)
        theirs = [child.answer() for child in children]
    finally:
        forking.close_all(children)
        queue.close()
    taken = sorted(mine + theirs[0] + theirs[1])
    assert taken == list(range(100))  # each once, whoever took it
    assert mine == sorted(mine)  # a process takes its items in the queue's order
    assert list(queue) == []  # closed: nothing more


def test_a_worker_that_dies_after_taking_files_has_them_linted_here(run, sandbox, monkeypatch):
    _folder(sandbox)
    one = run("-j", "1", "-f", "json", "d")
    parent = os.getpid()
    real = cli_module._read_and_lint
    seen = []

    def dies_on_its_third_file(*args, **kwargs):
        if os.getpid() != parent:
            seen.append(args[1])
            if len(seen) == 3:
                os._exit(3)  # two files linted, the third taken: no answer for any of them
        return real(*args, **kwargs)

    monkeypatch.setattr(cli_module, "_read_and_lint", dies_on_its_third_file)
    two = run("-j", "2", "-f", "json", "d")
    assert two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout
