"""The time budget of a rule: kept by SIGALRM in the main thread, by per-call timeouts elsewhere."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from rhetlint.api import checked_linter
from rhetlint.config import load_config
from rhetlint.errors import RuleError
from rhetlint.kinds import common

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs interval timers")


@pytest.fixture
def bomb(tmp_path, monkeypatch):
    """A linter with a catastrophic house rule and a 0.3 s budget, and a text that sets it off."""
    house = tmp_path / "house" / "style"
    house.mkdir(parents=True)
    (house / "bomb.yml").write_text(
        "kind: pattern\nmessage: bomb\npatterns: ['(a|aa)+$']\n"
        "examples:\n  flag: ['[[aaa]]']\n  pass: ['b']\n", encoding="utf-8")
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n", encoding="utf-8")
    monkeypatch.setattr(common, "MATCH_TIMEOUT_BASE", 0.3)
    monkeypatch.setattr(common, "MATCH_TIMEOUT_PER_MB", 0.0)
    linter = checked_linter(load_config(tmp_path / ".rhetlint.yml"))
    return linter, "The plan went on. " + "a" * 60 + "b\n"


def _stopped(linter, text) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(RuleError) as err:
        linter.lint_document(linter.parse("a.md", text))
    return str(err.value), time.monotonic() - start


def test_the_alarm_stops_a_runaway_match_and_is_put_away(bomb) -> None:
    linter, text = bomb
    message, took = _stopped(linter, text)
    assert "rule style.bomb took longer than 0 s" in message and took < 5
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL  # the default handler is back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # and no timer is left running
    found, _ = linter.lint_document(linter.parse("b.md", "The vicious plan went on.\n"))
    assert [f.rule for f in found] == ["loaded.term"]  # a later document is linted normally


def test_someone_elses_alarm_handler_is_left_alone(bomb) -> None:
    linter, text = bomb
    seen = []
    previous = signal.signal(signal.SIGALRM, lambda *a: seen.append(a))
    try:
        message, took = _stopped(linter, text)  # per-call timeouts instead
        assert "rule style.bomb took longer than" in message and took < 5
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL and seen == []
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_each_call_gets_the_time_left(bomb) -> None:
    linter, text = bomb
    out = []
    worker = threading.Thread(target=lambda: out.append(_stopped(linter, text)))
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    message, took = out[0]
    assert "rule style.bomb took longer than" in message and took < 5
