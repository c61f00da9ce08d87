"""The one-period multi-year model is the single-year model, on every sample.

With one period, modules without capex (their annualised fixed cost, as the single-year model charges),
taxes and residual value off, the multi-year NPV is the single-year profit. On every sample the two
models are compared term by term: the same arcs, the same objective coefficient and bounds on every
flow and module variable, every single-year row in the one-period model and nothing else but linking
rows (valid inequalities), so every plan has the same objective in both and so do their optima. On
teaching both are also solved to optimality and agree within 1e-6 relative (yangtze_delta took 43 s
that way at load 12). The national sample takes 25-30 s for this comparison alone (two national
builds), too long for a unit test: ``benchmarks/multiyear.py --check-one-period`` runs the same
comparison on it and evaluates the single-year plan on both models.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from optimizer.design.formulation import Requirements, build_model
from optimizer.design.multiyear import MultiYearOptions, build_multiyear_model
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.periods import period_inputs, year_network
from optimizer.design.plan import PlanStatus
from optimizer.design.pulp_access import constraint_table
from optimizer.design.solve import solve
from optimizer.model import Network, VatMethod


def one_period(network: Network) -> Network:
    """The network's first period alone, without capex, taxes or residual value."""
    sites = tuple(
        dataclasses.replace(s, modules=tuple(dataclasses.replace(m, capex_cny=None) for m in s.modules))
        for s in network.sites
    )
    params = dataclasses.replace(
        network.parameters, income_tax_rate=0.0, vat_method=VatMethod.NONE, residual_value="none"
    )
    return network.replace(sites=sites, parameters=params, periods=network.periods[:1])


def single_year_of(network: Network) -> Network:
    return year_network(network, period_inputs(network)[0], operating_fixed=False)


@pytest.mark.parametrize("sample", ["teaching_network", "yangtze_network"])
def test_one_period_model_is_the_single_year_model_term_by_term(
    sample: str, request: pytest.FixtureRequest
) -> None:
    network = one_period(request.getfixturevalue(sample))
    p = network.parameters
    period = period_inputs(network)[0]
    single = build_model(
        single_year_of(network),
        Requirements(period.target_utilization, p.annual_budget_cny, p.max_new_sites),
    )
    multi = build_multiyear_model(network)
    block = multi.years[0]
    assert len(block.arcs) == len(single.arcs)
    for name in ("tail", "head", "grade"):
        assert np.array_equal(getattr(block.arcs, name), getattr(single.arcs, name))
    multi_obj = multi.problem.objective
    single_obj = single.problem.objective
    x_multi = np.array([multi_obj.get(v, 0.0) for v in block.flow])
    x_single = np.array([single_obj.get(v, 0.0) for v in single.flow])
    assert np.allclose(x_multi, x_single, rtol=1e-9, atol=1e-9)
    for key, var in block.module_open.items():
        twin = single.module_open[key]
        assert multi_obj.get(var, 0.0) == pytest.approx(single_obj.get(twin, 0.0), rel=1e-9)
        assert (var.lowBound, var.upBound) == (twin.lowBound, twin.upBound)
    # every single-year row is in the block (same terms, same right-hand side); the block adds only
    # linking rows (valid inequalities the single-year solve separates instead) and no linking rows at all
    # between years with one period
    position = {id(v): n for n, v in enumerate(single.flow)}
    position.update({id(v): -1 - k for k, v in enumerate(single.module_open.values())})
    block_position = {id(v): n for n, v in enumerate(block.flow)}
    block_position.update({id(v): -1 - k for k, v in enumerate(block.module_open.values())})

    def signature(row: object, where: dict[int, int]) -> tuple[object, ...]:
        terms = tuple(sorted((where[id(v)], round(c, 9)) for v, c in row.items()))  # type: ignore[attr-defined]
        return (row.sense, round(-row.constant, 6), terms)  # type: ignore[attr-defined]

    block_rows = {signature(r, block_position) for r in block.constraints.values()}
    missing = [name for name, r in single.constraints.items() if signature(r, position) not in block_rows]
    assert not missing
    extra = set(constraint_table(multi.problem)) - {r.name for r in block.constraints.values()}
    assert not extra


def test_one_period_plan_has_the_single_year_optimum(teaching_network: Network) -> None:
    network = one_period(teaching_network)
    single = solve(single_year_of(network), SolveOptions(objective=Objective.PROFIT, mip_gap=1e-9))
    multi = solve_multiyear(network, MultiYearOptions(mip_gap=1e-9))
    assert single.status is PlanStatus.OPTIMAL and multi.status is PlanStatus.OPTIMAL, multi.message
    assert single.objective is not None and multi.objective is not None
    assert multi.objective == pytest.approx(single.objective, rel=1e-6)
