"""The ``rhetlint`` command: options → config → engine → formatter → exit code."""

from __future__ import annotations

import operator
import os
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from rhetlint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EPILOG = """\b
Exit status: 0 no finding at or above --fail-on; 1 findings at or above it;
2 usage, config, rule, plugin or I/O error.
\b
Examples:
  rhetlint op-ed.md                      lint one file
  rhetlint articles/ -f json -o out.json lint a folder, JSON report
  rhetlint --select attribution,loaded draft.md
  rhetlint --explain loaded.term         what a rule flags and why
  cat draft.md | rhetlint - --stdin-filename draft.md
  rhetlint --write-baseline .rhetlint-baseline.json articles/
  rhetlint --baseline .rhetlint-baseline.json articles/   only new findings
  rhetlint --diff origin/main -f github articles/          only changed blocks
"""


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _fail(message: str) -> None:
    click.echo(f"rhetlint: {message}", err=True)


def write_atomic(path: str, text: str) -> None:
    """Write a file through a temporary file and a rename: never half-written.

    A symlink is written through (its target is replaced, the link stays). A
    path that is not a regular file (``/dev/null``, a pipe, a terminal,
    ``/dev/stdout`` on a pipe) is written in place: renaming over it would
    replace the device with a file. A path that is this process's standard
    output or error (``-o /dev/stdout`` redirected to a file) is written to
    that stream, at its position.
    """
    import stat

    try:
        found = os.stat(path)  # follows links
    except OSError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        return
    if found is not None:
        for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
            try:
                same = os.path.samestat(found, os.fstat(fd))
            except OSError:
                continue
            if same:
                stream.write(text)
                stream.flush()
                return
    target = Path(os.path.realpath(path))
    # mkstemp's way, without importing tempfile (some 4 ms of a small run): an unused name,
    # created exclusively; a new file gets the mode a plain open() would (0666 less the umask)
    while True:
        tmp = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fd = -1  # the file object owns it now
            if found is not None:
                os.chmod(tmp, stat.S_IMODE(found.st_mode))  # the existing file's mode
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _color(enabled: bool, severity: str, text: str) -> str:
    if not enabled:
        return text
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}[severity]
    return click.style(text, fg=colour, bold=severity == "error")


class _Command(click.Command):
    """click's command, whose parser goes straight to the short options for ``-q``, ``-fjson``, ``-qj2``.

    click first matches every option as a long one, and a failed match builds
    a `click.NoSuchOption` that ranks close matches with ``difflib`` (about
    0.3 ms an option, 1 ms of a pre-commit run with ``-q -f json -o``) before
    the short options are tried. An argument that begins with one dash and
    is no long option goes to them directly, as click would send it; a
    misspelled long option still gets click's error and suggestions.
    """

    def make_parser(self, ctx: click.Context) -> Any:
        parser = super().make_parser(ctx)
        long_opts, prefixes = getattr(parser, "_long_opt", None), getattr(parser, "_opt_prefixes", None)
        match_long = getattr(parser, "_match_long_opt", None)
        if ctx.token_normalize_func is not None or not (isinstance(long_opts, dict) and isinstance(prefixes, set)
                                                          and callable(match_long)):
            return parser  # another click: its own way

        def match_long_first(opt: str, explicit_value: str | None, state: Any) -> None:
            if opt not in long_opts and opt[:2] not in prefixes:  # click's next step: the short options
                raise click.NoSuchOption(opt, ctx=ctx)
            match_long(opt, explicit_value, state)

        parser._match_long_opt = match_long_first
        return parser


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-f", "--format", "fmt", default="text", metavar="NAME",
              help="Output format: text (default), json, sarif, github, junit, gitlab, or a plugin's.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE (atomically).")
@click.option("-c", "--config", "config_path", type=click.Path(), help="Use this config file (no discovery).")
@click.option("--isolated", is_flag=True, help="Ignore config files: built-in defaults only.")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or categories (comma list).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or categories (comma list).")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "never"]),
              help="Lowest severity that makes the exit status 1 (config: fail-on; default warning).")
@click.option("--statistics", is_flag=True, help="Print counts per rule and category, and per-file density.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record today's findings in FILE (sorted JSON) and exit 0.")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not in FILE; fixed findings are dropped from FILE.")
@click.option("--diff", "diff_ref", metavar="REF",
              help="Report only findings in blocks changed since git revision REF.")
