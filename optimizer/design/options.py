"""What the user asks the network-design solve to do: objective, requirements and solver settings.

A :class:`SolveOptions` is frozen so a background solve can hold it while the GUI edits the next one;
every :class:`~optimizer.design.plan.Plan` carries the options it was solved with, so a plan read back from
JSON says exactly how it was made.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Objective(StrEnum):
    """What the network-design model optimises.

    ``profit``: maximise copper revenue at smelters minus purchase, transport, processing, fixed and
    carbon cost. ``cost``: minimise that total cost subject to utilization >= target (a target is
    required). ``utilization``: maximise copper delivered to smelters subject to the budget, then the
    least cost at that utilization.
    """

    PROFIT = "profit"
    COST = "cost"
    UTILIZATION = "utilization"


class SolverName(StrEnum):
    """The MILP engine: HiGHS in-process (default) or PuLP's bundled CBC in a child process."""

    HIGHS = "highs"
    CBC = "cbc"


@dataclass(frozen=True, slots=True)
class SolveOptions:
    """Options of one network-design solve.

    Parameters
    ----------
    objective
        ``profit``, ``cost`` or ``utilization`` (see :class:`Objective`).
    target_utilization
        Minimum recycled-copper utilization in [0, 1] (t Cu delivered / t Cu in all supply). ``None``
        takes the network's ``Parameters.target_utilization``; the ``cost`` objective needs one of them.
    budget_cny
        Annual budget for fixed + processing + transport cost; ``None`` takes the network's
        ``Parameters.annual_budget_cny`` (and no budget when that is ``None`` too).
    solver
        ``highs`` or ``cbc``.
    time_limit_s
        Wall-clock limit of each MILP solve; the plan reports the gap reached when it stops there.
    mip_gap
        Relative gap at which the solver may stop and call the plan optimal.
    threads
        Solver threads; ``None`` lets the solver decide.
    pareto_points
        Number of points of the cost-vs-utilization trade-off sweep (``None``: no sweep).
    k_nearest
        Keep only the k nearest reachable sites and smelters per collection point and grade (``None``:
        every arc within the haul limits). A modelling restriction: the plan is optimal for the
        restricted network only.
    log_to_progress
        Forward the solver's log lines as ``ProgressEvent.log_line``.
    collection_site_factors
        ``(site id, factor)`` pairs: with ``Parameters.collection_cost_model = "trucks"``, each site's
        milk-run arcs cost the model's figure times its factor (the design-routing loop sets them from
        the routes, :mod:`optimizer.routing.loop`).
    collection_arc_costs
        ``(point id, destination id, CNY/t)``: that collection arc's cost per t under the trucks model
        (the loop pins the routed cost per t of every flow it has routed).
    """

    objective: Objective = Objective.PROFIT
    target_utilization: float | None = None
    budget_cny: float | None = None
    solver: SolverName = SolverName.HIGHS
    time_limit_s: float = 120.0
    mip_gap: float = 1e-4
    threads: int | None = None
    pareto_points: int | None = None
    k_nearest: int | None = None
    log_to_progress: bool = False
    collection_site_factors: tuple[tuple[str, float], ...] = ()
    collection_arc_costs: tuple[tuple[str, str, float], ...] = ()

    def __post_init__(self) -> None:
        # Accept plain strings (CLI, JSON) but store the enums, so comparisons are always exact.
        object.__setattr__(self, "objective", Objective(self.objective))
        object.__setattr__(self, "solver", SolverName(self.solver))
        # JSON gives lists: keep tuples, so options stay hashable and compare equal after a round trip.
        object.__setattr__(
            self, "collection_site_factors",
            tuple((str(k), float(v)) for k, v in self.collection_site_factors),
        )
        object.__setattr__(
            self, "collection_arc_costs",
            tuple((str(a), str(b), float(c)) for a, b, c in self.collection_arc_costs),
        )
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """Plain-language reasons these options cannot be used (empty when they are fine)."""
        out: list[str] = []
        if self.target_utilization is not None and not 0.0 <= self.target_utilization <= 1.0:
            out.append(f"target utilization must be between 0 and 1, got {self.target_utilization}")
        if self.budget_cny is not None and self.budget_cny < 0:
            out.append(f"budget must be zero or more CNY, got {self.budget_cny}")
        if not self.time_limit_s > 0:
            out.append(f"time limit must be more than 0 s, got {self.time_limit_s}")
        if not 0.0 <= self.mip_gap < 1.0:
            out.append(f"relative MIP gap must be in [0, 1), got {self.mip_gap}")
        if self.threads is not None and self.threads < 1:
            out.append(f"threads must be at least 1, got {self.threads}")
        if self.pareto_points is not None and self.pareto_points < 2:
            out.append(f"a trade-off sweep needs at least 2 points, got {self.pareto_points}")
        if self.k_nearest is not None and self.k_nearest < 1:
            out.append(f"k nearest must be at least 1, got {self.k_nearest}")
        return out

    def replace(self, **changes: Any) -> SolveOptions:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (enums as their strings)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["objective"] = str(self.objective)
        out["solver"] = str(self.solver)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SolveOptions:
        """Options from :meth:`to_dict` output; unknown keys are ignored (plans from newer versions)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
