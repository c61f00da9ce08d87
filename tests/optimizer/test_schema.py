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