@click.option("--list-rules", is_flag=True, help="List every rule with its severity and exit.")
@click.option("--list-plugins", is_flag=True, help="List loaded plugins with versions and exit.")
@click.option("--explain", metavar="RULE", help="Show a rule's description and examples, then exit.")
@click.option("--init", "init", is_flag=True, help="Write a commented starter .rhetlint.yml here and exit.")
@click.option("--stdin-filename", default="stdin.md", show_default=True,
              help="Name (and parser) for text read from '-'.")
@click.option("--encoding", help="Decode files with this encoding instead of UTF-8.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint files in N processes (default: the number of cores). Output order never changes.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is respected too).")
@click.version_option(__version__, "--version", prog_name="rhetlint")
def cli(paths: tuple[str, ...], fmt: str, output: str | None, config_path: str | None, isolated: bool,
        select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, statistics: bool,
        list_rules: bool, list_plugins: bool, explain: str | None, init: bool, stdin_filename: str,
        encoding: str | None, quiet: bool, no_color: bool, write_baseline: str | None = None,
        baseline: str | None = None, diff_ref: str | None = None, jobs: int | None = None) -> None:
    """Lint opinion writing for rhetoric: unsourced attributions, loaded terms,
    historical analogies and absolute predictions.

    PATHS are Markdown (.md) or plain-text (.txt) files, folders (searched for
    files matching the config's include globs), or - for standard input.
    """
    from rhetlint.errors import RhetlintError

    try:
        code = _run(paths, fmt, output, config_path, isolated, select, ignore, fail_on, statistics,
                    list_rules, list_plugins, explain, init, stdin_filename, encoding, quiet, no_color,
                    write_baseline=write_baseline, baseline=baseline, diff_ref=diff_ref,
                    jobs=jobs or os.cpu_count() or 1)
    except RhetlintError as err:
        for problem in err.problems:
            _fail(problem)
        code = EXIT_ERROR
    except KeyboardInterrupt:
        _fail("interrupted")
        code = 130
    except BrokenPipeError:
        # the reader went away (``rhetlint ... | head``): not an error worth a traceback
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        code = EXIT_ERROR
    except click.exceptions.Exit:
        raise
    except click.ClickException:
        raise
    except RecursionError:
        _fail("internal error: RecursionError (input nested too deeply); "
              "please report it at https://github.com/rhetlint/rhetlint/issues")
        code = EXIT_ERROR
    except MemoryError:
        _fail("out of memory (a file too large for this machine?)")
        code = EXIT_ERROR
    except Exception as err:  # noqa: BLE001 - the last resort: one line, never a traceback
        where = ""
        tb = err.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
        _fail(f"internal error: {type(err).__name__}: {err}{where}; "
              "please report it at https://github.com/rhetlint/rhetlint/issues "
              "(set RHETLINT_TRACEBACK=1 for the traceback)")
        if os.environ.get("RHETLINT_TRACEBACK"):
            import traceback

            traceback.print_exc()
        code = EXIT_ERROR
    sys.exit(code)


