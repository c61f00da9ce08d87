"""Supply growth per grade and province (the optional Growth sheet), on top of the Periods factor.

The network is :func:`tests.optimizer.io.workbooks.small_network`: CP-1 in Jiangsu sells 100 t of No1
and 50 t of No2 a year, CP-2 in Zhejiang 20 t of No1 and 80 t of No2. The Periods sheet has 2025 (factor
1), 2026 (1.05) and 2027 (1.10).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.periods import period_inputs, year_network
from optimizer.design.plan import PlanStatus
from optimizer.io import read_network, write_network
from optimizer.io.loading import load_network
from optimizer.model import Network, Period, SupplyGrowth, supply_growth_factor
from tests.optimizer.design.test_multiyear import one_center
from tests.optimizer.io.workbooks import small_network

GROWTH = (
    SupplyGrowth(2027, "", "", 1.02),  # every grade everywhere
    SupplyGrowth(2027, "No2", "", 1.2),  # No2 everywhere
    SupplyGrowth(2027, "", "Zhejiang", 1.5),  # every grade in Zhejiang
    SupplyGrowth(2027, "No2", "Zhejiang", 2.0),  # No2 in Zhejiang
    SupplyGrowth(2026, "No1", "jiangsu", 0.5),  # province names match ignoring case
)


def growing() -> Network:
    periods = (Period(2025), Period(2026, supply_factor=1.05), Period(2027, supply_factor=1.10))
    return small_network().replace(periods=periods, growth=GROWTH)


def _supply(network: Network, year: int) -> dict[str, float]:
    [period] = [p for p in period_inputs(network) if p.year == year]
    one_year = year_network(network, period)
    return {
        f"{cp.id}/{s.grade_id}": s.supply_t_per_year for cp in one_year.collection_points for s in cp.supplies
    }


def test_the_supply_of_a_grade_in_a_province_in_2027_by_hand() -> None:
    """2027 (Periods factor 1.10): the most specific matching row counts, times 1.10.
    CP-1/No1 (Jiangsu): only the row for every grade everywhere, 100 x 1.10 x 1.02 = 112.2;
    CP-1/No2: No2 everywhere, 50 x 1.10 x 1.2 = 66; CP-2/No1 (Zhejiang): every grade in Zhejiang,
    20 x 1.10 x 1.5 = 33; CP-2/No2: No2 in Zhejiang, 80 x 1.10 x 2 = 176."""
    assert _supply(growing(), 2027) == pytest.approx(
        {"CP-1/No1": 112.2, "CP-1/No2": 66.0, "CP-2/No1": 33.0, "CP-2/No2": 176.0}
    )


def test_a_year_without_growth_rows_has_only_its_period_factor() -> None:
    """2026: only CP-1's No1 has a row (0.5): 100 x 1.05 x 0.5 = 52.5; the rest x 1.05. 2025: as on the
    Supply sheet."""
    assert _supply(growing(), 2026) == pytest.approx(
        {"CP-1/No1": 52.5, "CP-1/No2": 52.5, "CP-2/No1": 21.0, "CP-2/No2": 84.0}
    )
    assert _supply(growing(), 2025) == {
        "CP-1/No1": 100.0,
        "CP-1/No2": 50.0,
        "CP-2/No1": 20.0,
        "CP-2/No2": 80.0,
    }


def test_the_most_specific_row_wins_in_any_order() -> None:
    for rows in (GROWTH, tuple(reversed(GROWTH))):
        assert supply_growth_factor(rows, 2027, "No2", "Zhejiang") == 2.0
        assert supply_growth_factor(rows, 2027, "No1", "Zhejiang") == 1.5
        assert supply_growth_factor(rows, 2027, "No2", "Jiangsu") == 1.2
        assert supply_growth_factor(rows, 2027, "No1", "Anhui") == 1.02
        assert supply_growth_factor(rows, 2030, "No1", "Anhui") == 1.0  # no row that year


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_growth_sheet_round_trips(tmp_path: Path, lang: str) -> None:
    path = tmp_path / f"growth_{lang}.xlsx"
    write_network(growing(), path, lang=lang)
    result = read_network(path)
    assert result.issues == []
    assert result.network == growing()


def test_a_workbook_without_a_growth_sheet_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "net.xlsx"
    write_network(small_network(), path)
    network = read_network(path).network
    assert network is not None and network.growth == ()


def test_growth_errors_are_located_in_the_workbook_in_both_languages(tmp_path: Path) -> None:
    bad = growing().replace(
        growth=(
            SupplyGrowth(2029, "No1", "Jiangsu", 1.1),  # Growth row 2: no period starts in 2029
            SupplyGrowth(2027, "Cu99", "", 1.1),  # row 3: no such grade
            SupplyGrowth(2027, "", "Hainan", 1.1),  # row 4: no collection point there
            SupplyGrowth(2027, "No2", "", -1.0),  # row 5: negative
            SupplyGrowth(2026, "No1", "Zhejiang", 1.1),  # row 6
            SupplyGrowth(2026, "No1", "zhejiang", 1.3),  # row 7: the same year, grade and province
        )
    )
    path = tmp_path / "bad.xlsx"
    write_network(bad, path)
    issues = {i.code: i for i in load_network(path).issues if i.entity == "growth"}
    cells = {code: str(issue.cell) for code, issue in issues.items()}
    assert cells == {
        "growth.unknown_year": "Growth!A2",
        "growth.unknown_grade": "Growth!B3",
        "growth.unknown_province": "Growth!C4",
        "value": "Growth!D5",
        "growth.repeated": "Growth!A7",
    }
    assert all(i.is_error for i in issues.values())
    assert "expected the first year of a period (2025, 2026, 2027)" in issues["growth.unknown_year"].message
    zh = issues["growth.unknown_province"].text("zh")
    assert '省份 "Hainan" 没有任何回收点' in zh and "Jiangsu" in zh


def test_growth_of_a_grade_makes_a_site_pay_from_year_two() -> None:
    """:func:`one_center` without Periods growth (factor 1 both years) but a Growth row tripling grade A
    in Zhejiang in 2026: the same sums as supply tripling on the Periods sheet. 2025 alone loses
    36,000 - 50,000 opex; 2026 earns 3 x 36,000 - 50,000 - 20,000 capex = 38,000, so S1 is built for
    2026. A less specific row for every grade everywhere (0.1) does not count where that row matches."""
    flat = one_center(factors=(1.0, 1.0))
    assert solve_multiyear(flat).builds == ()  # without growth S1 never pays
    grown = flat.replace(growth=(SupplyGrowth(2026, "", "", 0.1), SupplyGrowth(2026, "A", "Zhejiang", 3.0)))
    plan = solve_multiyear(grown)
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert [(b.site_id, b.year) for b in plan.builds] == [("S1", 2026)]
    assert plan.npv_cny == pytest.approx(38_000.0)
    # the Periods factor multiplies: 1.5 on the Periods sheet x 2 on the Growth sheet is 3 again
    half = one_center(factors=(1.0, 1.5)).replace(growth=(SupplyGrowth(2026, "A", "", 2.0),))
    assert solve_multiyear(half).npv_cny == pytest.approx(38_000.0)
