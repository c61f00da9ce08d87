"""The sample networks: they load cleanly, match what their README says, and are what the generator makes.

The workbooks in ``sample_networks/`` are committed files that users open; the generator
``sample_networks/build_samples.py`` is their source. These tests catch a workbook that was not
regenerated after the generator changed, a README whose figures went stale, and data that breaks the
physics of the model (copper created by a yield table, a visit's load that no truck can carry).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve
from optimizer.model import Network
from tests.conftest import SAMPLE_DIR

README = SAMPLE_DIR / "README.md"

FIXTURE_OF = {
    "teaching.xlsx": "teaching_network",
    "yangtze_delta.xlsx": "yangtze_network",
    "china_national.xlsx": "national_network",
}


def load_generator() -> ModuleType:
    """``sample_networks/build_samples.py`` as a module (it is a script, not part of the package)."""
    name = "build_samples"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLE_DIR / "build_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def readme_sizes() -> dict[str, list[str]]:
    """The README's table of sizes: workbook -> its cells, as written (thousands separators included)."""
    rows: dict[str, list[str]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([a-z_]+\.xlsx)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def number(cell: str) -> float:
    return float(cell.replace(",", ""))


@pytest.fixture(params=list(FIXTURE_OF))
def sample(request: pytest.FixtureRequest) -> tuple[str, Network]:
    """Each sample workbook's name and network (through the session fixtures of tests/conftest.py)."""
    filename: str = request.param
    return filename, request.getfixturevalue(FIXTURE_OF[filename])


def test_readme_lists_every_sample() -> None:
    assert set(readme_sizes()) == set(FIXTURE_OF)


def test_sizes_match_the_readme(sample: tuple[str, Network]) -> None:
    filename, network = sample
    cells = readme_sizes()[filename]
    counts = [int(number(c)) for c in cells[:6]]
    assert counts == [
        len(network.collection_points),
        len(network.dismantling_sites),
        len(network.sorting_centers),
        len(network.smelters),
        len(network.grades),
        len(network.vehicle_types),
    ]


def test_supply_totals_match_the_readme(sample: tuple[str, Network]) -> None:
    filename, network = sample
    cells = readme_sizes()[filename]
    assert number(cells[6]) == pytest.approx(sum(network.total_supply_t().values()), abs=0.5)
    assert number(cells[7]) == pytest.approx(sum(network.total_supply_t_cu().values()), abs=0.5)


def test_workbook_is_what_the_generator_builds(sample: tuple[str, Network]) -> None:
    """Regenerating gives the same networks (compared as objects, not bytes)."""
    filename, network = sample
    assert load_generator().SAMPLES[filename]() == network


def test_generator_is_deterministic() -> None:
    gen = load_generator()
    assert gen.yangtze_network() == gen.yangtze_network()


def test_no_yield_table_creates_copper(sample: tuple[str, Network]) -> None:
    _, network = sample
    cu = network.copper_content()
    for site in network.sites:
        for grade_id in site.accepted_grade_ids:
            out_cu = sum(y.fraction * cu[y.output_grade_id] for y in site.outputs_of(grade_id))
            assert out_cu <= cu[grade_id] + 1e-9, (site.id, grade_id)


def test_every_visit_fits_the_largest_truck(sample: tuple[str, Network]) -> None:
    _, network = sample
    p = network.parameters
    largest = max(v.payload_t for v in network.vehicle_types)
    for cp in network.collection_points:
        per_visit_t = cp.total_supply_t_per_year / (p.weeks_per_year * cp.visits_per_week)
        assert per_visit_t <= largest, cp.id


def test_supply_per_grade_is_in_the_stated_range(sample: tuple[str, Network]) -> None:
    """50-2,000 t/yr per grade and point, as the README (after domain research section 3.7) says."""
    _, network = sample
    for cp in network.collection_points:
        for s in cp.supplies:
            assert 50.0 <= s.supply_t_per_year <= 2_000.0, (cp.id, s.grade_id)


def test_national_covers_every_province(national_network: Network) -> None:
    provinces = {cp.province for cp in national_network.collection_points}
    assert len(provinces) == 31  # 22 provinces, 5 autonomous regions, 4 municipalities
    for cp in national_network.collection_points:
        assert 18.0 <= cp.lat <= 53.6 and 73.5 <= cp.lon <= 135.1, cp.id


def test_annuity_matches_the_readme() -> None:
    """The README quotes the 10-year, 6 % annuity factor as 0.13587."""
    assert load_generator().annuity_factor() == pytest.approx(0.13587, abs=5e-6)


def test_teaching_plan_is_the_one_the_readme_explains(teaching_network: Network) -> None:
    """The plan of README section "The plan a trainer should expect", solved with the default options."""
    plan = solve(teaching_network, SolveOptions())
    assert plan.status is PlanStatus.OPTIMAL
    assert {s.site_id: s.module_id for s in plan.sites} == {"D-LQ": "D10", "S-LQ": "S5"}
    sites = {s.site_id: s for s in plan.sites}
    assert sites["D-LQ"].throughput_t == pytest.approx(6_050.0, abs=0.5)
    assert sites["S-LQ"].throughput_t == pytest.approx(12_500.0 / 3.0, abs=0.5)
    smelters = {m.smelter_id: m for m in plan.smelters}
    assert smelters["M-NB"].intake_t == pytest.approx(8_000.0, abs=0.5)
    assert smelters["M-NB"].blended_copper_content == pytest.approx(0.97, abs=1e-6)
    assert smelters["M-TL"].intake_t_by_grade.get("NO2", 0.0) == pytest.approx(1_030.83, abs=0.5)
    assert plan.kpis.collected_t == pytest.approx(sum(teaching_network.total_supply_t().values()), abs=0.5)
    assert plan.kpis.profit_cny == pytest.approx(35_803_946.0, rel=1e-4)
