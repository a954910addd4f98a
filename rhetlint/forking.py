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
from collections.abc import Callable, Iterable, Iterator
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


class Queue:
    """Items ``0 .. count - 1`` handed out in that order to this process and forked ones.

    A pipe made before the fork holds them all as fixed-size records (groups
    of consecutive items when there are many), and its write end is closed
    at once: every process reading it takes the next record, which the
    kernel gives to one reader only, and finds the end when all are taken.
    A process that is done early takes more, so the processes finish
    together whatever their files cost.
    """

    RECORDS = 4096  # at most this many records (16 KiB): a pipe holds them without a reader

    def __init__(self, count: int) -> None:
        self.count = count
        self.group = max(1, -(-count // self.RECORDS))
        data = b"".join(start.to_bytes(4, "little") for start in range(0, count, self.group))
        read_fd, write_fd = os.pipe()
        try:
            os.set_blocking(write_fd, False)
            if os.write(write_fd, data) != len(data):  # a pipe smaller than usual
                raise BlockingIOError
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        self._fd: int | None = read_fd

    def __iter__(self) -> Iterator[int]:
        while self._fd is not None:
            record = os.read(self._fd, 4)
            if len(record) < 4:  # the end: every record is taken
                return
            start = int.from_bytes(record, "little")
            yield from range(start, min(start + self.group, self.count))

    def close(self) -> None:
        """Close this process's end (forked ones close theirs on exit)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def close_all(children: Iterable[Child]) -> None:
    """`Child.close` each child."""
    for child in children:
        child.close()
