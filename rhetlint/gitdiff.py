"""Changed-text mode: keep only findings in blocks changed since a git revision.

``rhetlint --diff REF PATHS`` lints the files as they are on disk and compares
each with its version at REF. A block (paragraph, heading, list item, quote,
table cell) is changed when its text, whitespace collapsed, does not occur
among the blocks of the old version; a file missing at REF (new, untracked or
renamed) is all changed. Files git reports unchanged since REF are not linted
at all, so CI on a large archive checks only what a pull request touched.
Findings outside any block (a directive in an HTML comment) are kept when
their line is new; file-level findings (density) are kept for changed files.
"""

from __future__ import annotations

import bisect
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from rhetlint.errors import InputError, RhetlintError
from rhetlint.model import Document, Finding


class GitError(RhetlintError):
    """git is missing, the path is outside a repository, or REF is unknown."""


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("--diff: git is not installed (or not on PATH)") from None


def normalise(text: str) -> str:
    """Collapse whitespace: reflowing a paragraph does not change it."""
    return " ".join(text.split())


@dataclass
class Repo:
    """One git work tree and what changed in it since REF."""

    top: str
    ref: str
    commit: str
    changed: frozenset[str]
    at_ref: frozenset[str] = frozenset()

    def old_source(self, rel: str) -> str | None:
        """Return the file's text at REF, or None when it did not exist there."""
        proc = _git(["show", f"{self.commit}:{rel}"], self.top)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode("utf-8", errors="replace")


@dataclass
class DiffScope:
    """Finds each file's repository and filters its findings to changed blocks."""

    ref: str
    repos: dict[str, Repo] = field(default_factory=dict)
    tops: dict[str, str] = field(default_factory=dict)

    def _repo_for(self, path: str) -> Repo:
        folder = os.path.dirname(os.path.abspath(path)) or "."
        if folder not in self.tops:
            if not os.path.isdir(folder):
                raise InputError(f"{path}: no such file or folder")
            proc = _git(["rev-parse", "--show-toplevel"], folder)
            if proc.returncode != 0:
                raise GitError(f"--diff: {path} is not in a git repository "
                               "(changed-text mode compares files with a git revision)")
            self.tops[folder] = os.path.realpath(proc.stdout.decode().strip())
        top = self.tops[folder]
        if top not in self.repos:
            rev = _git(["rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}"], top)
            if rev.returncode != 0:
                raise GitError(f"--diff: unknown git revision '{self.ref}' in {top}")
            commit = rev.stdout.decode().strip()
            names = _git(["diff", "--name-only", "--no-renames", "-z", commit, "--"], top)
            if names.returncode != 0:
                raise GitError(f"--diff: git diff {self.ref} failed in {top}: "
                               f"{names.stderr.decode(errors='replace').strip()}")
            tree = _git(["ls-tree", "-r", "--name-only", "-z", commit], top)
            changed = {n for n in names.stdout.decode("utf-8", "surrogateescape").split("\0") if n}
            known = {n for n in tree.stdout.decode("utf-8", "surrogateescape").split("\0") if n}
            self.repos[top] = Repo(top, self.ref, commit, frozenset(changed), frozenset(known))
        return self.repos[top]

    def locate(self, path: str) -> tuple[Repo, str]:
        """Return the repository of ``path`` and the path relative to its top (POSIX)."""
        repo = self._repo_for(path)
        rel = Path(os.path.relpath(os.path.realpath(path), repo.top)).as_posix()
        return repo, rel

    def is_changed(self, path: str) -> bool:
        """Tell whether the file changed since REF or did not exist there."""
        if path == "-" or not os.path.isfile(path):
            return True  # stdin, or a missing file: let reading it report the problem
        repo, rel = self.locate(path)
        return rel in repo.changed or rel not in repo.at_ref  # changed, or new (untracked, ignored)

    def old_document(self, linter: object, path: str, doc: Document) -> Document | None:
        """Return the file's version at REF, parsed like the new one (None: new file)."""
        if path == "-":
            return None
        repo, rel = self.locate(path)
        old = repo.old_source(rel)
        if old is None:
            return None
        return linter.parse(doc.path, old)  # type: ignore[attr-defined]

    def filter(self, linter: object, path: str, doc: Document, findings: list[Finding]) -> list[Finding]:
        """Return the findings of ``doc`` (read from ``path``) that lie in changed text."""
        old = self.old_document(linter, path, doc)
        if old is None:
            return list(findings)
        return changed_findings(old, doc, findings)


def changed_blocks(old: Document, new: Document) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of the blocks of ``new`` whose text is not in ``old``."""
    before = {normalise(old.source[b.start : b.end]) for b in old.blocks}
    return [(b.start, b.end) for b in new.blocks if normalise(new.source[b.start : b.end]) not in before]


def changed_findings(old: Document, new: Document, findings: list[Finding]) -> list[Finding]:
    """Return the findings of ``new`` that lie in a block (or line) changed since ``old``."""
    changed = set(changed_blocks(old, new))
    starts = [b.start for b in new.blocks]
    old_lines = {normalise(line) for line in old.source.splitlines()}
    new_lines = new.source.splitlines()
    any_change = bool(changed) or normalise(old.source) != normalise(new.source)
    kept = []
    for f in findings:
        if f.rule == "rhetlint.density":
            if any_change:
                kept.append(f)
            continue
        i = bisect.bisect_right(starts, f.start) - 1
        if i >= 0 and f.start < new.blocks[i].end:
            block = new.blocks[i]
            if (block.start, block.end) in changed:
                kept.append(f)
            continue
        lines = new_lines[f.line - 1 : f.end_line]
        if any(normalise(line) not in old_lines for line in lines):
            kept.append(f)
    return kept
