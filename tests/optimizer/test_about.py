"""optimizer.about: the version everyone shows and the components the About dialog lists."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from optimizer import about, cli

REPO = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def test_version_is_pyprojects() -> None:
    assert about.version() == pyproject_version()
    assert about.pyproject_version(REPO / "pyproject.toml") == pyproject_version()
    assert about.pyproject_version(REPO / "no-such.toml") is None


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"copperloop {pyproject_version()}"


def test_frozen_bundle_reads_its_version_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In the bundle, sys.frozen is set and the VERSION file written by the spec wins."""
    (tmp_path / "VERSION").write_text("9.8.7\n", encoding="utf-8")
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert about.is_frozen()
    assert about.resource_root() == tmp_path
    assert about.version() == "9.8.7"
    assert about.licenses_path() == tmp_path / "THIRD_PARTY_LICENSES"
    assert "were not found" in about.licenses_text()


def test_component_lines_name_each_licence() -> None:
    lines = about.component_lines()
    assert len(lines) == len(about.COMPONENTS)
    assert any(line.startswith("Qt 6.") and "LGPL-3.0-only" in line for line in lines)
    for name, licence in [("HiGHS", "MIT"), ("CBC", "EPL"), ("OR-Tools", "Apache-2.0"), ("PyVRP", "MIT")]:
        assert any(line.startswith(name) and licence in line for line in lines), name


def test_licenses_text_is_the_shipped_file() -> None:
    assert about.licenses_path() == REPO / "THIRD_PARTY_LICENSES"
    assert about.licenses_text().startswith("CopperLoop: third-party components and their licences")


def test_icon_is_found_in_source_and_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert about.icon_path() == REPO / "installer" / "icons" / "copperloop.png"
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert about.icon_path() is None
    (tmp_path / "icons").mkdir()
    png = (REPO / "installer" / "icons" / "copperloop.png").read_bytes()
    (tmp_path / "icons" / "copperloop.png").write_bytes(png)
    assert about.icon_path() == tmp_path / "icons" / "copperloop.png"
