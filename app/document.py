"""The one document every view renders: the network's scenarios, their plans and the undo stack.

Views never talk to each other. They read :class:`NetworkDocument`, listen to its signals and send
every edit back as an undoable command. Networks are immutable, so an edit is "replace the scenario's
network by a new one"; undo puts the previous object back, which also lets a plan know exactly whether
it was solved on the network now shown (object identity) — that is what "stale" means.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from optimizer import Plan, RoutePlan
from optimizer.model import CollectionPoint, Network, Parameters, ProcessingSite, Smelter


@dataclass(eq=False)
class Scenario:
    """A named variant of the network with the plans solved on it.

    ``plan_network`` is the network object the current plan was solved on; the plan is stale as soon as
    the scenario's network is another object (an edit happened since, or during the solve).
    ``plan`` is the plan shown; ``solved_plan`` the last plan of a Solve, kept while a point of the
    trade-off sweep is shown, so a sweep never silently replaces it. ``restored`` is True for plans read
    back from the project file.
    """

    name: str
    network: Network
    plan: Plan | None = None
    plan_network: Network | None = None
    pareto: list[Plan] = field(default_factory=list)
    pareto_network: Network | None = None
    route_plan: RoutePlan | None = None
    route_network: Network | None = None
    solved_plan: Plan | None = None
    solved_network: Network | None = None
    restored: bool = False

    @property
    def sweep_index(self) -> int | None:
        """Which point of the trade-off sweep the shown plan is (0-based), or None for a Solve's plan."""
        if self.plan is None or self.plan is self.solved_plan:
            return None
        return next((i for i, p in enumerate(self.pareto) if p is self.plan), None)

    @property
    def plan_stale(self) -> bool:
        return self.plan is not None and self.plan_network is not self.network

    @property
    def routes_stale(self) -> bool:
        return self.route_plan is not None and self.route_network is not self.network


def plan_years(plan: Plan | None) -> list[int]:
    """The calendar years a multi-year plan covers (its cash-flow years); [] for a one-year plan."""
    if not isinstance(plan, Plan) or not plan.year_plans:
        return []
    return sorted({p.year for p in plan.periods})


def plan_of_year(plan: Plan, year: int, network: Network) -> Plan:
    """The plan of the period holding ``year`` (``plan`` itself for a one-year plan or an unknown year).

    A period of the Periods sheet may last several years; ``year_plans`` has one plan per period, in the
    order of the periods (``network`` is the one the plan was solved on).
    """
    if not plan.year_plans:
        return plan
    years = plan_years(plan)
    if len(years) == len(plan.year_plans):
        return plan.year_plans[years.index(year)] if year in years else plan
    periods = sorted(network.periods, key=lambda p: p.year)
    for index, period in enumerate(periods[: len(plan.year_plans)]):
        if period.year <= year < period.year + max(1, period.length_years):
            return plan.year_plans[index]
    return plan


class ReplaceNetworkCommand(QUndoCommand):
    """Replaces one scenario's network by an edited copy; undo restores the exact previous object."""

    def __init__(self, doc: NetworkDocument, scenario: Scenario, after: Network, text: str) -> None:
        super().__init__(text)
        self._doc = doc
        self._scenario = scenario
        self._before = scenario.network
        self._after = after

    def redo(self) -> None:
        self._doc._install_network(self._scenario, self._after)

    def undo(self) -> None:
        self._doc._install_network(self._scenario, self._before)


class AddScenarioCommand(QUndoCommand):
    def __init__(self, doc: NetworkDocument, scenario: Scenario, index: int, text: str) -> None:
        super().__init__(text)
        self._doc, self._scenario, self._index = doc, scenario, index

    def redo(self) -> None:
        self._doc._insert_scenario(self._index, self._scenario)

    def undo(self) -> None:
        self._doc._remove_scenario(self._scenario)


class DeleteScenarioCommand(QUndoCommand):
    def __init__(self, doc: NetworkDocument, scenario: Scenario, text: str) -> None:
        super().__init__(text)
        self._doc, self._scenario = doc, scenario
        self._index = doc.scenarios.index(scenario)

    def redo(self) -> None:
        self._doc._remove_scenario(self._scenario)

    def undo(self) -> None:
        self._doc._insert_scenario(self._index, self._scenario)


