"""The installer's helper scripts: the frozen entry point and the THIRD_PARTY_LICENSES generator."""

from __future__ import annotations

from pathlib import Path

from tests.installer.scripts import REPO, load_script


def test_a_workbook_alone_opens_in_the_app() -> None:
    """Explorer's "Open with CopperLoop" passes just the file's path."""
    entry = load_script("copperloop_entry")
    workbook = r"C:\Users\li\Desktop\网络.XLSX"
    assert entry.explorer_arguments([workbook]) == ["gui", workbook]
    assert entry.explorer_arguments(["selftest"]) == ["selftest"]
    assert entry.explorer_arguments(["solve", "net.xlsx"]) == ["solve", "net.xlsx"]
    assert entry.explorer_arguments(["--version"]) == ["--version"]


def test_third_party_licenses_name_every_bundled_distribution() -> None:
    """The committed file has a section for every distribution CopperLoop depends on, and the key texts."""
    licences = load_script("third_party_licenses")
    text = (REPO / "THIRD_PARTY_LICENSES").read_text(encoding="utf-8")
    dists = licences.dependency_closure()
    names = {licences.canonical(d.metadata["Name"]) for d in dists}
    assert {"pyside6-essentials", "pyqtgraph", "highspy", "pulp", "ortools", "pyvrp", "openpyxl"} <= names
    assert licences.missing_from(text, dists) == []
    for words in (
        "GNU LESSER GENERAL PUBLIC LICENSE",  # Qt
        "Eclipse Public License",  # CBC
        "Apache License",  # OR-Tools
        "PYTHON SOFTWARE FOUNDATION LICENSE",
    ):
        assert words in text


def test_generated_document_matches_this_environment(tmp_path: Path) -> None:
    licences = load_script("third_party_licenses")
    out = tmp_path / "THIRD_PARTY_LICENSES"
    assert licences.main(["-o", str(out)]) == 0
    assert licences.main(["--check", "-o", str(out)]) == 0
    out.write_text("nothing here\n", encoding="utf-8")
    assert licences.main(["--check", "-o", str(out)]) == 1
