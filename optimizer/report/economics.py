"""The investment figures a plan carries, read in one place so the report never invents one.

A single-year plan knows its annual profit, copper and CO2 emitted; the multi-year investment plan
adds ``builds`` (capex per site and module), ``periods`` (per year: cash flow, CO2 emitted and
avoided), ``npv_cny``, ``irr`` and ``payback_years``. This module reads those fields when the plan has
them and leaves a figure ``None`` when it does not, so the executive summary can say "not in this plan"
instead of showing a number nobody computed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from optimizer.design.plan import Plan


@dataclass(frozen=True, slots=True)
class Economics:
    """Investment figures of a plan; ``None`` where the plan does not carry the figure.

    ``co2_avoided_t_per_year`` is the mean over the plan's periods (or the single year's figure).
    """

    investment_cny: float | None
    npv_cny: float | None
    irr: float | None
    payback_years: float | None
    co2_avoided_t_per_year: float | None
    first_year: int | None
    last_year: int | None

    @property
    def has_investment(self) -> bool:
        return self.investment_cny is not None


def _get(obj: Any, name: str) -> Any:
    """``obj.name`` or ``obj[name]``: the fields may be dataclasses or plain JSON dicts."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _sum(values: Iterable[Any]) -> float | None:
    numbers = [n for n in (_number(v) for v in values) if n is not None]
    return sum(numbers) if numbers else None


def economics_of(plan: Plan) -> Economics:
    """The investment figures ``plan`` carries (all ``None`` for today's single-year plans)."""
    builds = _get(plan, "builds") or ()
    periods = _get(plan, "periods") or ()
    investment = _sum(_get(b, "capex_cny") for b in builds)
    if investment is None:
        investment = _sum(_get(p, "capex_cny") for p in periods)
    if investment is not None and investment <= 0:
        investment = None  # modules without capex (the column left blank): no investment is known
    avoided_by_year = [_number(_get(p, "co2_avoided_t")) for p in periods]
    known = [a for a in avoided_by_year if a is not None]
    avoided = sum(known) / len(known) if known else None
    if avoided is None and plan.kpis is not None:
        avoided = _number(_get(plan.kpis, "co2_avoided_t"))
    years = [y for y in (_get(p, "year") for p in periods) if isinstance(y, int)]
    return Economics(
        investment_cny=investment,
        npv_cny=_number(_get(plan, "npv_cny")),
        irr=_number(_get(plan, "irr")),
        payback_years=_number(_get(plan, "payback_years")),
        co2_avoided_t_per_year=avoided,
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
    )


def build_years(plan: Plan) -> dict[str, int]:
    """The first year each site is built in, when the plan is a multi-year one (else empty)."""
    years: dict[str, int] = {}
    for b in _get(plan, "builds") or ():
        site, year = _get(b, "site_id"), _get(b, "year")
        if isinstance(site, str) and isinstance(year, int):
            years[site] = min(year, years.get(site, year))
    return years