class RenameScenarioCommand(QUndoCommand):
    def __init__(self, doc: NetworkDocument, scenario: Scenario, new_name: str, text: str) -> None:
        super().__init__(text)
        self._doc, self._scenario = doc, scenario
        self._old, self._new = scenario.name, new_name

    def redo(self) -> None:
        self._doc._rename_scenario(self._scenario, self._new)

    def undo(self) -> None:
        self._doc._rename_scenario(self._scenario, self._old)


class NetworkDocument(QObject):
    """The open project: scenarios (the first is the base network), plans, file path, undo stack.

    Signals
    -------
    networkChanged
        The current scenario's network was replaced (edit, undo, redo, load, scenario switch).
    planChanged
        The current scenario's plan, Pareto front or routes changed, or became stale/fresh.
    scenariosChanged
        A scenario was added, removed or renamed, or the current one changed.
    selectionChanged(list, str)
        Node ids selected, and which view selected them (so it does not echo its own selection).
    dirtyChanged(bool), pathChanged(str)
        For the window title and the unsaved-changes prompt.
    selectedYearChanged(int)
        The year the views show of a multi-year plan changed (``selected_year``; 0 when the current
        plan has no years). A new plan keeps the year shown if it has it, else shows its last year.
    planAttached(Plan, Scenario)
        A solve's plan was attached to a scenario, the current one or another (``set_plan``): the
        Solve panel ends its figures with it, whichever view started the solve.
    """

    networkChanged = Signal()
    planChanged = Signal()
    scenariosChanged = Signal()
    selectionChanged = Signal(list, str)
    dirtyChanged = Signal(bool)
    pathChanged = Signal(str)
    selectedYearChanged = Signal(int)
    planAttached = Signal(object, object)

    def __init__(self, network: Network | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._scenarios: list[Scenario] = [Scenario("Base", network or Network())]
        self._current = 0
        self._path: Path | None = None
        self._selection: list[str] = []
        self._compared: list[str] = []
        self._year: int | None = None
        # connected before any view, so a view redrawing on planChanged already sees the year it shows
        self.planChanged.connect(self._sync_year)

    # ---- reading -------------------------------------------------------------------------------
    @property
    def scenarios(self) -> list[Scenario]:
        return list(self._scenarios)

    @property
    def current(self) -> Scenario:
        return self._scenarios[self._current]

    @property
    def current_index(self) -> int:
        return self._current

    @property
    def network(self) -> Network:
        return self.current.network

    @property
    def plan(self) -> Plan | None:
        return self.current.plan

    @property
    def path(self) -> Path | None:
        return self._path

    # ---- the year shown of a multi-year plan ---------------------------------------------------
    @property
    def years(self) -> list[int]:
        """The calendar years of the current plan, first to last ([] for a one-year plan)."""
        return plan_years(self.plan)

    @property
    def selected_year(self) -> int | None:
        """The year of the current multi-year plan the views show (None for a one-year plan)."""
        return self._year

    @property
    def year_plan(self) -> Plan | None:
        """The current plan as the views show it: the selected year's own plan (sites, flows, KPIs of
        that year) for a multi-year plan, the plan itself otherwise."""
        plan = self.plan
        if plan is None or self._year is None:
            return plan
        return plan_of_year(plan, self._year, self.current.plan_network or self.network)

    def set_selected_year(self, year: int | None) -> None:
        """Show ``year`` of the current plan (ignored if the plan has no such year)."""
        years = self.years
        if year is not None and year not in years:
            return
        if year is None:
            year = years[-1] if years else None
        if year != self._year:
            self._year = year
            self.selectedYearChanged.emit(year or 0)

    def _sync_year(self) -> None:
        years = self.years
        year = self._year if self._year in years else (years[-1] if years else None)
        if year != self._year:
            self._year = year
            self.selectedYearChanged.emit(year or 0)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def selection(self) -> list[str]:
        return list(self._selection)

    # ---- whole-document changes (not undoable: they start a new history) -----------------------
    def load(
        self,
        network: Network,
        path: Path | None = None,
        extra: list[tuple[str, Network]] | None = None,
        base_name: str = "Base",
    ) -> None:
        """Replace everything by ``network`` (and extra named scenarios), clearing history and plans."""
        for _step in self.load_steps(network, path, extra, base_name):
            pass

    def load_steps(
        self,
        network: Network,
        path: Path | None = None,
        extra: list[tuple[str, Network]] | None = None,
        base_name: str = "Base",
    ) -> Iterator[str]:
        """:meth:`load` in steps: the document changes at once, then each signal is sent in its own step.

        The window runs one step per turn of the event loop (``JobRunner`` slices), so the views that
        redraw on each signal (the scenario list on ``scenariosChanged``; the map, the tables and the
        solve panel on ``networkChanged``; the results on ``planChanged``) never add up to one long
        pause while the national network opens. Between steps the document is already the new one;
        a view told later only still shows the old network for a turn. Yields the signal's name.
        """
        self._scenarios = [Scenario(base_name, network)]
        self._scenarios += [Scenario(name, net) for name, net in (extra or [])]
        self._current = 0
        self._selection = []
        self._compared = []
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._path = path
        self.scenariosChanged.emit()
        yield "scenariosChanged"
        self.networkChanged.emit()
        yield "networkChanged"
        self.planChanged.emit()
        yield "planChanged"
        # the title names the new file only once the views show it (it changed a second early before)
        self.pathChanged.emit(str(path) if path else "")
        self.dirtyChanged.emit(False)
        yield "pathChanged"

    def set_path(self, path: Path | None) -> None:
        self._path = path
        self.pathChanged.emit(str(path) if path else "")

    def mark_saved(self, path: Path) -> None:
        self.set_path(path)
        self.undo_stack.setClean()

    # ---- edits (every one is an undo command) --------------------------------------------------
    def apply(self, network: Network, text: str, scenario: Scenario | None = None) -> None:
        """Make ``network`` the new network of ``scenario`` (default: the current one), undoably."""
        target = scenario or self.current
        if network == target.network:
            return
        self.undo_stack.push(ReplaceNetworkCommand(self, target, network, text))

    def move_node(self, node_id: str, lat: float, lon: float, text: str = "Move node") -> None:
        """Move a collection point, site or smelter to (lat, lon) degrees."""
        net = self.network

        def moved(items: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(dataclasses.replace(n, lat=lat, lon=lon) if n.id == node_id else n for n in items)

        node = net.node(node_id)
        if isinstance(node, CollectionPoint):
            new = net.replace(collection_points=moved(net.collection_points))
        elif isinstance(node, ProcessingSite):
            new = net.replace(sites=moved(net.sites))
        elif isinstance(node, Smelter):
            new = net.replace(smelters=moved(net.smelters))
        else:  # pragma: no cover - Network.node only yields these three kinds
            raise TypeError(type(node))
        self.apply(new, text)

    def add_node(self, node: CollectionPoint | ProcessingSite | Smelter, text: str = "Add node") -> None:
        net = self.network
        if isinstance(node, CollectionPoint):
            new = net.replace(collection_points=(*net.collection_points, node))
        elif isinstance(node, ProcessingSite):
            new = net.replace(sites=(*net.sites, node))
        else:
            new = net.replace(smelters=(*net.smelters, node))
        self.apply(new, text)

    def set_parameters(self, parameters: Parameters, text: str = "Change parameters") -> None:
        self.apply(self.network.replace(parameters=parameters), text)

    def set_parameter(self, name: str, value: Any, text: str = "Change parameter") -> None:
        self.set_parameters(dataclasses.replace(self.network.parameters, **{name: value}), text)

    # ---- scenarios -----------------------------------------------------------------------------
    def unique_scenario_name(self, stem: str) -> str:
        names = {s.name for s in self._scenarios}
        if stem not in names:
            return stem
        n = 2
        while f"{stem} ({n})" in names:
            n += 1
        return f"{stem} ({n})"

    def duplicate_scenario(self, name: str | None = None, text: str = "Duplicate scenario") -> Scenario:
        """Copy the current scenario's network (not its plans) into a new scenario and switch to it."""
        src = self.current
        copy = Scenario(self.unique_scenario_name(name or f"{src.name} copy"), src.network)
        self.undo_stack.push(AddScenarioCommand(self, copy, len(self._scenarios), text))
        self.set_current_scenario(self._scenarios.index(copy))
        return copy

    def rename_scenario(self, scenario: Scenario, name: str, text: str = "Rename scenario") -> None:
        name = name.strip()
        if not name or name == scenario.name:
            return
        if any(s.name == name for s in self._scenarios if s is not scenario):
            raise ValueError(f"A scenario named {name!r} already exists")
        self.undo_stack.push(RenameScenarioCommand(self, scenario, name, text))

    def delete_scenario(self, scenario: Scenario, text: str = "Delete scenario") -> None:
        if len(self._scenarios) <= 1:
            raise ValueError("The last scenario cannot be deleted")
        self.undo_stack.push(DeleteScenarioCommand(self, scenario, text))

    def set_current_scenario(self, index: int) -> None:
        """Switch the scenario the views show and edit (a view change, not an undoable edit)."""
        index = max(0, min(index, len(self._scenarios) - 1))
        if index == self._current:
            return
        self._current = index
        self._selection = []
        self.scenariosChanged.emit()
        self.networkChanged.emit()
        self.planChanged.emit()

    # ---- plans ---------------------------------------------------------------------------------
    def set_plan(self, plan: Plan | None, solved_network: Network, scenario: Scenario | None = None) -> None:
        """Attach ``plan`` (solved on ``solved_network``) to a scenario; stale if it was edited since."""
        target = scenario or self.current
        target.plan = plan
        target.plan_network = solved_network
        if plan is None or all(plan is not p for p in target.pareto):
            target.solved_plan, target.solved_network = plan, solved_network
        target.restored = False
        if target is self.current:
            self.planChanged.emit()
        if plan is not None:
            self.planAttached.emit(plan, target)

    def show_sweep_point(self, index: int, scenario: Scenario | None = None) -> None:
        """Show point ``index`` of the scenario's trade-off sweep (the Solve's plan is kept)."""
        target = scenario or self.current
        if 0 <= index < len(target.pareto):
            target.plan = target.pareto[index]
            target.plan_network = target.pareto_network or target.network
            if target is self.current:
                self.planChanged.emit()

    def show_solved_plan(self, scenario: Scenario | None = None) -> None:
        """Show the scenario's last Solve plan again (after looking at sweep points)."""
        target = scenario or self.current
        if target.solved_plan is not None:
            target.plan, target.plan_network = target.solved_plan, target.solved_network
            if target is self.current:
                self.planChanged.emit()

    @property
    def compared(self) -> list[str]:
        """Names of the scenarios ticked for comparison (kept with the project)."""
        return [n for n in self._compared if any(s.name == n for s in self._scenarios)]

    def set_compared(self, names: list[str]) -> None:
        self._compared = list(names)

    def set_pareto(
        self, plans: list[Plan], solved_network: Network, scenario: Scenario | None = None
    ) -> None:
        target = scenario or self.current
        target.pareto = list(plans)
        target.pareto_network = solved_network
        if plans and target.plan is None:
            target.plan, target.plan_network = plans[0], solved_network
        if target is self.current:
            self.planChanged.emit()

    def set_route_plan(
        self, routes: RoutePlan | None, solved_network: Network, scenario: Scenario | None = None
    ) -> None:
        target = scenario or self.current
        target.route_plan = routes
        target.route_network = solved_network
        if target is self.current:
            self.planChanged.emit()

    # ---- selection -----------------------------------------------------------------------------
    def select(self, node_ids: list[str], source: str = "") -> None:
        """Select nodes by id; ``source`` names the view that did it so it can ignore the echo."""
        if node_ids == self._selection:
            return
        self._selection = list(node_ids)
        self.selectionChanged.emit(list(node_ids), source)

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    # ---- called by the undo commands only ------------------------------------------------------
    def _install_network(self, scenario: Scenario, network: Network) -> None:
        # Undoing an edit made in another scenario first shows that scenario, so nothing changes unseen.
        if scenario is not self.current and scenario in self._scenarios:
            scenario.network = network
            self._current = self._scenarios.index(scenario)
            self._selection = []
            self.scenariosChanged.emit()
            self.networkChanged.emit()
            self.planChanged.emit()
            return
        was_stale = scenario.plan_stale
        scenario.network = network
        self.networkChanged.emit()
        if scenario.plan_stale != was_stale:
            self.planChanged.emit()

    def _insert_scenario(self, index: int, scenario: Scenario) -> None:
        current = self.current
        self._scenarios.insert(index, scenario)
        self._current = self._scenarios.index(current)
        self.scenariosChanged.emit()

    def _remove_scenario(self, scenario: Scenario) -> None:
        was_current = scenario is self.current
        current = self.current
        self._scenarios.remove(scenario)
        if was_current:
            self._current = min(self._current, len(self._scenarios) - 1)
        else:
            self._current = self._scenarios.index(current)
        self.scenariosChanged.emit()
        if was_current:
            self.networkChanged.emit()
            self.planChanged.emit()

    def _rename_scenario(self, scenario: Scenario, name: str) -> None:
        self._compared = [name if n == scenario.name else n for n in self._compared]
        scenario.name = name
        self.scenariosChanged.emit()
