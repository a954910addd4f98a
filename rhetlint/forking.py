"""Forked helpers: a child computes one answer and sends it back pickled through a pipe.

Used where work is shared between this process and forked ones (files over
processes, stretches or rules of one long document). A child that fails or
dies sends nothing; its parent then does that work itself, so a helper can
only make a run faster, never change its result.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterable
from typing import Any


class Child:
    """A forked process computing ``work()``; `answer` reads its result."""

    def __init__(self, work: Callable[[], Any]) -> None:
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            os.close(read_fd)
            os.close(write_fd)
            raise
        if pid == 0:  # the child: the work, its answer, then out without cleanup
            code = 0
            try:
                os.close(read_fd)
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as fh:
                    fh.write(data)
            except BaseException:  # noqa: BLE001 - no answer: the parent does the work
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid = pid
        self._fd: int | None = read_fd

    def answer(self) -> Any:
        """Wait for the child's answer; None when it died or sent something unreadable."""
        if self._fd is None:
            return None
        with os.fdopen(self._fd, "rb") as reader:
            self._fd = None
            data = reader.read()
        try:
            return pickle.loads(data) if data else None
        except Exception:  # noqa: BLE001 - a broken answer counts as none
            return None

    def close(self) -> None:
        """Stop the child if it still runs (a parent interrupted early) and reap it."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        try:
            os.kill(self.pid, signal.SIGKILL)  # a finished child is gone already
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def close_all(children: Iterable[Child]) -> None:
    """`Child.close` each child."""
    for child in children:
        child.close()
