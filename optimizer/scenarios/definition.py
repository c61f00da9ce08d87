"""A sweep's definition (factors, sampling, tornado and break-even settings) and the scenarios it makes.

Without ``samples`` the scenarios are the full grid: every combination of the factors' values, the first
factor varying slowest. With ``samples`` N they are N Latin-hypercube samples: each numeric factor's
range (its smallest to largest value) is cut into N equal strata and every stratum is used exactly once,
in an order drawn from ``seed``; an id factor (``unavailable``) draws its values the same way from its
list. The same definition and seed always give the same scenarios.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from optimizer.design.plan import joined
from optimizer.messages import Msg, msg
from optimizer.scenarios.factors import Factor, FactorError, FactorValue

#: At most this many scenarios in one grid (a typo in a step should not start a million solves).
MAX_SCENARIOS = 100_000


@dataclass(frozen=True, slots=True)
class Scenario:
    """One scenario: its position in the sweep and the value of every factor."""

    index: int
    values: dict[str, FactorValue]

    def label(self) -> str:
        return ", ".join(f"{k}={_show(v)}" for k, v in self.values.items()) or "base"


@dataclass(frozen=True, slots=True)
class SweepDefinition:
    """What to sweep and what to derive.

    ``tornado_pct``: each numeric factor is also solved at its base value -/+ this many percent (0: no
    tornado). ``break_even``: find the break-even copper price of every candidate site the base plan
    opens, by bisection down to ``break_even_low_share`` x the base copper price, to
    ``break_even_tolerance_cny`` CNY/t Cu. ``stochastic``: also solve the two-stage design over the
    scenarios (equal probabilities unless ``probabilities`` are given). ``single_year``: on a network
    with periods, plan only the period holding that year, as a one-year plan (as
    ``copperloop solve --single-year``); without it such a network is planned over all its years.
    """

    factors: tuple[Factor, ...] = ()
    samples: int | None = None
    seed: int = 0
    tornado_pct: float = 10.0
    break_even: bool = True
    break_even_tolerance_cny: float = 100.0
    break_even_low_share: float = 0.3
    stochastic: bool = False
    probabilities: tuple[float, ...] = field(default_factory=tuple)
    single_year: int | None = None

    def problems(self) -> list[str]:
        """What keeps this definition from running, in English (:meth:`problem_messages`)."""
        return [m.render("en") for m in self.problem_messages()]

    def problem_messages(self) -> list[Msg]:
        """What keeps this definition from running, as catalogue messages (none: it can run)."""
        out = []
        names = [f.name for f in self.factors]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            out.append(msg("sweep_def.repeated", names=", ".join(repeated)))
        if self.samples is not None and self.samples < 1:
            out.append(msg("sweep_def.samples", samples=self.samples))
        if not 0 <= self.tornado_pct < 100:
            out.append(msg("sweep_def.tornado", pct=f"{self.tornado_pct:g}"))
        if self.break_even_tolerance_cny <= 0:
            out.append(msg("sweep_def.tolerance", tolerance=f"{self.break_even_tolerance_cny:g}"))
        if not 0 < self.break_even_low_share < 1:
            out.append(msg("sweep_def.floor", share=f"{self.break_even_low_share:g}"))
        if self.probabilities:
            if any(p < 0 for p in self.probabilities) or abs(sum(self.probabilities) - 1) > 1e-6:
                out.append(msg("sweep_def.probabilities"))
            elif len(self.probabilities) != self.count():
                given = len(self.probabilities)
                out.append(msg("sweep_def.probability_count", given=given, scenarios=self.count()))
        if self.samples is None and self.count() > MAX_SCENARIOS:
            out.append(msg("sweep_def.too_many", count=self.count(), limit=MAX_SCENARIOS))
        return out

    def check(self) -> None:
        """Raise :class:`~optimizer.scenarios.factors.FactorError` with every problem when it cannot run."""
        problems = self.problem_messages()
        if problems:
            raise FactorError(msg("sweep_def.problems", problems=joined(problems)))

    def count(self) -> int:
        if self.samples is not None:
            return self.samples
        n = 1
        for f in self.factors:
            n *= len(f.values)
        return n if self.factors else 0

    def scenarios(self) -> list[Scenario]:
        """The scenarios, in index order."""
        if not self.factors:
            return []
        if self.samples is None:
            combos = itertools.product(*(f.values for f in self.factors))
            return [
                Scenario(i, {f.name: v for f, v in zip(self.factors, combo, strict=True)})
                for i, combo in enumerate(combos)
            ]
        return latin_hypercube(self.factors, self.samples, self.seed)


def latin_hypercube(factors: tuple[Factor, ...], n: int, seed: int) -> list[Scenario]:
    """``n`` Latin-hypercube samples of ``factors`` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    columns: list[list[FactorValue]] = []
    for f in factors:
        u = (rng.permutation(n) + rng.random(n)) / n
        if f.is_numeric:
            lo, hi = f.bounds
            columns.append([float(_round(lo + x * (hi - lo))) for x in u])
        else:
            columns.append([f.values[min(int(x * len(f.values)), len(f.values) - 1)] for x in u])
    return [Scenario(i, {f.name: columns[j][i] for j, f in enumerate(factors)}) for i in range(n)]


def _round(x: float) -> float:
    """Six significant digits: enough for a price or a factor, and short in a table."""
    return float(f"{x:.6g}")


def _show(v: FactorValue) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)
