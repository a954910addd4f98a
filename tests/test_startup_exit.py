"""The script's fast exit: same output, exit status and atexit handlers; normal exit for foreign code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

LOADED = "Experts say the regime's thugs will never win. " * 200 + "\n"

DRIVER = textwrap.dedent("""
    import atexit, sys
    atexit.register(lambda: open("atexit.txt", "w").write("ran"))
    sys.argv = ["rhetlint", *sys.argv[1:]]
    from rhetlint.cli import main
    main()
""")


def _run(tmp_path, *args, env_extra=None):
    env = {**os.environ, "RHETLINT_CACHE_DIR": str(tmp_path / "cache"), **(env_extra or {})}
    return subprocess.run([sys.executable, "-c", DRIVER, "--isolated", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)


def test_output_status_and_atexit_are_kept(tmp_path):
    (tmp_path / "a.md").write_text(LOADED)
    fast = _run(tmp_path, "-f", "json", "a.md")
    (tmp_path / "atexit.txt").unlink()
    slow = _run(tmp_path, "-f", "json", "a.md", env_extra={"RHETLINT_NO_FAST_EXIT": "1"})
    assert fast.returncode == slow.returncode == 1
    assert fast.stdout == slow.stdout and len(json.loads(fast.stdout)["findings"]) > 100
    assert fast.stderr == slow.stderr
    assert (tmp_path / "atexit.txt").read_text() == "ran"


def test_usage_error_status_is_kept(tmp_path):
    proc = _run(tmp_path, "--no-such-option")
    assert proc.returncode == 2 and "No such option" in proc.stderr
    assert (tmp_path / "atexit.txt").exists()


def test_foreign_plugin_gets_a_normal_exit(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "rhetlint_finalizer.py").write_text(textwrap.dedent("""
        import os

        class _Flush:
            def __del__(self, os=os):
                fd = os.open("finalized.txt", os.O_WRONLY | os.O_CREAT)
                os.write(fd, b"yes")
                os.close(fd)

        _keep = _Flush()
    """))
    info = site / "rhetlint_finalizer-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rhetlint-finalizer\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[rhetlint]\nfinalizer = rhetlint_finalizer\n")
    (tmp_path / "a.md").write_text("Calm text.\n")
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    env_extra = {**env, "RHETLINT_LOAD_PLUGINS": "finalizer"}
    proc = _run(tmp_path, "a.md", env_extra=env_extra)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "finalized.txt").read_text() == "yes"


def test_short_options_parse_as_click_would_without_ranking_suggestions(tmp_path):
    (tmp_path / "a.md").write_text("Experts say the plan will never work.\n")
    probe = DRIVER.replace("main()", "atexit.register(lambda: print('difflib' in sys.modules, file=sys.stderr)); main()")
    env = {**os.environ, "RHETLINT_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args):
        return subprocess.run([sys.executable, "-c", probe, "--isolated", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=False)

    short = run("-q", "-fjson", "-j1", "-o", "short.json", "a.md")
    long = run("--quiet", "--format=json", "--jobs=1", "--output", "long.json", "a.md")
    assert short.returncode == long.returncode == 1
    assert short.stderr.strip().splitlines()[-1] == "False"  # no NoSuchOption was built on the way
    assert (tmp_path / "short.json").read_text() == (tmp_path / "long.json").read_text()
    assert len(json.loads((tmp_path / "short.json").read_text())["findings"]) == 2
    # a misspelled long option still gets click's suggestion, an unknown short one its error
    typo = _run(tmp_path, "--fromat", "json", "a.md")
    assert typo.returncode == 2 and "No such option '--fromat'. Did you mean '--format'?" in typo.stderr
    unknown = _run(tmp_path, "-x", "a.md")
    assert unknown.returncode == 2 and "No such option '-x'." in unknown.stderr
