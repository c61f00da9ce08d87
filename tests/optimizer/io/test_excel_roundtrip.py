"""Write -> read gives back the same network, in both languages, for any valid-ish network; and the
writer's file is safe to overwrite and pleasant to edit (frozen headers, comments, drop-downs)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.io import backup_path, network_to_workbook, read_network, write_network
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    VehicleType,
    YieldEntry,
)

from .workbooks import small_network

# Ids: no spaces at the ends and no list separators (ids in one cell are split on , ; ， ； 、).
ids = st.text(alphabet="ABCXYZabc0123456789-_./#铜回收站", min_size=1, max_size=8)
# Free text: any printable characters (Chinese, "=" first, "#N/A" ...), trimmed as the reader trims.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=20
).map(str.strip)
# Numbers as people type them: up to 13 significant digits. openpyxl writes 16 significant digits and
# Excel keeps 15, so a double that needs 17 (0.1 + 0.2) would not come back bit for bit.
floats = st.builds(lambda m, e: float(f"{m}e{e}"), st.integers(-(10**13) + 1, 10**13 - 1), st.integers(-8, 3))
small_floats = st.builds(lambda m: m / 10**6, st.integers(0, 10**6))
opt_floats = st.none() | floats
counts = st.integers(min_value=0, max_value=10**6)


def _unique(items: list, key) -> list:  # type: ignore[no-untyped-def, type-arg]
    seen: set = set()  # type: ignore[type-arg]
    out = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


@st.composite
def networks(draw: st.DrawFn) -> Network:
    grade_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    grades = tuple(
        Grade(g, draw(text), draw(text), draw(small_floats), draw(st.none() | small_floats))
        for g in grade_ids
    )
    supply = st.builds(Supply, st.sampled_from(grade_ids), floats, opt_floats)
    cps = tuple(
        CollectionPoint(
            cp_id,
            draw(text),
            draw(floats),
            draw(floats),
            draw(text),
            tuple(draw(st.lists(supply, max_size=3))),
            draw(opt_floats),
            draw(floats),
            draw(floats),
            draw(floats),
            draw(counts),
            draw(st.none() | ids),
        )
        for cp_id in draw(st.lists(ids, max_size=3, unique=True))
    )
    modules = st.lists(st.builds(CapacityModule, ids, floats, floats), max_size=3)
    yields = st.lists(
        st.builds(YieldEntry, st.sampled_from(grade_ids), st.sampled_from(grade_ids), small_floats),
        max_size=3,
    )
    sites = [
        ProcessingSite(
            s_id,
            draw(text),
            draw(st.sampled_from(SiteKind)),
            draw(floats),
            draw(floats),
            draw(text),
            draw(st.sampled_from(SiteStatus)),
            tuple(draw(modules)),
            draw(floats),
            draw(floats),
            tuple(draw(yields)),
        )
        for s_id in draw(st.lists(ids, max_size=4, unique=True))
    ]
    # the workbook keeps dismantling sites and sorting centers on separate sheets, in that order
    sites.sort(key=lambda s: s.kind is SiteKind.SORTING)
    smelters = tuple(
        Smelter(
            sm_id,
            draw(text),
            draw(floats),
            draw(floats),
            draw(text),
            draw(floats),
            tuple(draw(st.lists(st.sampled_from(grade_ids), max_size=3))),
            draw(small_floats),
            draw(opt_floats),
        )
        for sm_id in draw(st.lists(ids, max_size=2, unique=True))
    )
    vehicles = tuple(
        VehicleType(
            v_id,
            draw(text),
            draw(floats),
            draw(floats),
            draw(floats),
            draw(floats),
            draw(floats),
            draw(counts),
            draw(floats),
            tuple(draw(st.lists(ids, max_size=2))),
        )
        for v_id in draw(st.lists(ids, max_size=2, unique=True))
    )
    distances = tuple(
        draw(st.lists(st.builds(DistanceOverride, ids, ids, opt_floats, opt_floats), max_size=3))
    )
    parameters = Parameters(
        draw(floats),
        draw(floats),
        draw(floats),
        draw(floats),
        draw(floats),
        draw(st.none() | small_floats),
        draw(opt_floats),
        draw(st.none() | counts),
        draw(opt_floats),
        draw(opt_floats),
        draw(opt_floats),
        draw(counts),
        draw(counts),
        draw(counts),
    )
    return Network(draw(text), grades, cps, tuple(sites), smelters, vehicles, parameters, distances)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(network=networks(), lang=st.sampled_from(["en", "zh"]))
def test_any_network_survives_write_then_read(tmp_path: Path, network: Network, lang: str) -> None:
    path = tmp_path / f"roundtrip_{lang}.xlsx"
    write_network(network, path, lang)
    result = read_network(path)
    assert [str(i) for i in result.issues] == []
    assert result.network == network


def test_overwriting_keeps_the_previous_file_as_bak_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    first = small_network()
    second = first.replace(name="Second version")
    write_network(first, path)
    write_network(second, path, "zh")
    assert backup_path(path) == tmp_path / "plan.bak.xlsx"
    assert read_network(path).network == second
    assert read_network(backup_path(path)).network == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.bak.xlsx", "plan.xlsx"]


def test_text_a_workbook_cannot_hold_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    write_network(small_network(), path)
    before = path.read_bytes()
    bad = small_network().replace(grades=(Grade("No1", "bell\x07", "", 0.9),))
    with pytest.raises(ValueError, match=r"Grades No1 name_en: .* control characters"):
        write_network(bad, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.xlsx"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    network = small_network().replace(grades=(Grade("=1+1", "=SUM(A1:A9)", "#N/A", 0.9),))
    path = tmp_path / "f.xlsx"
    write_network(network, path)
    ws = openpyxl.load_workbook(path)["Grades"]
    assert (ws["A2"].value, ws["A2"].data_type) == ("=1+1", "s")
    assert read_network(path).network == network


def test_numbers_are_numbers_and_headers_have_units_comments_and_a_frozen_row() -> None:
    wb = network_to_workbook(small_network())
    ws = wb["Supply"]
    assert [c.value for c in ws[1]] == [
        "Collection point id",
        "Grade id",
        "Supply (t/yr)",
        "Purchase price (CNY/t)",
    ]
    assert ws.freeze_panes == "A2"
    assert ws["C2"].data_type == "n" and ws["C2"].value == 100.0
    assert ws["D3"].value is None  # no purchase price: blank, not 0
    comment = ws["C1"].comment
    assert comment is not None and "Unit: t/yr." in comment.text and "Required." in comment.text
    assert ws.column_dimensions["A"].width >= len("Collection point id")
    assert wb.sheetnames[0] == "Instructions"


def test_drop_downs_for_status_and_id_references() -> None:
    wb = network_to_workbook(small_network(), "zh")
    status = {dv.formula1 for dv in wb["分拣中心"].data_validations.dataValidation}
    assert status == {'"现有,候选,关闭"'}
    supply = {str(dv.sqref): dv.formula1 for dv in wb["供应量"].data_validations.dataValidation}
    assert supply == {"A2:A2000": "'回收点'!$A$2:$A$2000", "B2:B2000": "'废铜等级'!$A$2:$A$2000"}
    # a list of ids cannot be a drop-down; the price basis can
    smelters = {str(dv.sqref): dv.formula1 for dv in wb["冶炼厂"].data_validations.dataValidation}
    assert smelters == {"J2:J2000": '"联动,固定"'}


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match='lang must be "en" or "zh"'):
        network_to_workbook(small_network(), "fr")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validation_messages_fit_excels_limits(lang: str) -> None:
    wb = network_to_workbook(small_network(), lang)
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.error or "") <= 255 and len(dv.errorTitle or "") <= 32
            assert len(dv.formula1) <= 255
