"""The command line: exit codes, inputs, options, and one-line errors."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from rhetlint.cli import cli

ROOT = Path(__file__).resolve().parent.parent
LOADED = "The mayor's vicious campaign went on.\n"
CLEAN = "The council met on Tuesday.\n"


@pytest.fixture
def run(sandbox):
    tmp_path = sandbox

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def test_findings_exit_1_and_text_format(run, tmp_path):
    (tmp_path / "a.md").write_text(LOADED)
    result = run("a.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("a.md:1:13: warning loaded.term Loaded term 'vicious'")


def test_clean_file_exit_0(run, tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    result = run("a.md")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No findings in 1 file." in result.stderr


def test_example_article_and_clean_example():
    runner = CliRunner()
    bad = runner.invoke(cli, ["--isolated", str(ROOT / "examples" / "op-ed.md")])
    good = runner.invoke(cli, ["--isolated", str(ROOT / "examples" / "clean.md")])
    assert bad.exit_code == 1 and bad.stdout.count("\n") >= 5
    assert good.exit_code == 0, good.stdout


def test_fail_on_levels(run, tmp_path):
    (tmp_path / "a.md").write_text(LOADED)
    assert run("--fail-on", "error", "a.md").exit_code == 0
    assert run("--fail-on", "never", "a.md").exit_code == 0
    assert run("--fail-on", "info", "a.md").exit_code == 1


def test_stdin_with_filename(run):
    result = run("-", "--stdin-filename", "draft.md", input=LOADED)
    assert result.exit_code == 1
    assert result.stdout.startswith("draft.md:1:13:")


def test_json_output_to_file_is_complete(run, tmp_path):
    (tmp_path / "a.md").write_text(LOADED)
    result = run("-f", "json", "-o", "out.json", "a.md")
    assert result.exit_code == 1
    data = json.loads((tmp_path / "out.json").read_text())
    f = data["findings"][0]
    assert (f["offset"], f["end_offset"], f["line"], f["column"], f["rule"], f["category"]) == (
        12, 19, 1, 13, "loaded.term", "loaded")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []


def test_output_through_a_symlink_keeps_the_link(run, tmp_path):
    (tmp_path / "a.md").write_text(LOADED)
    (tmp_path / "real.json").write_text("old")
    os.chmod(tmp_path / "real.json", 0o640)
    (tmp_path / "link.json").symlink_to("real.json")
    assert run("-f", "json", "-o", "link.json", "a.md").exit_code == 1
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["findings"][0]["rule"] == "loaded.term"
    assert stat.S_IMODE(os.stat(tmp_path / "real.json").st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_output_to_a_pipe_is_written_in_place(run, tmp_path):
    # a device or a pipe (-o /dev/null) must not be renamed over: that would replace it with a file
    (tmp_path / "a.md").write_text(LOADED)
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    result = run("-f", "json", "-o", "out.pipe", "a.md")
    reader.join(10)
    assert result.exit_code == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["findings"][0]["rule"] == "loaded.term"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_output_to_dev_stdout_follows_the_redirection(tmp_path):
    # -o /dev/stdout appended to a log keeps the log; on a pipe it is written, not renamed over
    import subprocess
    import sys

    (tmp_path / "a.md").write_text(LOADED)
    (tmp_path / "build.log").write_text("earlier lines\n")
    cmd = f"{sys.executable} -m rhetlint --isolated -q -f json -o /dev/stdout a.md"
    subprocess.run(f"{cmd} >> build.log", shell=True, cwd=tmp_path, check=False)
    log = (tmp_path / "build.log").read_text()
    assert log.startswith("earlier lines\n{")
    assert json.loads(log.split("\n", 1)[1])["findings"][0]["rule"] == "loaded.term"
    piped = subprocess.run(f"{cmd} | cat", shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert json.loads(piped.stdout)["findings"][0]["rule"] == "loaded.term"
    assert piped.stderr == ""


def test_select_and_ignore(run, tmp_path):
    (tmp_path / "a.md").write_text("Experts say the vicious plan will never work.\n")
    only = run("--select", "attribution", "a.md").stdout
    assert {line.split()[2] for line in only.splitlines()} == {"attribution.vague-source"}
    rest = run("--ignore", "attribution,loaded", "a.md").stdout
    assert {line.split()[2] for line in rest.splitlines()} == {"prediction.absolute"}


def test_unknown_select_is_exit_2_with_hint(run, tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    result = run("--select", "loded", "a.md")
    assert result.exit_code == 2
    assert "unknown rule or category 'loded' (did you mean 'loaded'?)" in result.stderr


def test_folder_recursion_skips_hidden_and_sorts(run, tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / ".hidden").mkdir()
    (tmp_path / "docs" / "b.md").write_text(LOADED)
    (tmp_path / "docs" / "sub" / "a.txt").write_text(LOADED)
    (tmp_path / "docs" / ".hidden" / "c.md").write_text(LOADED)
    (tmp_path / "docs" / "notes.rst").write_text(LOADED)
    result = run("docs")
    paths = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert paths == [os.path.join("docs", "b.md"), os.path.join("docs", "sub", "a.txt")]


def test_folder_without_matching_files(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("empty")
    assert result.exit_code == 0
    assert "empty: no files matching" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.md", None, "missing.md: no such file or folder"),
        ("bin.md", b"\x00\x01\x02binary", "bin.md: binary file"),
        ("latin.md", "caf\xe9 vicious".encode("latin-1"), "latin.md: not valid UTF-8 at byte 3"),
    ],
)
def test_bad_inputs_exit_2_one_line(run, tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run(name)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_found_by_recursion_is_skipped(run, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.md").write_bytes(b"\x00\x00data")
    (tmp_path / "d" / "y.md").write_text(CLEAN)
    result = run("d")
    assert result.exit_code == 0
    assert "x.md: skipped, binary file" in result.stderr


def test_encoding_option(run, tmp_path):
    (tmp_path / "latin.md").write_bytes("Café: a vicious plan.".encode("latin-1"))
    result = run("--encoding", "latin-1", "latin.md")
    assert result.exit_code == 1
    assert "latin.md:1:9:" in result.stdout


def test_empty_file(run, tmp_path):
    (tmp_path / "e.md").write_text("")
    assert run("e.md").exit_code == 0


def test_broken_config_yaml(run, tmp_path):
    (tmp_path / ".rhetlint.yml").write_text("rules: [a,\n")
    (tmp_path / "a.md").write_text(CLEAN)
    result = run("a.md")
    assert result.exit_code == 2
    assert ".rhetlint.yml:2: invalid YAML" in result.stderr


def test_unknown_rule_in_config(run, tmp_path):
    (tmp_path / ".rhetlint.yml").write_text("rules:\n  loaded.trm: off\n")
    (tmp_path / "a.md").write_text(CLEAN)
    result = run("a.md")
    assert result.exit_code == 2
    assert ".rhetlint.yml:2: rules.loaded.trm: unknown rule 'loaded.trm' (did you mean 'loaded.term'?)" in result.stderr


def test_malformed_suppression_is_a_finding(run, tmp_path):
    (tmp_path / "a.md").write_text("<!-- rhetlint-disable loded -->\n\nThe vicious plan.\n")
    result = run("a.md")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a.md:1:1: error rhetlint.bad-directive")
    assert "unknown rule or category 'loded'" in lines[0]
    assert lines[1].startswith("a.md:3:5: warning loaded.term")


def test_rule_dir_with_bad_rule_names_file_and_key(run, tmp_path):
    house = tmp_path / "house" / "style"
    house.mkdir(parents=True)
    (house / "oops.yml").write_text("kind: existence\nmessage: hi\nseverity: loud\n")
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n")
    (tmp_path / "a.md").write_text(CLEAN)
    result = run("a.md")
    assert result.exit_code == 2
    assert "oops.yml: severity: expected info, warning or error" in result.stderr


def test_house_rules_from_rule_dirs(run, tmp_path):
    house = tmp_path / "house" / "style"
    house.mkdir(parents=True)
    (house / "jargon.yml").write_text(
        "kind: existence\nmessage: \"Jargon '{match}'\"\ntokens: [synergy]\n"
        "examples: {flag: ['More [[synergy]].'], pass: ['More work.']}\n"
    )
    (tmp_path / ".rhetlint.yml").write_text("rule-dirs: [house]\n")
    (tmp_path / "a.md").write_text("We need synergy.\n")
    result = run("a.md")
    assert result.stdout == "a.md:1:9: warning style.jargon Jargon 'synergy'\n"


def test_list_rules_and_explain(run):
    listing = run("--list-rules").stdout
    assert "loaded.term" in listing and "attribution.vague-source" in listing
    explain = run("--explain", "prediction.absolute")
    assert explain.exit_code == 0
    assert "[[will never accept]]" in explain.stdout
    bad = run("--explain", "prediction.absolut")
    assert bad.exit_code == 2 and "did you mean 'prediction.absolute'" in bad.stderr


def test_list_plugins_shows_builtins_with_version(run):
    from rhetlint import __version__

    out = run("--list-plugins").stdout
    assert f"rhetlint.parsers.markdown {__version__} (built-in): rhetlint_parsers" in out
    assert "rhetlint_plugins.attribution" in out


def test_init_writes_starter_once(run, tmp_path):
    first = run("--init")
    assert first.exit_code == 0
    text = (tmp_path / ".rhetlint.yml").read_text()
    assert "fail-on: warning" in text
    second = run("--init")
    assert second.exit_code == 2 and "already exists" in second.stderr
    (tmp_path / "a.md").write_text(CLEAN)
    assert run("a.md").exit_code == 0  # the starter config is valid


def test_unknown_format(run, tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    result = run("-f", "xml", "a.md")
    assert result.exit_code == 2 and "unknown format 'xml'" in result.stderr


def test_no_paths_is_usage_error(run):
    result = run()
    assert result.exit_code == 2 and "no PATH given" in result.stderr


def test_no_color_when_not_a_tty(run, tmp_path):
    (tmp_path / "a.md").write_text(LOADED)
    assert "\x1b[" not in run("a.md").stdout


def test_version(run):
    from rhetlint import __version__

    assert run("--version").stdout.strip() == f"rhetlint, version {__version__}"


def test_statistics(run, tmp_path):
    (tmp_path / "a.md").write_text("The vicious, brutal plan. Experts say so.\n")
    result = run("--statistics", "a.md")
    assert "Findings per category:" in result.stdout
    assert "a.md: 7 words, 3 findings, 428.6/1k" in result.stdout


def test_jobs_give_identical_output(run, tmp_path):
    (tmp_path / "d").mkdir()
    for i in range(12):
        text = LOADED if i % 3 else "Experts say the plan will never work.\n"
        (tmp_path / "d" / f"a{i:02d}.md").write_text(text * (i + 1))
    (tmp_path / "d" / "zz.md").write_bytes(b"\x00binary")
    one = run("-j", "1", "-f", "json", "d")
    two = run("-j", "2", "-f", "json", "d")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert json.loads(two.stdout)["summary"]["files"] == 12
    assert "zz.md: skipped, binary file" in two.stderr


def test_fifo_is_never_opened(run, tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    named = run("pipe.md")
    assert named.exit_code == 2 and "pipe.md: not a regular file" in named.stderr
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "pipe.md")
    (tmp_path / "d" / "a.md").write_text(CLEAN)
    folder = run("d")
    assert folder.exit_code == 0 and "pipe.md: skipped, not a regular file" in folder.stderr


def test_example_article_golden_output(monkeypatch):
    # the whole text report for the example article, exactly (regenerate on purpose only:
    # rhetlint --isolated examples/op-ed.md > examples/op-ed.expected.txt)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["--isolated", "examples/op-ed.md"])
    assert result.stdout == (ROOT / "examples" / "op-ed.expected.txt").read_text(encoding="utf-8")


def test_a_file_named_twice_is_linted_once(run, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text(LOADED)
    result = run("d", "d/a.md", "./d/a.md")
    assert result.stdout.count("loaded.term") == 1
    assert "in 1 file." in result.stderr


def test_globs_are_relative_to_the_config_folder(run, tmp_path, monkeypatch):
    drafts = tmp_path / "articles" / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "d.md").write_text(LOADED)
    (tmp_path / "articles" / "ok.md").write_text(LOADED)
    (tmp_path / ".rhetlint.yml").write_text('files: {exclude: ["articles/drafts/**"]}\n')
    from_root = run("articles").stdout
    monkeypatch.chdir(tmp_path / "articles")
    from_inside = run(".").stdout
    assert "drafts" not in from_root and "drafts" not in from_inside
    assert "ok.md" in from_root and "ok.md" in from_inside


def test_repeated_disable_is_reported_as_unused(run, tmp_path):
    (tmp_path / "a.md").write_text(
        "<!-- rhetlint-disable loaded -->\n\n<!-- rhetlint-disable loaded -->\n\nThe vicious plan.\n"
    )
    out = run("--fail-on", "never", "a.md").stdout.splitlines()
    assert [ln.split()[2] for ln in out] == ["rhetlint.unused-directive"]
    assert out[0].startswith("a.md:3:1:")


def test_directive_for_a_rule_switched_off_is_not_unused(run, tmp_path):
    (tmp_path / "a.md").write_text("<!-- rhetlint-disable-next loaded -->\nThe vicious plan.\n")
    assert run("--fail-on", "never", "a.md").stdout == ""  # used: it silences 'vicious'
    assert run("--fail-on", "never", "--ignore", "loaded", "a.md").stdout == ""  # off: not 'unused'


def test_only_the_commands_own_process_freezes_the_collector(run, tmp_path):
    # `rhetlint` itself moves its long-lived objects out of the collector's way (gc.freeze);
    # a host calling the click command in its own process keeps its collector as it was
    import gc
    import subprocess
    import sys

    (tmp_path / "a.md").write_text(LOADED)
    before = gc.get_freeze_count()
    assert run("a.md").exit_code == 1
    assert gc.get_freeze_count() == before
    probe = ("import gc, sys, rhetlint.cli as c; sys.argv = ['rhetlint', '-q', 'a.md']\n"
             "orig = c._run\n"
             "def spy(*a, **k):\n    r = orig(*a, **k); print('frozen', gc.get_freeze_count() > 0); return r\n"
             "c._run = spy\nc.main()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert "frozen True" in done.stdout and done.returncode == 1


def test_the_script_pauses_the_collector_until_the_rules_are_frozen(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.md").write_text(LOADED)
    probe = ("import gc, sys\nsys.argv = ['rhetlint', '-q', 'a.md']\n"
             "import rhetlint.api as api\norig_load = api.checked_linter\n"
             "def load(*a, **k):\n    print('loading, collector on:', gc.isenabled()); return orig_load(*a, **k)\n"
             "api.checked_linter = load\n"
             "import rhetlint.cli as c\norig = c._run\n"
             "def spy(*a, **k):\n    r = orig(*a, **k)\n"
             "    print('done, collector on:', gc.isenabled(), 'frozen:', gc.get_freeze_count() > 0,\n"
             "          'young generation:', gc.get_threshold()[0]); return r\n"
             "c._run = spy\nfrom rhetlint.script import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    said = [line for line in done.stdout.splitlines() if "collector" in line]
    assert said == ["loading, collector on: False", "done, collector on: True frozen: True young generation: 10000"]
    assert done.returncode == 1


def test_a_cold_start_collects_before_freezing(tmp_path):
    # without a cache, loading makes about a million objects only the collector frees: they
    # are collected before the freeze, not kept for the whole run
    import subprocess
    import sys

    (tmp_path / "a.md").write_text(LOADED)
    probe = ("import gc, sys\nsys.argv = ['rhetlint', '-q', 'a.md']\n"
             "import rhetlint.cli as c\norig = c._run\n"
             "def spy(*a, **k):\n    r = orig(*a, **k); print('frozen', gc.get_freeze_count()); return r\n"
             "c._run = spy\nfrom rhetlint.script import main\nmain()\n")
    env = {**os.environ, "RHETLINT_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    [frozen] = [int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("frozen")]
    assert frozen < 200_000


def test_real_paths_of_named_files_are_realpath(tmp_path, monkeypatch):
    # iter_paths resolves each folder once; every path must come out as os.path.realpath has it
    from rhetlint.engine import _real_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.md").write_text("x")
    (tmp_path / "d" / "sub" / "b.md").write_text("x")
    os.symlink("d", tmp_path / "dlink")
    os.symlink("d/a.md", tmp_path / "alink.md")
    os.symlink("sub", tmp_path / "d" / "sublink")
    os.symlink("gone.md", tmp_path / "broken.md")
    names = ["d/a.md", "./d/a.md", "dlink/a.md", "alink.md", "d/sub/../a.md", "dlink/sub/../a.md", "d/sublink/b.md",
             "d/sublink/../a.md", "d/./a.md", "d/", "d/.", "d/..", "missing.md", "d/missing/x.md", "broken.md",
             str(tmp_path / "dlink" / "sub" / "b.md"), "a.md/x", ""]
    folders: dict[str, str] = {}
    for name in names:
        assert _real_path(name, folders) == os.path.realpath(name), name


def test_a_file_named_through_a_linked_folder_is_linted_once(run, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text(LOADED)
    os.symlink("d", tmp_path / "dlink")
    result = run("d/a.md", "dlink/a.md", "dlink")
    assert result.stdout.count("loaded.term") == 1
    assert "in 1 file." in result.stderr


def test_the_sort_key_read_in_c_is_finding_sort_key():
    from rhetlint.cli import _SORT_KEY
    from rhetlint.model import Finding, Severity

    f = Finding("a.md", 4, 9, 1, 5, 1, 10, "loaded.term", Severity.INFO, "m", "t")
    assert _SORT_KEY(f) == f.sort_key()
