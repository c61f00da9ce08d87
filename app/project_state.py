"""Plans kept with their scenarios: what the project workbook saves besides the networks, and restoring it.

On save, every scenario's shown plan, its last Solve plan (when a sweep point is shown), its trade-off
sweep and its routes go to the project workbook as JSON text, each with the fingerprint of the network
it was solved on, together with the scenario shown and the scenarios ticked for comparison. On open they
come back: a plan whose network still has that fingerprint is current, one whose network changed since
is restored as out of date, so it is shown with the usual "stale" marks, never as if it were fresh.

Collecting the plans (:func:`collect`) is cheap and happens on the GUI thread; turning them into text
(:func:`to_state`) can take a moment on a national network and may run in a background thread, since
plans and networks are immutable. Reading them back from their text (:func:`parse`) takes seconds for a
national six-year plan (14 MB of JSON: 1.8 s at load 5), so opening a file does it on the worker and
hands :func:`restore` the plans, which then only places them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optimizer import Plan, ProjectState, RoutePlan, SavedPlan, network_fingerprint
from optimizer.model import Network

if TYPE_CHECKING:  # only for the hints: the job process reads plans (parse) without importing Qt
    from app.document import NetworkDocument, Scenario


@dataclass(frozen=True, slots=True)
class _Entry:
    scenario: str
    role: str
    index: int
    result: Plan | RoutePlan
    network: Network
    label: str


@dataclass(frozen=True, slots=True)
class Collected:
    """The document's plans as they are now, ready to be turned into a :class:`ProjectState`."""

    entries: tuple[_Entry, ...]
    current: str
    compared: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Restored:
    """What :func:`restore` brought back: plans restored, and how many of them are out of date."""

    plans: int
    stale: int
    unreadable: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """A project's saved state with its plans already read from their JSON text: ``results[i]`` is
    ``state.plans[i]`` as a plan or routes, or ``None`` when its text does not read."""

    state: ProjectState
    results: tuple[Plan | RoutePlan | None, ...]
    #: the fingerprint of each scenario's network as read, the base first (empty when not taken)
    fingerprints: tuple[str, ...] = ()


def parse(state: ProjectState, networks: tuple[Network, ...] = ()) -> Parsed:
    """Read every saved plan of ``state`` (no Qt, no document: safe on a worker thread or in the job
    process); with plans to check, fingerprint ``networks`` (the scenarios', the base first) too:
    that takes 0.4-0.8 s on the national network, which :func:`restore` then need not."""
    prints = tuple(network_fingerprint(n) for n in networks) if state.plans else ()
    return Parsed(state, tuple(_read(saved) for saved in state.plans), prints)


def _read(saved: SavedPlan) -> Plan | RoutePlan | None:
    try:
        return RoutePlan.from_json(saved.data) if saved.role == "routes" else Plan.from_json(saved.data)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def collect(doc: NetworkDocument) -> Collected:
    entries: list[_Entry] = []
    for s in doc.scenarios:
        if s.plan is not None and s.plan_network is not None:
            sweep = s.sweep_index
            label = "solve" if sweep is None else f"sweep {sweep}"
            entries.append(_Entry(s.name, "plan", 0, s.plan, s.plan_network, label))
            if sweep is not None and s.solved_plan is not None and s.solved_network is not None:
                entries.append(_Entry(s.name, "plan", 1, s.solved_plan, s.solved_network, "solve"))
        if s.pareto_network is not None:
            entries += [
                _Entry(s.name, "pareto", i, p, s.pareto_network, "sweep") for i, p in enumerate(s.pareto)
            ]
        if s.route_plan is not None and s.route_network is not None:
            entries.append(_Entry(s.name, "routes", 0, s.route_plan, s.route_network, "routes"))
    return Collected(tuple(entries), doc.current.name, tuple(doc.compared))


def to_state(collected: Collected) -> ProjectState:
    """The plans as JSON text with their networks' fingerprints (each network's fingerprint once)."""
    prints: dict[int, str] = {}

    def fingerprint(network: Network) -> str:
        if id(network) not in prints:
            prints[id(network)] = network_fingerprint(network)
        return prints[id(network)]

    plans = tuple(
        SavedPlan(e.scenario, e.role, e.index, e.result.to_json(indent=None), fingerprint(e.network), e.label)
        for e in collected.entries
    )
    return ProjectState(plans, collected.current, collected.compared)


def restore(doc: NetworkDocument, saved_state: ProjectState | Parsed) -> Restored:
    """Give the just-loaded document's scenarios their saved plans; switch to the saved current scenario.

    ``saved_state`` is best :func:`parse`'d on the worker first; a bare state is parsed here."""
    parsed = saved_state if isinstance(saved_state, Parsed) else parse(saved_state)
    state = parsed.state
    by_name = {s.name: s for s in doc.scenarios}
    # only when there are plans to check; opening a file takes them in the job process (fingerprinting
    # the national network takes 0.4-0.8 s, a stall on the GUI thread); most files have no saved plans
    if not state.plans:
        fingerprints: dict[str, str] = {}
    elif len(parsed.fingerprints) == len(doc.scenarios):  # taken where the file was read
        fingerprints = {s.name: f for s, f in zip(doc.scenarios, parsed.fingerprints, strict=True)}
    else:
        fingerprints = {s.name: network_fingerprint(s.network) for s in doc.scenarios}
    restored = stale = unreadable = 0
    sweeps: dict[str, dict[int, Plan]] = {}
    stale_copies: dict[str, Network] = {}
    for saved, read in zip(state.plans, parsed.results, strict=True):
        scenario = by_name.get(saved.scenario)
        if scenario is None:
            unreadable += 1
            continue
        current = saved.network_fingerprint == fingerprints[saved.scenario]
        # the network the plan was solved on is not saved; a plan solved on another network gets an
        # equal copy of today's network (another object), so it reads as stale everywhere
        solved_on = scenario.network if current else stale_copies.setdefault(
            saved.scenario, dataclasses.replace(scenario.network)
        )
        if read is None:
            unreadable += 1
            continue
        result = read
        restored += 1
        stale += 0 if current else 1
        if isinstance(result, RoutePlan):
            scenario.route_plan, scenario.route_network = result, solved_on
        elif saved.role == "pareto":
            sweeps.setdefault(saved.scenario, {})[saved.index] = result
            scenario.pareto_network = solved_on
        elif saved.index == 0:
            scenario.plan, scenario.plan_network = result, solved_on
            if saved.label == "solve":
                scenario.solved_plan, scenario.solved_network = result, solved_on
        else:
            scenario.solved_plan, scenario.solved_network = result, solved_on
        scenario.restored = True
    for name, points in sweeps.items():
        scenario = by_name[name]
        scenario.pareto = [points[i] for i in sorted(points)]
        _link_shown_sweep_point(scenario, state)
    doc.set_compared([n for n in state.compared if n in by_name])
    names = [s.name for s in doc.scenarios]
    if state.current in names:
        doc.set_current_scenario(names.index(state.current))
    doc.scenariosChanged.emit()
    doc.planChanged.emit()
    return Restored(restored, stale, unreadable)


def _link_shown_sweep_point(scenario: Scenario, state: ProjectState) -> None:
    """A shown sweep point is the same object as its point in the sweep again, so it is named as one."""
    shown = next(
        (p for p in state.plans if p.scenario == scenario.name and p.role == "plan" and p.index == 0), None
    )
    if shown is None or not shown.label.startswith("sweep "):
        return
    index = int(shown.label.split()[1])
    if 0 <= index < len(scenario.pareto):
        scenario.plan = scenario.pareto[index]
