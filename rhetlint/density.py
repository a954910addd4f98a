"""Density policy: findings per 1,000 words, and the ``rhetlint.density`` rule.

The config key ``max-density`` (``{all: 12, loaded: 5}``; a bare number means
``all``) sets limits in findings per 1,000 words of a file, overall (``all``)
and per category. A file over a limit gets one ``rhetlint.density`` finding
(severity error by default) per limit it exceeds, at the start of the file,
whose message carries the measured density. Directive findings
(``rhetlint.*``) never count. The rule is configured like any other
(``rules: {rhetlint.density: warning}``, ``per-file``, ``--ignore``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from rhetlint.hookspecs import hookimpl
from rhetlint.suppress import no_hits
from rhetlint.model import Document, FileStats, Finding, Rule, Severity

DENSITY = "rhetlint.density"
ALL = "all"


def per_thousand(count: int, words: int) -> float:
    """Return ``count`` per 1,000 words (0 for an empty file)."""
    return 1000.0 * count / words if words else 0.0


def measure(findings: Iterable[Finding], words: int) -> dict[str, float]:
    """Return the densities of a file: ``all`` and one per category found.

    Directive findings (category ``rhetlint``) are not counted.
    """
    counted = [f for f in findings if f.category != "rhetlint"]
    by_cat = Counter(f.category for f in counted)
    out = {ALL: per_thousand(len(counted), words)}
    out.update({cat: per_thousand(n, words) for cat, n in sorted(by_cat.items())})
    return out


def message(scope: str, density: float, limit: float) -> str:
    """Return the message of a density finding."""
    what = "overall" if scope == ALL else scope
    return (f"{what} density {density:.1f} per 1,000 words is over the limit of {limit:g} "
            f"(max-density.{scope}): revise the article or raise the limit")


def density_findings(linter: object, doc: Document, findings: list[Finding], stats: FileStats) -> list[Finding]:
    """Return the ``rhetlint.density`` findings of one linted file (maybe none).

    Args:
        linter: the `rhetlint.engine.Linter` (its config holds ``max_density``;
            its plan for the path says whether the rule is on and at what severity).
        doc: the parsed document.
        findings: the file's findings.
        stats: the file's statistics (word count).
    """
    limits: Mapping[str, float] = linter.config.max_density  # type: ignore[attr-defined]
    if not limits:
        return []
    active = {a.rule.id: a for a in linter.plan(doc.path)}  # type: ignore[attr-defined]
    act = active.get(DENSITY)
    if act is None:
        return []
    if stats.words is None:  # the linter was told not to count (see Linter.count_words)
        from rhetlint.engine import count_words

        words = count_words(doc.text)
    else:
        words = stats.words
    measured = measure(findings, words)
    out = []
    for scope in sorted(limits, key=lambda s: (s != ALL, s)):
        limit = limits[scope]
        density = measured.get(scope, 0.0)
        if round(density, 1) > limit:
            out.append(Finding(doc.path, 0, 0, 1, 1, 1, 1, DENSITY, act.severity,
                               message(scope, density, limit), ""))
    return out


def scope_of(finding: Finding) -> str:
    """Return the ``max-density`` key a density finding is about (``all`` or a category)."""
    tail = finding.message.rsplit("(max-density.", 1)
    return tail[1].split(")", 1)[0] if len(tail) == 2 else ALL


@hookimpl
def rhetlint_rules() -> list[Rule]:
    """Register ``rhetlint.density`` so it can be configured like any other rule."""
    return [
        Rule(
            id=DENSITY,
            kind="python",
            check=no_hits,
            message="{scope} density {density} per 1,000 words is over the limit of {limit} (max-density)",
            severity=Severity.ERROR,
            description="A file whose findings per 1,000 words exceed a max-density limit of the "
            "config, overall (all) or for one category. One finding per limit exceeded, at the "
            "start of the file, with the measured density. Only checked when max-density is set.",
            origin="rhetlint.density",
        ),
    ]
