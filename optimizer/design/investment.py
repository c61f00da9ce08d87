"""What a capacity module costs over the years: the one place that reads the investment fields.

The multi-year MILP (:mod:`optimizer.design.multiyear`) and the economics
(:mod:`optimizer.design.economics`) both ask these functions, so the cash flow a plan reports is the one
the model optimised.

* A module with ``capex_cny`` pays it over ``build_time_years`` before it first runs (in its first
  year when the build time is 0), and ``fixed_opex_cny_per_year`` every year it runs.
* A module without capex pays its annualised ``fixed_cost_cny_per_year`` every year it runs, as the
  single-year model does.
* The first module of an existing site is already built: no capex (it is sunk), only its yearly cost.
"""

from __future__ import annotations

from optimizer.model import CapacityModule, ProcessingSite, SiteStatus


def is_sunk(site: ProcessingSite, module: CapacityModule) -> bool:
    """Whether ``module`` already stands: the first module of an existing site."""
    return site.status is SiteStatus.EXISTING and bool(site.modules) and site.modules[0].id == module.id


def capex_of(site: ProcessingSite, module: CapacityModule) -> float:
    """Capex to start running ``module`` at ``site`` (0 when none is given or it is sunk)."""
    if is_sunk(site, module) or module.capex_cny is None:
        return 0.0
    return float(module.capex_cny)


def yearly_fixed_cost(module: CapacityModule) -> float:
    """CNY per year the module runs: its fixed opex when it has capex, else its annualised fixed cost."""
    if module.capex_cny is not None:
        return float(module.fixed_opex_cny_per_year)
    return float(module.fixed_cost_cny_per_year)


def payment_offsets(module: CapacityModule, first_run_offset: int) -> dict[int, float]:
    """Year offset -> share of the capex paid then, for a module that first runs at ``first_run_offset``.

    Build time ``n`` > 0 spreads the capex evenly over the ``n`` years before the first run.
    """
    n = max(0, int(module.build_time_years))
    if n == 0:
        return {first_run_offset: 1.0}
    return {first_run_offset - n + s: 1.0 / n for s in range(n)}


def residual_share(
    module: CapacityModule, first_run_offset: int, horizon_years: int, treatment: str
) -> float:
    """Share of the capex a module still holds at the end of the horizon: straight-line book value
    (1 - years used / economic life, at least 0), or 0 when residual value is ``none``."""
    if treatment != "straight_line" or module.economic_life_years <= 0:
        return 0.0
    used = horizon_years - first_run_offset
    return max(0.0, 1.0 - used / float(module.economic_life_years))


def depreciation_applies(module: CapacityModule, build_offset: int, offset: int) -> bool:
    """Whether a module first run at ``build_offset`` is still written off at ``offset`` (straight-line
    over its economic life)."""
    return build_offset <= offset < build_offset + module.economic_life_years
