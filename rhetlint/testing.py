"""Test helpers for rule authors: the ``[[span]]{id}`` marker format.

In a rule's ``examples.flag`` or a fixture document, ``[[flagged text]]`` marks
an expected finding and an optional ``{rule-or-category}`` right after it names
who should flag it. `parse_markers` strips the markers and returns the clean
text with the expected spans; `assert_spans` lints and compares exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from rhetlint.model import Finding

_MARKER = regex.compile(r"\[\[(.+?)\]\](?:\{([\w.\-]+)\})?", regex.DOTALL)


def parse_markers(marked: str) -> tuple[str, list[tuple[int, int, str | None]]]:
    """Strip ``[[...]]{id}`` markers.

    Args:
        marked: text with markers.

    Returns:
        The clean text and a list of ``(start, end, id_or_None)`` in it.
    """
    out: list[str] = []
    spans: list[tuple[int, int, str | None]] = []
    pos = 0
    length = 0
    for m in _MARKER.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        inner = m.group(1)
        spans.append((length, length + len(inner), m.group(2)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


def mark(text: str, findings: Iterable[Finding]) -> str:
    """Return ``text`` with findings marked ``[[...]]{rule}`` (for failure messages)."""
    out = []
    pos = 0
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.start < pos:
            continue
        out.append(text[pos : f.start] + f"[[{text[f.start:f.end]}]]{{{f.rule}}}")
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def assert_spans(marked: str, findings: Iterable[Finding], *, default_id: str | None = None) -> None:
    """Assert that findings equal the marked spans exactly.

    A marker without ``{id}`` takes ``default_id``; a marker id that is a
    category matches any rule of that category.

    Raises:
        AssertionError: naming the missing and unexpected spans.
    """
    text, expected = parse_markers(marked)
    found = list(findings)
    got = set()
    for f in found:
        got.add((f.start, f.end, f.rule))
    want = set()
    for s, e, who in expected:
        who = who or default_id
        if who is not None and "." not in who:
            match = next((f.rule for f in found if (f.start, f.end) == (s, e) and f.category == who), None)
            who = match or who
        want.add((s, e, who))
    if default_id is None:
        got = {(s, e, r) for s, e, r in got}
    if got != want:
        missing = sorted(want - got)
        extra = sorted(got - want)
        raise AssertionError(
            f"spans differ for {marked!r}\n  got:      {mark(text, found)!r}"
            f"\n  missing:  {[(text[s:e], r) for s, e, r in missing]}"
            f"\n  extra:    {[(text[s:e], r) for s, e, r in extra]}"
        )
