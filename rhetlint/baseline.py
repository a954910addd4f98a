"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint is its file (relative to the baseline file's folder),
its rule, its flagged text (whitespace collapsed, case folded) and a hash of
its sentence (the masked text, whitespace collapsed, case folded). Line
numbers play no part, so edits elsewhere in the file do not turn old findings
into new ones, while an edit to the sentence itself does. Identical
fingerprints (the same sentence twice) are counted.

The baseline is a ratchet: ``--baseline`` drops entries that no longer match a
finding (the finding was fixed) from the file, for files and rules that were
checked in that run, so a finding fixed and later reintroduced is reported as
new. The file is JSON, sorted, and written atomically, so its diffs are
reviewable.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rhetlint.errors import InputError
from rhetlint.model import Document, Finding
from rhetlint.text import Context

VERSION = 1

Key = tuple[str, str, str, str]  # path, rule, text, sentence hash


def normalise(text: str) -> str:
    """Collapse whitespace and fold case."""
    return " ".join(text.split()).casefold()


def sentence_hash(text: str) -> str:
    """Return a short hash of a normalised sentence."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def _context_text(doc: Document, ctx: Context, finding: Finding) -> str:
    """Return the text a finding's fingerprint depends on besides its own text."""
    if finding.rule == "rhetlint.density":
        from rhetlint.density import scope_of

        return f"max-density.{scope_of(finding)}"
    sentence = ctx.sentence_at(finding.start)
    if sentence.end > sentence.start:
        return doc.text[sentence.start : sentence.end]
    # outside prose (a directive in an HTML comment): the source line(s) of the finding
    lo = doc.source.rfind("\n", 0, finding.start) + 1
    hi = doc.source.find("\n", finding.end)
    return doc.source[lo : hi if hi >= 0 else len(doc.source)]


def relative_path(path: str, base: Path) -> str:
    """Return ``path`` relative to ``base`` in POSIX form (as given when that is impossible)."""
    if path == "-":
        return path
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(path)
    return Path(rel).as_posix()


def keys_for(doc: Document, findings: Iterable[Finding], base: Path) -> list[Key]:
    """Return the fingerprint keys of one document's findings, in order."""
    ctx = Context(doc)
    path = relative_path(doc.path, base)
    return [(path, f.rule, normalise(f.text), sentence_hash(_context_text(doc, ctx, f))) for f in findings]


def fingerprint(key: Key) -> str:
    """Return the hex digest identifying a key (shown in the baseline file)."""
    return hashlib.sha256("\0".join(key).encode("utf-8")).hexdigest()[:20]


@dataclass
class Baseline:
    """Known findings by key, with counts."""

    path: Path
    entries: Counter[Key] = field(default_factory=Counter)
    used: Counter[Key] = field(default_factory=Counter)

    @property
    def base(self) -> Path:
        """Return the folder that finding paths are relative to."""
        return self.path.parent

    def filter(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        """Return the findings of one document that are not in the baseline."""
        new = []
        for finding, key in zip(findings, keys_for(doc, findings, self.base)):
            if self.used[key] < self.entries[key]:
                self.used[key] += 1
            else:
                new.append(finding)
        return new

    def stale(self, checked: Mapping[str, frozenset[str]]) -> Counter[Key]:
        """Return the entries that matched nothing, among files and rules that were checked.

        Args:
            checked: relative path → the rule ids that were active for it.
        """
        out: Counter[Key] = Counter()
        for key, n in self.entries.items():
            rules = checked.get(key[0])
            if rules is None or key[1] not in rules:
                continue
            missing = n - self.used[key]
            if missing > 0:
                out[key] = missing
        return out

    def pruned(self, stale: Counter[Key]) -> Counter[Key]:
        """Return the entries without the stale ones."""
        return +(self.entries - stale)


def render(entries: Mapping[Key, int]) -> str:
    """Return the baseline file's text: sorted JSON, one entry per fingerprint."""
    items = [
        {"path": k[0], "rule": k[1], "text": k[2], "sentence": k[3], "count": n, "fingerprint": fingerprint(k)}
        for k, n in sorted(entries.items())
        if n > 0
    ]
    doc = {"version": VERSION, "tool": "rhetlint", "findings": items}
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(path: str | Path, entries: Mapping[Key, int]) -> None:
    """Write a baseline file atomically."""
    from rhetlint.cli import write_atomic

    write_atomic(str(path), render(entries))


def load(path: str | Path) -> Baseline:
    """Read a baseline file.

    Raises:
        InputError: the file is missing, not JSON or not a rhetlint baseline.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read baseline: {err.strerror or err}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}: baseline is not valid JSON: {err.msg}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise InputError(f"{path}: not a rhetlint baseline (version {VERSION}, written by --write-baseline)")
    out = Baseline(p)
    for i, item in enumerate(data["findings"]):
        try:
            key = (item["path"], item["rule"], item["text"], item["sentence"])
            count = item.get("count", 1)
            if not all(isinstance(k, str) for k in key) or not isinstance(count, int) or count < 1:
                raise TypeError
        except (KeyError, TypeError, AttributeError):
            raise InputError(f"{path}: findings[{i}]: expected path, rule, text, sentence and a count") from None
        out.entries[key] += count
    return out
