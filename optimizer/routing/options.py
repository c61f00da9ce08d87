"""What the user asks collection routing to do: which engine, how long, and the depot's working rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Engine(StrEnum):
    """The routing engine. PyVRP is the default; OR-Tools (guided local search) cross-checks it."""

    PYVRP = "pyvrp"
    ORTOOLS = "ortools"


@dataclass(frozen=True, slots=True)
class RoutingOptions:
    """Options of one routing run.

    Parameters
    ----------
    engine
        ``pyvrp`` or ``ortools``.
    time_limit_s
        Wall-clock limit of the whole run, shared among the depot-day instances in proportion to their
        number of visits (time an instance does not need passes on to the next ones).
    seed
        Random seed of the engine, for repeatable runs.
    stop_without_improvement
        Stop an instance early after this many engine iterations (PyVRP) or accepted solutions
        (OR-Tools) without a better solution; ``None`` always uses the instance's whole time share.
        Small instances are solved in a fraction of their share, so this saves most of the time.
    multi_trip
        Whether a truck may unload at its depot and go out again within its shift.
    depot_handling_min
        Minutes at the depot before each trip (the first one's loading out; later ones' unloading).
    earliest_departure_h, latest_return_h
        Hours of the day between which trucks may be on the road (the depot's gate hours).
    size_fleet
        Ignore how many trucks each depot has and let every depot use as many of each type as its days
        need (each truck used still costs its fixed cost per day): the routes then say how many trucks
        the week takes (``RoutePlan.totals().trucks``, per depot in ``depot_totals()``).
    """

    engine: Engine = Engine.PYVRP
    time_limit_s: float = 30.0
    seed: int = 0
    stop_without_improvement: int | None = 20_000
    multi_trip: bool = True
    depot_handling_min: float = 15.0
    earliest_departure_h: float = 0.0
    latest_return_h: float = 24.0
    size_fleet: bool = False

    def __post_init__(self) -> None:
        # Accept plain strings (CLI, JSON) but store the enum, so comparisons are always exact.
        try:
            object.__setattr__(self, "engine", Engine(self.engine))
        except ValueError:
            raise ValueError(f"unknown routing engine {self.engine!r}; expected pyvrp or ortools") from None
        if self.time_limit_s <= 0:
            raise ValueError(f"time limit must be positive, got {self.time_limit_s} s")
        if self.depot_handling_min < 0:
            raise ValueError(f"depot handling time must be >= 0, got {self.depot_handling_min} min")
        if not 0 <= self.earliest_departure_h < self.latest_return_h <= 48:
            raise ValueError(
                f"depot hours {self.earliest_departure_h}-{self.latest_return_h} h: expected "
                "0 <= earliest departure < latest return <= 48"
            )
        if self.stop_without_improvement is not None and self.stop_without_improvement < 1:
            raise ValueError("stop_without_improvement must be None or >= 1")