def _run(paths: tuple[str, ...], fmt: str, output: str | None, config_path: str | None, isolated: bool,
         select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, statistics: bool,
         list_rules: bool, list_plugins: bool, explain: str | None, init: bool, stdin_filename: str,
         encoding: str | None, quiet: bool, no_color: bool, write_baseline: str | None = None,
         baseline: str | None = None, diff_ref: str | None = None, jobs: int = 1) -> int:
    from rhetlint.api import checked_linter
    from rhetlint.config import STARTER, load_config
    from rhetlint.engine import InputError, iter_paths
    from rhetlint.model import Finding, Report

    if init:
        target = Path(".rhetlint.yml")
        if target.exists() or Path(".rhetlint.yaml").exists():
            _fail(f"{target}: a config file already exists; not overwriting it")
            return EXIT_ERROR
        write_atomic(str(target), STARTER)
        click.echo(f"wrote {target}")
        return EXIT_OK

    config = load_config(Path(config_path) if config_path else None, isolated=isolated)
    config.select = _split(select)
    config.ignore = _split(ignore)
    if fail_on:
        config.fail_on = fail_on
    linter = checked_linter(config)
    linter.count_words = statistics or bool(config.max_density)
    if _OWN_PROCESS:
        # the rules, their compiled patterns and lexicons live until the process ends: the
        # cyclic collector need not walk them again (tens of ms on a long run; less
        # copying in forked workers too)
        import gc

        if resume_collector_after_load and gc.get_count()[0] > 100_000:
            # a cold cache or none: loading made garbage only the collector frees; collect it
            # before the freeze would keep it for good (a warm start makes ~25,000 objects)
            gc.collect()
        gc.freeze()
        if resume_collector_after_load:
            gc.enable()  # paused by the script (rhetlint.script) while modules and rules loaded
            # linting makes many short-lived containers and few cycles: collect the young
            # generation every 10,000 allocations rather than every 700
            gc.set_threshold(10_000, *gc.get_threshold()[1:])
    registry = linter.registry
    known = set(registry.rules) | {r.category for r in registry.rules.values()}
    for opt, ids in (("--select", config.select), ("--ignore", config.ignore)):
        for rid in ids:
            if rid not in known:
                from rhetlint.config import _suggest

                _fail(f"{opt}: unknown rule or category '{rid}'{_suggest(rid, known)}")
                return EXIT_ERROR

    if list_plugins:
        for info in registry.plugins:
            where = "built-in" if info.builtin else "entry point"
            click.echo(f"{info.name} {info.version} ({where}): {', '.join(info.hooks) or '-'}")
        return EXIT_OK
    if list_rules:
        for rid in sorted(registry.rules):
            rule = registry.rules[rid]
            shown = f"{rule.severity!s:8}" if rule.enabled else f"{'(off)':8}"
            click.echo(f"{rid:36} {shown} {rule.kind:12} {rule.origin}")
        return EXIT_OK
    if explain:
        return _explain(registry, explain, known)
    if fmt not in registry.formatters:
        _fail(f"--format: unknown format '{fmt}' (known: {', '.join(sorted(registry.formatters))})")
        return EXIT_ERROR
    if not paths:
        _fail("no PATH given (try 'rhetlint --help')")
        return EXIT_ERROR
    if write_baseline and (baseline or diff_ref):
        _fail("--write-baseline records every finding: do not combine it with "
              f"{'--baseline' if baseline else '--diff'}")
        return EXIT_ERROR

    if baseline or write_baseline:
        from rhetlint import baseline as bl
    known_findings = bl.load(baseline) if baseline else None
    if diff_ref:
        from rhetlint.gitdiff import DiffScope

        scope = DiffScope(diff_ref)
    else:
        scope = None
    recorded: Counter[bl.Key] = Counter()
    checked: dict[str, frozenset[str]] = {}
    densities: dict[str, dict[str, float]] = {}
    findings: list[Finding] = []
    files: list[str] = []
    stats = []
    notices: list[str] = []
    input_errors: list[str] = []
    items = [(p, e) for p, e in iter_paths(paths, config, notices, input_errors)
             if p == "-" or scope is None or scope.is_changed(p)]
    stdin_text: str | None = None
    if any(p == "-" for p, _ in items):
        from rhetlint.engine import decode

        try:
            stdin_text = decode(sys.stdin.buffer.read(), stdin_filename, encoding)
        except InputError as err:
            input_errors.append(str(err))
            items = [(p, e) for p, e in items if p != "-"]
    keep_docs = bool(write_baseline or baseline or diff_ref)
    for (path, _explicit), result in zip(items, _lint_all(linter, items, jobs, encoding,
                                                         stdin_filename, stdin_text, keep_docs)):
        if result[0] == "skip":
            notices.append(result[1])
            continue
        if result[0] == "error":
            input_errors.append(result[1])
            continue
        _, name, doc, found, st, densities[name] = result
        if write_baseline:
            recorded.update(bl.keys_for(doc, found, Path(write_baseline).parent))
        if known_findings is not None:
            found = known_findings.filter(doc, found)
            if path != "-":
                rel = bl.relative_path(name, known_findings.base)
                checked[rel] = frozenset(a.rule.id for a in linter.plan(name))
        if scope is not None:
            found = scope.filter(linter, path, doc, found)
        findings.extend(found)
        files.append(name)
        stats.append(st)
    if write_baseline:
        for problem in input_errors:
            _fail(problem)
        if input_errors:
            _fail(f"{write_baseline}: not written (some files could not be read)")
            return EXIT_ERROR
        try:
            bl.write(write_baseline, recorded)
        except OSError as err:
            _fail(f"{write_baseline}: cannot write: {err.strerror or err}")
            return EXIT_ERROR
        for notice in notices:
            click.echo(f"rhetlint: {notice}", err=True)
        n = sum(recorded.values())
        click.echo(f"rhetlint: wrote {n} finding{'s' if n != 1 else ''} from {len(files)} "
                   f"file{'s' if len(files) != 1 else ''} to {write_baseline}", err=True)
        return EXIT_OK
    if known_findings is not None and not input_errors:
        stale = known_findings.stale(checked)
        if stale:
            try:
                bl.write(known_findings.path, known_findings.pruned(stale))
                n = sum(stale.values())
                notices.append(f"{baseline}: removed {n} fixed finding{'s' if n != 1 else ''} from the baseline")
            except OSError as err:
                notices.append(f"{baseline}: cannot update: {err.strerror or err}")
    findings.sort(key=_SORT_KEY)
    report = Report(tuple(findings), tuple(files), tuple(registry.rules[r] for r in sorted(registry.rules)),
                    __version__, tuple(stats))
    try:
        rendered = registry.formatters[fmt].render(report)
    except Exception as err:  # noqa: BLE001 - a formatter bug names the formatter and its plugin
        plugin = registry.provider.get(("formatter", fmt), "?")
        _fail(f"formatter '{fmt}' (plugin '{plugin}') failed: {type(err).__name__}: {err}")
        return EXIT_ERROR
    if not isinstance(rendered, str):
        plugin = registry.provider.get(("formatter", fmt), "?")
        _fail(f"formatter '{fmt}' (plugin '{plugin}') returned {type(rendered).__name__}, not text")
        return EXIT_ERROR
    use_color = (fmt == "text" and output is None and not no_color and "NO_COLOR" not in os.environ
                 and sys.stdout.isatty())
    if use_color:
        rendered = "".join(_color_line(line) for line in rendered.splitlines(keepends=True))
    if output:
        try:
            write_atomic(output, rendered)
        except OSError as err:
            _fail(f"{output}: cannot write: {err.strerror or err}")
            return EXIT_ERROR
    else:
        click.echo(rendered, nl=False)
    for notice in notices:
        click.echo(f"rhetlint: {notice}", err=True)
    if statistics:
        click.echo(_statistics(findings, stats, densities), err=output is None and fmt != "text")
    if not quiet:
        click.echo(_summary(findings, len(files)), err=True)
    for problem in input_errors:
        _fail(problem)
    if input_errors:
        return EXIT_ERROR
    if config.fail_on == "never":
        return EXIT_OK
    from rhetlint.model import Severity

    threshold = Severity(config.fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_OK


# `Finding.sort_key` read in C: the same tuple, some three times faster over thousands of findings
_SORT_KEY = operator.attrgetter("path", "start", "end", "rule")
# Below this much work a process pool costs more than it saves.
_POOL_MIN_FILES = 8
_POOL_MIN_BYTES = 512 * 1024

_worker_linter: Any = None


def _init_worker(config: Any) -> None:
    global _worker_linter
    from rhetlint.api import checked_linter

    _worker_linter = checked_linter(config)


def _work(item: tuple[str, bool, str | None]) -> tuple[Any, ...]:
    return _read_and_lint(_worker_linter, *item)


def _read_and_lint(linter: Any, path: str, explicit: bool, encoding: str | None,
                   source: str | None = None, name: str | None = None) -> tuple[Any, ...]:
    """Read (unless ``source`` is given) and lint one file.

    Returns ``("ok", name, doc, findings, stats, densities)``, ``("skip", notice)``
    for binary or special files found by folder recursion, or ``("error", line)``.
    """
    from rhetlint.engine import BinaryFileError, BrokenLinkError, InputError, NotRegularFileError, read_file

    if source is None:
        try:
            source = read_file(path, encoding)
        except (BinaryFileError, NotRegularFileError, BrokenLinkError) as err:
            if explicit:
                return ("error", str(err))
            return ("skip", f"{path}: skipped, {err.reason}")
        except InputError as err:
            return ("error", str(err))
    name = name or path
    return ("ok", name, *linter.lint_file(name, source))


def _lint_all(linter: Any, items: list[tuple[str, bool]], jobs: int, encoding: str | None,
              stdin_filename: str, stdin_text: str | None, keep_docs: bool = True) -> Any:
    """Yield one result per item, in order; spread over ``jobs`` processes when it pays.

    ``keep_docs`` False lets worker processes leave the parsed document out of
    their answers (only the baseline and ``--diff`` read it).
    """
    files = [p for p, _ in items if p != "-"]
    sizes: dict[str, int] = {}
    for p in files:
        try:
            sizes[p] = os.path.getsize(p)
        except OSError:
            sizes[p] = 0
    size = sum(sizes.values())
    use_pool = jobs > 1 and len(files) >= 2 and (len(files) >= _POOL_MIN_FILES or size >= _POOL_MIN_BYTES)
    if not use_pool:
        linter.jobs = min(jobs, 2)  # a long document is shared between two processes (engine)
        for path, explicit in items:
            if path == "-":
                yield _read_and_lint(linter, path, True, encoding, stdin_text, stdin_filename)
            else:
                yield _read_and_lint(linter, path, explicit, encoding)
        return
    work = [(p, e) for p, e in items if p != "-"]
    if sys.platform.startswith("linux"):
        results = iter(_forked(linter, work, [sizes[p] for p, _ in work], jobs, encoding, keep_docs))
    else:  # pragma: no cover - spawn-based platforms
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                   initargs=(linter.config,))
        results = iter(pool.map(_work, [(p, e, encoding) for p, e in work],
                                chunksize=max(1, len(work) // (jobs * 8))))
    for path, explicit in items:
        if path == "-":
            yield _read_and_lint(linter, path, True, encoding, stdin_text, stdin_filename)
        else:
            got = next(results)
            if isinstance(got, BaseException):
                raise got
            yield got


def _forked(linter: Any, work: list[tuple[str, bool]], sizes: list[int], jobs: int,
            encoding: str | None, keep_docs: bool) -> list[Any]:
    """Lint files in this process and ``jobs - 1`` forked ones; return the results in order.

    The processes take the files one at a time from a shared queue, the
    largest first (`forking.Queue`), so they finish together. Forked
    processes inherit the loaded rules and send their results back through
    a pipe. A process stops at a rule's error, which takes the place of the
    result; files no process answered for (a worker died, or every process
    stopped) are linted here, in order up to the first error, so the error
    raised is the one a one-process run would raise.
    """
    from rhetlint import forking
    from rhetlint.errors import RhetlintError

    jobs = min(jobs, len(work))
    order = sorted(range(len(work)), key=lambda k: (-sizes[k], k))
    linter.prepare([p for p, _ in work], sum(sizes))  # what every process would otherwise build itself
    linter.jobs = 1

    def lint_one(i: int) -> Any:
        path, explicit = work[i]
        try:
            got = _read_and_lint(linter, path, explicit, encoding)
        except RhetlintError as err:
            return err
        return (*got[:2], None, *got[3:]) if got[0] == "ok" and not keep_docs else got

    def lint_share(taken: Iterable[int]) -> list[tuple[int, Any]]:
        from rhetlint.kinds.common import alarm_budget

        out: list[tuple[int, Any]] = []
        with alarm_budget():  # set up once for the process's files, not once per file
            for k in taken:
                got = lint_one(order[k])
                out.append((order[k], got))
                if isinstance(got, RhetlintError):
                    break
        return out

    results: list[Any] = [None] * len(work)
    try:
        queue = forking.Queue(len(order))
    except OSError:  # no pipe to share the files through: they are all linted below
        queue = None
    children: list[forking.Child] = []
    try:
        if queue is not None:
            for _ in range(jobs - 1):
                try:
                    children.append(forking.Child(lambda: lint_share(queue)))
                except OSError:  # no more processes to fork: those running take the files
                    break
            for i, got in lint_share(queue):
                results[i] = got
            for child in children:
                answer = child.answer()
                for i, got in answer if isinstance(answer, list) else ():
                    results[i] = got
    finally:
        forking.close_all(children)
        if queue is not None:
            queue.close()
    for i, got in enumerate(results):
        if got is None:
            got = results[i] = lint_one(i)
        if isinstance(got, RhetlintError):
            break
    return results


def _color_line(line: str) -> str:
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1] in ("error", "warning", "info"):
        return f"{parts[0]} {_color(True, parts[1], parts[1])} {parts[2]}"
    return line


def _summary(findings: list[object], nfiles: int) -> str:
    counts = Counter(str(f.severity) for f in findings)  # type: ignore[attr-defined]
    files = f"{nfiles} file{'s' if nfiles != 1 else ''}"
    if not findings:
        return f"No findings in {files}."
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info") if counts[s]]
    n = len(findings)
    return f"{n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) in {files}."


def _statistics(findings: list[object], stats: list[object], densities: dict[str, dict[str, float]] | None = None) -> str:
    by_rule = Counter(f.rule for f in findings)  # type: ignore[attr-defined]
    by_cat = Counter(f.category for f in findings)  # type: ignore[attr-defined]
    lines = ["Findings per rule:"]
    lines += [f"  {n:6}  {rule}" for rule, n in sorted(by_rule.items())]
    lines.append("Findings per category:")
    lines += [f"  {n:6}  {cat}" for cat, n in sorted(by_cat.items())]
    lines.append("Per file (words, findings, findings per 1,000 words):")
    # counts from the findings reported (after --baseline/--diff, with density findings)
    per_file = Counter(f.path for f in findings)  # type: ignore[attr-defined]
    for st in stats:
        n = per_file[st.path]  # type: ignore[attr-defined]
        density = 1000 * n / st.words if st.words else 0.0  # type: ignore[attr-defined]
        line = f"  {st.path}: {st.words} words, {n} findings, {density:.1f}/1k"  # type: ignore[attr-defined]
        per_cat = {c: d for c, d in (densities or {}).get(st.path, {}).items() if c != "all"}  # type: ignore[attr-defined]
        if per_cat:
            line += " (" + ", ".join(f"{c} {d:.1f}" for c, d in per_cat.items()) + ")"
        lines.append(line)
    words = sum(st.words for st in stats)  # type: ignore[attr-defined]
    total = len(findings)
    lines.append(f"Total: {words} words, {total} findings, {1000 * total / words if words else 0.0:.1f}/1k")
    return "\n".join(lines)


def _explain(registry: object, rid: str, known: set[str]) -> int:
    from rhetlint.config import _suggest

    rules = registry.rules  # type: ignore[attr-defined]
    if rid not in rules:
        _fail(f"--explain: unknown rule '{rid}'{_suggest(rid, known)}")
        return EXIT_ERROR
    rule = rules[rid]
    default = f"default severity {rule.severity}" if rule.enabled else (
        f"off by default: turn on with 'rules: {{{rule.id}: {rule.severity}}}' or --select {rule.id}")
    out = [f"{rule.id} ({rule.kind}, {default}, from {rule.origin})", ""]
    if rule.description:
        out += [rule.description, ""]
    out.append(f"Message: {rule.message}")
    flags = [e for e in rule.examples if e.flag]
    passes = [e for e in rule.examples if not e.flag]
    if flags:
        out += ["", "Flagged:"]
        for ex in flags:
            marked, pos = [], 0
            for s, e in ex.spans:
                marked.append(ex.text[pos:s] + "[[" + ex.text[s:e] + "]]")
                pos = e
            marked.append(ex.text[pos:])
            out.append("  " + "".join(marked))
    if passes:
        out += ["", "Not flagged:"]
        out += ["  " + ex.text for ex in passes]
    click.echo("\n".join(out))
    return EXIT_OK


# True when the process is the ``rhetlint`` command's own (not a host calling `cli`).
_OWN_PROCESS = False
# Set by the script, which disables the cyclic collector before importing this module.
resume_collector_after_load = False


def main() -> None:
    """Entry point of the ``rhetlint`` script (and ``python -m rhetlint``)."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        cli(prog_name="rhetlint")
    except SystemExit as done:
        _exit_now(done.code)
        raise


def _exit_now(code: object) -> None:
    """End the process at once, skipping the interpreter's teardown, when that is safe.

    Freeing every module, compiled pattern and rule object at shutdown takes
    about 20 ms, a fifth of a small file's run, for memory the OS reclaims anyway
    (mypy ends the same way). Only the script does this, never the library or
    click's test runner, and only for a run of rhetlint's own code (no entry-point
    or in-process plugin, whose objects may need their finalizers), with no other
    thread, tracer or profiler running; the atexit handlers still run, and
    stdout and stderr are flushed first. Anything unusual returns, and the
    normal exit follows.
    """
    code = 0 if code is None else code
    if not isinstance(code, int) or not 0 <= code <= 255 or os.environ.get("RHETLINT_NO_FAST_EXIT"):
        return
    host = sys.modules.get("rhetlint.host")
    if host is not None and host.foreign_code_loaded:
        return
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return
    import atexit
    import threading

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a closed pipe or stream: the normal exit reports it as before
    run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
