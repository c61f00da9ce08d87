"""Factors: what their text means, what they change in a network, and the scenarios they make."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.model import SiteStatus
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.factors import FactorError, apply_factor, apply_factors, parse_factor
from tests.optimizer.scenarios.networks import one_site


def test_a_range_includes_both_ends_and_a_list_keeps_its_order() -> None:
    assert parse_factor("copper_price=60000:90000:10000").values == (60_000.0, 70_000.0, 80_000.0, 90_000.0)
    assert parse_factor("supply=1.2,0.8").values == (1.2, 0.8)
    # a step that does not divide the range still ends at stop
    assert parse_factor("carbon_price=0:100:30").values == (0.0, 30.0, 60.0, 90.0, 100.0)
    assert parse_factor("unavailable=none,S1").values == ("none", "S1")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("copper_price", "expected name=a,b,c"),
        ("colour=1,2", 'unknown factor "colour"'),
        ("supply=a,b", '"a" is not a number'),
        ("supply=1:0:0.1", "must go up"),
        ("supply=0:1:0", "step must be more than 0"),
        ("param.network_name=1", "no numeric parameter"),
    ],
)
def test_bad_factors_say_what_was_expected(text: str, words: str) -> None:
    with pytest.raises(FactorError, match=words):
        parse_factor(text)


def test_factors_change_the_network() -> None:
    net = one_site()
    assert apply_factor(net, "copper_price", 60_000.0).parameters.copper_price_cny_per_t == 60_000.0
    assert apply_factor(net, "supply", 0.5).total_supply_t() == {"A": 50.0}
    assert apply_factor(net, "supply.grade.A", 2.0).total_supply_t() == {"A": 200.0}
    assert apply_factor(net, "supply.province.Zhejiang", 0.0).total_supply_t() == {"A": 0.0}
    assert apply_factor(net, "capex_factor", 1.5).sites[0].modules[0].fixed_cost_cny_per_year == 744_000.0
    assert apply_factor(net, "unavailable", "S1").sites[0].status is SiteStatus.CLOSED
    assert apply_factor(net, "unavailable", "M1").smelters[0].capacity_t_per_year == 0.0
    assert apply_factor(net, "smelter_capacity.M1", 0.5).smelters[0].capacity_t_per_year == 5_000.0
    assert (
        apply_factor(net, "param.transport_cost_cny_per_t_km", 2.0).parameters.transport_cost_cny_per_t_km
        == 2.0
    )
    assert apply_factors(net, {"unavailable": "none"}) == net
    with pytest.raises(FactorError, match='no grade "B"'):
        apply_factor(net, "supply.grade.B", 1.0)
    with pytest.raises(FactorError, match="neither a site nor a smelter"):
        apply_factor(net, "unavailable", "X9")


def test_a_linked_smelter_price_moves_with_the_copper_price_and_a_fixed_one_does_not() -> None:
    smelter = one_site().smelters[0]
    refiner = dataclasses.replace(smelter, price_discount_cny_per_t_cu=1_700.0)
    assert refiner.price_at(60_000.0) == 58_300.0
    fixed = dataclasses.replace(smelter, price_basis="fixed", price_cny_per_t_cu=73_300.0)
    assert fixed.price_at(60_000.0) == 73_300.0 and not fixed.price_is_linked


def test_the_grid_is_every_combination_first_factor_slowest() -> None:
    definition = SweepDefinition(factors=(parse_factor("copper_price=1,2"), parse_factor("supply=0.5,1,2")))
    assert [tuple(s.values.values()) for s in definition.scenarios()] == [
        (1.0, 0.5),
        (1.0, 1.0),
        (1.0, 2.0),
        (2.0, 0.5),
        (2.0, 1.0),
        (2.0, 2.0),
    ]


def test_latin_hypercube_uses_each_stratum_once_and_repeats_with_its_seed() -> None:
    factors = (parse_factor("copper_price=60000:90000:10000"), parse_factor("supply=0.5,1.5"))
    definition = SweepDefinition(factors=factors, samples=10, seed=7)
    scenarios = definition.scenarios()
    assert len(scenarios) == 10
    for name, lo, hi in (("copper_price", 60_000.0, 90_000.0), ("supply", 0.5, 1.5)):
        strata = sorted(int((s.values[name] - lo) / (hi - lo) * 10) for s in scenarios)  # type: ignore[operator]
        assert strata == list(range(10))
    assert [s.values for s in SweepDefinition(factors=factors, samples=10, seed=7).scenarios()] == [
        s.values for s in scenarios
    ]
    assert [s.values for s in SweepDefinition(factors=factors, samples=10, seed=8).scenarios()] != [
        s.values for s in scenarios
    ]
