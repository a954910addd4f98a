"""The cheap entry-point scan: it may say yes needlessly, never no wrongly."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata

import pytest

from rhetlint import host


@pytest.mark.parametrize(("text", "expected"), [
    ("[rhetlint]\nhouse = house_plugin\n", True),
    ("[console_scripts]\nrhetlint = rhetlint.cli:main\n", False),
    ("  [ rhetlint ]  \nhouse = x\n", True),
    ("[rhetlint.extra]\nx = y\n", False),
    ("", False),
])
def test_declares_group(tmp_path, text, expected):
    f = tmp_path / "entry_points.txt"
    f.write_text(text)
    assert host._declares_group(str(f)) is expected


def test_missing_entry_points_file_declares_nothing(tmp_path):
    assert host._declares_group(str(tmp_path / "nope.txt")) is False


def _dist(site, name, entry_points):
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)


def test_scan_agrees_with_importlib_metadata(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _dist(site, "other", "[console_scripts]\nrhetlint-ish = other:main\n")
    _dist(site, "plain", None)
    monkeypatch.setattr(sys, "path", [str(site)])
    assert host._may_have_entry_points() is False
    assert not metadata.entry_points(group="rhetlint")
    _dist(site, "house", "[rhetlint]\nhouse = house_plugin\n")
    assert host._may_have_entry_points() is True
    assert [ep.name for ep in metadata.entry_points(group="rhetlint")] == ["house"]


def test_egg_info_folders_count(tmp_path, monkeypatch):
    site = tmp_path / "site"
    info = site / "legacy.egg-info"
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text("[rhetlint]\nlegacy = legacy\n")
    monkeypatch.setattr(sys, "path", [str(site)])
    assert host._may_have_entry_points() is True


def test_zip_on_the_path_defers_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("house-1.0.dist-info/entry_points.txt", "[rhetlint]\nhouse = house\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(archive)])
    assert host._may_have_entry_points() is True


def test_other_distribution_finders_defer_to_importlib_metadata(tmp_path, monkeypatch):
    class Finder:
        @staticmethod
        def find_spec(*args):
            return None

        @staticmethod
        def find_distributions(*args, **kwargs):
            return iter(())

    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert host._may_have_entry_points() is False
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert host._may_have_entry_points() is True


def test_empty_plugin_list_skips_the_scan(monkeypatch):
    monkeypatch.setenv("RHETLINT_LOAD_PLUGINS", " , ")
    monkeypatch.setattr(host, "_may_have_entry_points", lambda: pytest.fail("scanned"))
    assert host._selected_entry_points() == []


@pytest.mark.parametrize("package", ["rhetlint_rules", "rhetlint.presets", "rhetlint"])
def test_package_files_is_importlib_resources_files(package):
    from importlib.resources import files

    from rhetlint.ruledata import package_files

    assert package_files(package) == files(package)


def test_package_files_in_a_zip_uses_importlib_resources(tmp_path, monkeypatch):
    from rhetlint.ruledata import package_files

    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped_rules_pkg/__init__.py", "")
        z.writestr("zipped_rules_pkg/lexicons/words.txt", "alpha\n")
    monkeypatch.syspath_prepend(str(archive))
    root = package_files("zipped_rules_pkg")
    assert (root / "lexicons" / "words.txt").read_text() == "alpha\n"
    monkeypatch.delitem(sys.modules, "zipped_rules_pkg")
