"""Configuration: discovery, extends, levels, options, exceptions, globs, strict validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import rhetlint
from rhetlint.api import checked_linter
from rhetlint.config import Config, find_config_file, load_config
from rhetlint.errors import ConfigError

BAD = sorted((Path(__file__).parent / "fixtures" / "config" / "bad").glob("*.yml"))
BAD_PARAMS = [pytest.param(p, id=p.stem) for p in BAD]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Never read the real user config: HOME and XDG_CONFIG_HOME point into tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("RHETLINT_CONFIG", raising=False)
    return home


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as info:
        checked_linter(load_config(path))
    return info.value.problems


def rules_of(text: str, config, filename: str = "doc.md") -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.start, f.end, str(f.severity))
            for f in rhetlint.lint_text(text, filename=filename, config=config)]


# -- strict validation -----------------------------------------------------------


@pytest.mark.parametrize("path", BAD_PARAMS)
def test_bad_config_fixture_reports_expected_problem(path, monkeypatch):
    monkeypatch.chdir(path.parent)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# error: :"), "fixture must start with '# error: :<line>: ...'"
    fragment = first[len("# error: "):]
    problems = problems_of(path)
    assert any(p.startswith(f"{path}{fragment}") for p in problems), problems


def test_every_problem_is_reported_at_once(tmp_path):
    cfg = write(tmp_path / "c.yml", (
        "fail-on: sometimes\n"          # 1
        "rulez: {}\n"                    # 2
        "rules:\n"                       # 3
        "  loaded: loud\n"               # 4
        "  analogy:\n"                   # 5
        "    quotes: maybe\n"            # 6
        "files:\n"                       # 7
        "  include: 3\n"                 # 8
    ))
    problems = problems_of(cfg)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{cfg}:{n}" for n in (2, 1, 4, 6, 8)]


def test_unknown_ids_are_all_reported_with_suggestions(tmp_path):
    cfg = write(tmp_path / "c.yml", "rules:\n  loaded.trem: off\n  atribution: off\n  zzzzzz: info\n")
    assert problems_of(cfg) == (
        f"{cfg}:2: rules.loaded.trem: unknown rule 'loaded.trem' (did you mean 'loaded.term'?)",
        f"{cfg}:3: rules.atribution: unknown rule or category 'atribution' (did you mean 'attribution'?)",
        f"{cfg}:4: rules.zzzzzz: unknown rule or category 'zzzzzz'",
    )


def test_cli_exits_2_listing_every_problem(tmp_path, monkeypatch):
    from rhetlint.cli import cli

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "doc.md", "Calm.\n")
    cfg = write(tmp_path / "c.yml", "rulez: 1\nfail-on: sometimes\n")
    result = CliRunner().invoke(cli, ["--config", str(cfg), "doc.md"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines() if hasattr(result, "stderr") else result.output.splitlines()
    assert f"rhetlint: {cfg}:1: rulez: unknown key (did you mean 'rules'?)" in lines
    assert f"rhetlint: {cfg}:2: fail-on: expected one of info, warning, error, never" in lines


def test_option_types_are_validated_with_the_file_and_line(tmp_path, registry):
    from rhetlint.config import validate_against

    path = write(tmp_path / "c.yml", (
        "rules:\n  loaded.term:\n    min-precision: high\n    groups: insult\n"
        "  loaded.label: {min-precision: 1}\n"
    ))
    cfg = load_config(path)
    kinds = {name: dict(kind.options) for name, kind in registry.kinds.items()}
    with pytest.raises(ConfigError) as info:
        validate_against(cfg, registry.rules, kinds, registry.parsers, [])
    assert info.value.problems == (
        f"{path}:3: rules.loaded.term.min-precision: expected float or int, got str 'high'",
        f"{path}:4: rules.loaded.term.groups: expected list, got str 'insult'",
    )


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yml")


def test_empty_config_is_the_default(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "# nothing\n"))
    assert cfg.fail_on == "warning"
    assert cfg.rules == {}


# -- discovery -------------------------------------------------------------------


def test_discovery_nearest_file_upward(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    top = write(repo / ".rhetlint.yml", "fail-on: error\n")
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config_file() == top.resolve()
    near = write(repo / "a" / ".rhetlint.yaml", "fail-on: info\n")
    assert find_config_file() == near.resolve()
    assert load_config(None).fail_on == "info"


def test_discovery_stops_at_repo_root(tmp_path, monkeypatch, isolated_home):
    write(tmp_path / ".rhetlint.yml", "fail-on: error\n")  # outside the repo: never read
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    assert find_config_file() is None
    assert load_config(None).fail_on == "warning"  # built-in default
    user = write(isolated_home / ".config" / "rhetlint" / "config.yml", "fail-on: never\n")
    assert find_config_file() == user
    assert load_config(None).fail_on == "never"


def test_discovery_user_config_in_xdg_config_home(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    user = write(xdg / "rhetlint" / "config.yml", "fail-on: info\n")
    proj = tmp_path / "proj"
    (proj / ".git").mkdir(parents=True)
    monkeypatch.chdir(proj)
    assert find_config_file() == user


def test_discovery_env_beats_nearest_and_flag_beats_env(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / ".rhetlint.yml", "fail-on: error\n")
    env = write(tmp_path / "env.yml", "fail-on: info\n")
    flag = write(tmp_path / "flag.yml", "fail-on: never\n")
    monkeypatch.chdir(repo)
    assert load_config(None).fail_on == "error"
    monkeypatch.setenv("RHETLINT_CONFIG", str(env))
    assert load_config(None).fail_on == "info"
    assert load_config(flag).fail_on == "never"
    assert load_config(flag, isolated=True).fail_on == "warning"


def test_both_names_in_one_folder_is_an_error(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".rhetlint.yml", "{}\n")
    write(tmp_path / ".rhetlint.yaml", "{}\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="both .rhetlint.yml and .rhetlint.yaml"):
        find_config_file()


# -- extends ---------------------------------------------------------------------


def test_extends_preset(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "extends: relaxed\n"))
    assert cfg.fail_on == "error"
    assert cfg.rules["loaded.intensifier"].level == "off"
    cfg = load_config(write(tmp_path / "d.yml", "extends: relaxed\nfail-on: info\n"))
    assert cfg.fail_on == "info"
    assert cfg.rules["loaded.intensifier"].level == "off"


def test_extends_path_merges_and_child_wins(tmp_path):
    write(tmp_path / "base" / "team.yml", "fail-on: error\nrules:\n  analogy: off\n  loaded: info\n")
    cfg = load_config(write(tmp_path / "c.yml", "extends: base/team.yml\nrules:\n  loaded: error\n"))
    assert cfg.fail_on == "error"
    assert {k: v.level for k, v in cfg.rules.items()} == {"analogy": "off", "loaded": "error"}


def test_extends_errors_point_at_the_file_that_has_them(tmp_path):
    base = write(tmp_path / "base.yml", "fail-on: error\nrules:\n  loaded.trem: off\n")
    child = write(tmp_path / "c.yml", "extends: ./base.yml\n\nrules:\n  anology: off\n")
    assert problems_of(child) == (
        f"{base}:3: rules.loaded.trem: unknown rule 'loaded.trem' (did you mean 'loaded.term'?)",
        f"{child}:4: rules.anology: unknown rule or category 'anology' (did you mean 'analogy'?)",
    )


def test_extends_yaml_error_in_parent_names_parent(tmp_path):
    base = write(tmp_path / "base.yml", "rules:\n  a: [\n")
    child = write(tmp_path / "c.yml", "extends: base.yml\n")
    with pytest.raises(ConfigError) as info:
        load_config(child)
    assert info.value.problems[0].startswith(f"{base}:3: invalid YAML")


def test_extends_loop_is_reported(tmp_path):
    write(tmp_path / "a.yml", "extends: ./b.yml\n")
    write(tmp_path / "b.yml", "extends: ./a.yml\n")
    with pytest.raises(ConfigError, match="chain too long"):
        load_config(tmp_path / "a.yml")


def test_rule_dirs_of_a_parent_are_relative_to_the_parent(tmp_path):
    (tmp_path / "shared" / "house").mkdir(parents=True)
    write(tmp_path / "shared" / "base.yml", "rule-dirs: [house]\n")
    cfg = load_config(write(tmp_path / "proj" / "c.yml", "extends: ../shared/base.yml\n"))
    assert cfg.rule_dirs == ((tmp_path / "shared" / "house").resolve(),)


# -- levels, options, exceptions ---------------------------------------------------

TEXT = "A vicious and utterly chilling attack.\n"


def test_default_levels():
    assert rules_of(TEXT, None) == [
        ("loaded.term", 2, 9, "warning"),
        ("loaded.intensifier", 14, 21, "info"),
        ("loaded.term", 22, 30, "warning"),
    ]


def test_category_and_rule_levels(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "rules:\n  loaded: error\n  loaded.intensifier: off\n"))
    assert rules_of(TEXT, cfg) == [("loaded.term", 2, 9, "error"), ("loaded.term", 22, 30, "error")]


def test_yaml_off_and_false_mean_off(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "rules:\n  loaded.intensifier: off\n  loaded.term:\n    severity: off\n"))
    assert cfg.rules["loaded.term"].level == "off"
    assert rules_of(TEXT, cfg) == []


def test_rule_option_min_precision(tmp_path):
    # lexicon precision: vicious 0.75, chilling 1.00
    cfg = load_config(write(tmp_path / "c.yml", "rules:\n  loaded.term: {min-precision: 0.8}\n"))
    assert [r for r in rules_of(TEXT, cfg) if r[0] == "loaded.term"] == [("loaded.term", 22, 30, "warning")]


def test_rule_option_with_severity(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml",
                            "rules:\n  loaded.term:\n    severity: error\n    min-precision: 0.6\n"))
    assert [r for r in rules_of(TEXT, cfg) if r[0] == "loaded.term"] == [
        ("loaded.term", 2, 9, "error"), ("loaded.term", 22, 30, "error"),
    ]


def test_global_exceptions(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "exceptions: ['vicious and']\n"))
    assert [r[:3] for r in rules_of(TEXT, cfg)] == [("loaded.intensifier", 14, 21), ("loaded.term", 22, 30)]


def test_per_rule_exceptions(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml",
                            "rules:\n  loaded.term:\n    extend-exceptions: ['chilling attack']\n"))
    assert [r[:3] for r in rules_of(TEXT, cfg)] == [("loaded.term", 2, 9), ("loaded.intensifier", 14, 21)]


def test_per_file_override_by_glob(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", (
        "rules:\n  loaded.intensifier: off\n"
        "per-file:\n  'letters/**': {loaded: off}\n  '*.txt': {loaded.term: error}\n"
    )))
    assert rules_of(TEXT, cfg, "letters/a.md") == []
    assert rules_of(TEXT, cfg, "essays/a.md") == [("loaded.term", 2, 9, "warning"), ("loaded.term", 22, 30, "warning")]
    assert rules_of(TEXT, cfg, "essays/a.txt") == [("loaded.term", 2, 9, "error"), ("loaded.term", 22, 30, "error")]


def test_files_include_exclude(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "files:\n  include: ['**/*.md']\n  exclude: ['drafts/**']\n"))
    assert cfg.included("a.md")
    assert cfg.included("x/y/a.md")
    assert not cfg.included("a.txt")
    assert not cfg.included("drafts/a.md")
    assert cfg.excluded("drafts/sub/a.md")


def test_files_include_folder_walk(tmp_path):
    cfg = load_config(write(tmp_path / "c.yml", "files:\n  exclude: ['drafts/**']\n"))
    write(tmp_path / "src" / "a.md", "A vicious one.\n")
    write(tmp_path / "src" / "b.txt", "A chilling one.\n")
    write(tmp_path / "src" / "c.rst", "A vicious one.\n")
    write(tmp_path / "src" / "drafts" / "d.md", "A vicious one.\n")
    found = rhetlint.lint_paths([str(tmp_path / "src")], config=cfg)
    assert [(Path(f.path).name, f.rule, f.start) for f in found] == [
        ("a.md", "loaded.term", 2), ("b.txt", "loaded.term", 2),
    ]


def test_fail_on_from_config_decides_exit(tmp_path, monkeypatch):
    from rhetlint.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    write(tmp_path / "doc.md", "A vicious attack.\n")  # a warning
    runner = CliRunner()
    assert runner.invoke(cli, ["doc.md"]).exit_code == 1
    write(tmp_path / ".rhetlint.yml", "fail-on: error\n")
    assert runner.invoke(cli, ["doc.md"]).exit_code == 0
    write(tmp_path / ".rhetlint.yml", "fail-on: never\nrules: {loaded: error}\n")
    assert runner.invoke(cli, ["doc.md"]).exit_code == 0


def test_rule_dirs_add_house_rules(tmp_path):
    write(tmp_path / "house" / "house" / "banned.yml", (
        "kind: existence\nmessage: \"House style: avoid '{match}'.\"\nseverity: error\n"
        "description: test rule\ntokens: [synergy]\n"
        "examples:\n  flag: ['Pure [[synergy]] here.']\n  pass: ['Plain words.']\n"
    ))
    cfg = load_config(write(tmp_path / "c.yml", "rule-dirs: [house]\nrules:\n  loaded: off\n"))
    assert rules_of("Such synergy, so vicious.\n", cfg) == [("house.banned", 5, 12, "error")]


def test_config_where_uses_file_and_line(tmp_path):
    path = write(tmp_path / "c.yml", "\n\nrules:\n  loaded: info\n")
    cfg = load_config(path)
    assert cfg.where("rules", "loaded") == f"{path}:4"
    assert cfg.where("nothing") == str(path)
    assert Config().where("rules") == "<config>"
