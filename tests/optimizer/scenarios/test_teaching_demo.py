"""The trainer's price demo: on the teaching sample a lower copper price lowers profit, because every
buyer's price is linked to it; only the motors' fixed purchase prices stay where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve
from optimizer.io.loading import load_network
from optimizer.model import PriceBasis
from optimizer.prices import fixed_prices
from optimizer.scenarios.factors import apply_factor

TEACHING = Path(__file__).resolve().parents[3] / "sample_networks" / "teaching.xlsx"


def test_profit_falls_with_the_copper_price() -> None:
    network = load_network(TEACHING).network
    assert network is not None
    assert {m.id: m.price_basis for m in network.smelters} == {
        "M-NB": PriceBasis.LINKED,
        "M-TL": PriceBasis.LINKED,
    }
    assert network.smelters[1].price_at(75_000.0) == 73_300.0  # Tongling: the copper price minus 1,700
    profits = {}
    for price in (60_000.0, 75_000.0):
        plan = solve(apply_factor(network, "copper_price", price), SolveOptions(threads=1))
        assert plan.kpis is not None
        profits[price] = plan.kpis.profit_cny
    assert profits[75_000.0] == pytest.approx(35.80e6, rel=1e-3)
    assert profits[60_000.0] == pytest.approx(25.33e6, rel=1e-3)
    assert {(f.kind, f.subject_id.split("/")[-1]) for f in fixed_prices(network)} == {
        ("purchase price", "MOT")
    }
