"""The document: every edit is undoable, plans go stale exactly when the network changes."""

from __future__ import annotations

from app.document import NetworkDocument
from optimizer.model import CollectionPoint, Network


def test_edit_undo_redo_restores_the_exact_network(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    changes: list[int] = []
    doc.networkChanged.connect(lambda: changes.append(1))

    doc.set_parameter("copper_price_cny_per_t", 80_000.0)
    assert doc.network.parameters.copper_price_cny_per_t == 80_000.0
    assert doc.dirty

    doc.undo_stack.undo()
    assert doc.network is tiny_network
    assert not doc.dirty

    doc.undo_stack.redo()
    assert doc.network.parameters.copper_price_cny_per_t == 80_000.0
    assert len(changes) == 3


def test_move_and_add_node_are_undoable(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    doc.move_node("DS-01", 31.0, 115.5)
    site = doc.network.node("DS-01")
    assert (site.lat, site.lon) == (31.0, 115.5)

    doc.add_node(CollectionPoint("CP-03", "New yard", 30.0, 114.0))
    assert [c.id for c in doc.network.collection_points] == ["CP-01", "CP-02", "CP-03"]

    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.network is tiny_network


def test_plan_is_stale_after_an_edit_and_fresh_after_undo(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    plan = object()
    doc.set_plan(plan, tiny_network)
    assert not doc.current.plan_stale

    doc.move_node("CP-01", 30.7, 114.3)
    assert doc.current.plan_stale
    doc.undo_stack.undo()
    assert not doc.current.plan_stale


def test_plan_solved_on_an_older_snapshot_arrives_stale(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    snapshot = doc.network
    doc.set_parameter("circuity_factor", 1.2)  # an edit while the solve runs
    doc.set_plan(object(), snapshot)
    assert doc.current.plan_stale


def test_scenarios_duplicate_rename_delete_and_undo(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    copy = doc.duplicate_scenario("High price")
    assert [s.name for s in doc.scenarios] == ["Base", "High price"]
    assert doc.current is copy
    doc.set_parameter("copper_price_cny_per_t", 90_000.0)
    assert doc.scenarios[0].network is tiny_network

    doc.rename_scenario(copy, "Price 90k")
    assert doc.scenarios[1].name == "Price 90k"
    doc.delete_scenario(copy)
    assert [s.name for s in doc.scenarios] == ["Base"]

    doc.undo_stack.undo()  # delete
    doc.undo_stack.undo()  # rename
    assert [s.name for s in doc.scenarios] == ["Base", "High price"]
    doc.set_current_scenario(0)
    doc.undo_stack.undo()  # the price edit belongs to "High price": undo shows that scenario
    assert doc.current is copy
    assert copy.network is tiny_network


def test_load_clears_history(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument()
    doc.set_parameter("circuity_factor", 1.1)
    doc.load(tiny_network)
    assert not doc.undo_stack.canUndo()
    assert doc.network is tiny_network
    assert not doc.dirty


def test_the_selected_year_follows_the_plan_and_finds_a_longer_periods_plan(qtbot) -> None:
    """A period of two years (2026-2027) has one plan in ``year_plans`` and two cash-flow years: the
    year 2027 shows that period's plan. A new plan keeps the year shown; a one-year plan has none."""
    import dataclasses

    from optimizer import MultiYearOptions, Period, solve_multiyear
    from tests.app.test_investment_view import growth_network

    network = growth_network().replace(periods=(Period(2025, 1, 1.0), Period(2026, 2, 3.0)))
    plan = solve_multiyear(network, MultiYearOptions())
    assert [p.year for p in plan.periods] == [2025, 2026, 2027] and len(plan.year_plans) == 2
    doc = NetworkDocument(network)
    years: list[int] = []
    doc.selectedYearChanged.connect(years.append)
    doc.set_plan(plan, network)
    assert doc.years == [2025, 2026, 2027] and doc.selected_year == 2027 and years == [2027]
    assert doc.year_plan is plan.year_plans[1]
    doc.set_selected_year(2025)
    assert doc.year_plan is plan.year_plans[0] and years == [2027, 2025]
    doc.set_selected_year(2031)  # not a year of the plan: nothing changes
    assert doc.selected_year == 2025
    doc.set_plan(dataclasses.replace(plan), network)  # another plan over the same years keeps 2025
    assert doc.selected_year == 2025 and years == [2027, 2025]
    one_year = dataclasses.replace(plan, year_plans=())
    doc.set_plan(one_year, network)
    assert doc.years == [] and doc.selected_year is None and doc.year_plan is one_year
    assert years == [2027, 2025, 0]
