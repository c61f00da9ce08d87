"""The one schema covers every model field exactly once and spells every header and sheet unambiguously."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer import schema
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Parameters,
    ProcessingSite,
    Smelter,
    Supply,
    VehicleType,
    YieldEntry,
)
from optimizer.schema import (
    PARAMETER_ROWS,
    SHEETS,
    UNIT_ZH,
    data_sheets,
    header,
    header_keys,
    normalize,
    ref_sheets,
    sheet,
    sheet_keys,
)


def _fields(cls: type, *, skip: tuple[str, ...] = ()) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)} - set(skip)


def _keys(key: str) -> set[str]:
    return {c.key for c in sheet(key).columns}


@pytest.mark.parametrize(
    ("sheet_key", "cls", "skip", "links"),
    [
        ("grades", Grade, (), set()),
        ("collection_points", CollectionPoint, ("supplies",), set()),
        ("supply", Supply, (), {"collection_point_id"}),
        ("dismantling_sites", ProcessingSite, ("kind", "modules", "yields"), set()),
        ("sorting_centers", ProcessingSite, ("kind", "modules", "yields"), set()),
        ("capacity_modules", CapacityModule, (), {"site_id"}),
        ("yields", YieldEntry, (), {"site_id"}),
        ("smelters", Smelter, (), set()),
        ("vehicle_types", VehicleType, (), set()),
        ("distances", DistanceOverride, (), set()),
    ],
)
def test_every_model_field_has_exactly_one_column(
    sheet_key: str, cls: type, skip: tuple[str, ...], links: set[str]
) -> None:
    assert _keys(sheet_key) == _fields(cls, skip=skip) | links
    assert len(sheet(sheet_key).columns) == len(_keys(sheet_key))


def test_parameter_rows_cover_every_parameters_field_and_the_network_name() -> None:
    keys = [p.key for p in PARAMETER_ROWS]
    assert keys[0] == "network_name"
    assert set(keys[1:]) == _fields(Parameters)
    assert len(keys) == len(set(keys))


def test_parameter_defaults_are_the_model_defaults() -> None:
    defaults = Parameters()
    for p in PARAMETER_ROWS[1:]:
        assert p.default == getattr(defaults, p.key), p.key
        assert p.required == (p.default is not None), p.key


@pytest.mark.parametrize("spec", data_sheets(), ids=lambda s: s.key)
def test_headers_within_a_sheet_are_unambiguous(spec: schema.SheetSpec) -> None:
    columns = PARAMETER_ROWS if spec is schema.PARAMETERS_SHEET else spec.columns
    for group in (spec.columns, columns):
        spellings = [k for c in group for k in header_keys(c)]
        owners = {k: c.key for c in group for k in header_keys(c)}
        assert len(owners) == len({k for k in spellings}), spec.key
        for c in group:
            assert all(owners[k] == c.key for k in header_keys(c)), c.key


def test_sheet_names_are_unique_valid_excel_names_in_both_languages() -> None:
    seen: dict[str, str] = {}
    for spec in SHEETS:
        for name in (spec.name_en, spec.name_zh):
            assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
        for k in sheet_keys(spec):
            assert seen.setdefault(k, spec.key) == spec.key, k
    assert SHEETS[0].key == "instructions"
    assert {s.key for s in SHEETS if s.required} == {"grades", "collection_points", "supply", "smelters"}


def test_every_column_is_described_in_both_languages_with_a_known_unit() -> None:
    for spec in data_sheets():
        assert spec.description_en and spec.description_zh
        for col in (*spec.columns, *PARAMETER_ROWS):
            assert col.header_en and col.header_zh and col.comment_en and col.comment_zh, col.key
            assert col.unit == "" or col.unit in UNIT_ZH, col.unit
            if col.type == "enum":
                assert col.allowed and len(col.allowed_zh) == len(col.allowed)


def test_references_point_at_sheets_whose_first_column_is_the_id() -> None:
    for spec in data_sheets():
        for col in spec.columns:
            for target in ref_sheets(col.ref):
                assert sheet(target).columns[0].key == "id", (spec.key, col.key)


def test_header_shows_the_unit_in_the_chosen_language() -> None:
    supply = sheet("supply").column("supply_t_per_year")
    assert header(supply, "en") == "Supply (t/yr)"
    assert header(supply, "zh") == "供应量 (吨/年)"
    assert header(sheet("grades").column("id")) == "Grade id"


def test_normalize_folds_case_space_underscore_and_full_width() -> None:
    assert normalize(" Collection_Points ") == normalize("collectionpoints")
    assert normalize("供应量（吨/年）") == normalize("供应量 (吨/年)")


def test_unknown_sheet_key_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="grades"):
        sheet("nope")


def _numeric_columns() -> list[schema.ColumnSpec]:
    return [c for spec in data_sheets() for c in (*spec.columns, *PARAMETER_ROWS) if c.is_number]


def test_every_number_has_a_limit_the_solvers_can_compute_with_and_a_typical_range_inside_it() -> None:
    """The ranges live here; a typical range (warnings) lies inside the valid one (errors)."""
    for col in _numeric_columns():
        limit = col.magnitude_limit
        assert 0 < limit <= schema.MAGNITUDE_LIMIT, col.key
        if col.typical_max is not None:
            assert col.typical_max <= limit and (col.max_value is None or col.typical_max <= col.max_value)
        if col.typical_min is not None:
            assert col.min_value is None or col.typical_min >= col.min_value, col.key


def test_the_quantities_issue_11_found_passing_have_bounds() -> None:
    supply = sheet("supply").column("supply_t_per_year")
    assert supply.magnitude_limit == 1e9 and supply.typical_max == 1_000_000
    assert sheet("capacity_modules").column("capacity_t_per_year").magnitude_limit == 1e9
    assert sheet("vehicle_types").column("count_per_depot").magnitude_limit == 1_000
    year = schema.parameter_row("planning_year")
    assert (year.min_value, year.max_value, year.typical_min, year.typical_max) == (1900, 9999, 2000, 2100)
    assert schema.FAR_NODE_WARNING_KM < schema.FAR_NODE_MISPLACED_KM


def test_expected_values_state_the_meaning_range_and_never_a_long_number() -> None:
    assert sheet("supply").column("supply_t_per_year").expected() == "supply in t/yr (a number >= 0)"
    assert sheet("grades").column("copper_content").expected() == "copper content (a number > 0 and <= 1)"
    assert sheet("vehicle_types").column("max_shift_h").expected() == (
        "max. shift in hours (a number > 0 and <= 24)"
    )
    assert [schema.format_number(x) for x in (0, 0.5, 24, 2026, 200_000, 1e9, 1e308)] == [
        "0", "0.5", "24", "2026", "200,000", "1e+09", "1e+308",
    ]


def test_every_text_column_is_held_to_excels_cell_limit() -> None:
    assert schema.EXCEL_CELL_MAX_CHARS == 32_767
    texts = [c.key for spec in data_sheets() for c in spec.columns if c.is_text]
    assert {"id", "name", "province", "accepted_grade_ids", "depot_ids", "from_id"} <= set(texts)


def test_renamed_parameters_still_read_under_their_old_names() -> None:
    """"Target utilisation" / 目标产能利用率 read as the utilization target it always was."""
    target = schema.parameter_row("target_utilization")
    assert (target.header_en, target.header_zh) == ("Utilization target", "再生铜利用率目标")
    assert normalize("Target utilisation") in header_keys(target)
    assert normalize("目标产能利用率") in header_keys(target)
