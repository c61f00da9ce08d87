"""Why a network design is infeasible, in words a planner can act on.

When the requirements cannot all hold, :func:`explain` re-solves with priced slack and reports each
requirement that falls short and by how much:

1. **Best reachable utilization.** Maximise copper delivered under every requirement except the
   utilization target. If even that is infeasible, the budget, the new-site limit or a smelter's blend
   minimum conflict on their own; they are softened with slack and reported.
2. **What stands in the target's way.** Keep the target and give priced slack to what limits
   throughput: smelter intake capacity, site capacity, the budget, the new-site limit and smelter
   blends. Each slack is priced per unit of its own scale (a 10 % shortfall of any requirement costs the
   same), and the target's own slack is priced a thousand times higher, so the solve finds the smallest
   relative relaxation that reaches the target. What remains on the target's slack is copper that no
   relaxation can deliver: it has no route within the haul limits, or it is lost as residue.

3. **The user's own limits.** The slack solve names one way out; when the best reachable plan spends
   the whole budget (or opens every new site allowed) and that way out does not name it, the budget is
   reported too, with the least budget that reaches the target under the other requirements (one more
   solve): a target blocked by a budget of 1 M CNY is the budget's doing as much as any smelter's.

The result is one consistent way to make the plan feasible, not the only one; the messages say
"short of", not "the cause".
"""

from __future__ import annotations

import dataclasses
import time

from optimizer.design.formulation import NetworkDesignModel, Requirements, build_model
from optimizer.design.options import Objective
from optimizer.design.plan import Shortfall
from optimizer.design.solvers import SolverSettings, run_solver
from optimizer.messages import Localized, Msg, msg
from optimizer.model import Network
from optimizer.progress import CancelToken, ProgressCallback, scaled

#: Slack below this (relative to its scale) is solver noise, not a shortfall.
_NOISE = 1e-6


def explain(
    network: Network,
    requirements: Requirements,
    settings: SolverSettings,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[Shortfall]:
    """The shortfalls that make ``requirements`` infeasible on ``network`` (empty if none is found).

    ``settings.time_limit_s`` bounds the whole explanation; its solves share it.
    """
    clock = _Clock(settings)
    without_target = Requirements(
        target_utilization=None,
        budget_cny=requirements.budget_cny,
        max_new_sites=requirements.max_new_sites,
        k_nearest=requirements.k_nearest,
    )
    model = build_model(network, without_target)
    model.set_objective(Objective.UTILIZATION)
    first = run_solver(
        model.problem, clock.share(3), progress=scaled(progress, 0.0, 0.4), cancel=cancel, phase="explaining"
    )
    total_cu = model.total_supply_t_cu
    if not first.has_solution:
        # the requirements other than the target already conflict
        soft = Requirements(
            target_utilization=None,
            budget_cny=requirements.budget_cny,
            max_new_sites=requirements.max_new_sites,
            k_nearest=requirements.k_nearest,
            elastic=frozenset({"budget", "max_new_sites", "smelter_blend"}),
        )
        relaxed = build_model(network, soft)
        relaxed.set_slack_objective()
        r = run_solver(
            relaxed.problem, clock.share(1), progress=scaled(progress, 0.4, 1.0), cancel=cancel,
            phase="explaining",
        )
        if not r.has_solution:
            return []
        return _slack_shortfalls(
            relaxed,
            requirements,
            best_reachable=None,
            context=msg("infeasible.context_any"),
        )
    best_t_cu = float(model.copper_delivered().value() or 0.0)
    best = best_t_cu / total_cu if total_cu > 0 else 0.0
    target = requirements.target_utilization
    copper_floor = requirements.copper_floor_t_cu
    required_t_cu = max(target * total_cu if target is not None else 0.0, copper_floor or 0.0)
    if required_t_cu <= best_t_cu * (1 + 1e-9) + 1e-9:
        return []
    wanted = required_t_cu / total_cu if total_cu > 0 else 0.0
    # read before any other solve: which of the user's own limits the best reachable plan runs into
    binding = _binding_limits(model, requirements)
    out = [
        Shortfall(
            requirement="utilization_target",
            reason=msg(
                "infeasible.target", wanted=_pct(wanted), best=_pct(best),
                short=_kt(required_t_cu - best_t_cu, "t Cu"),
            ),
            required=wanted,
            achievable=best,
            shortfall=wanted - best,
            unit="fraction",
            constraint="target",
        )
    ]
    soft = Requirements(
        target_utilization=wanted,
        budget_cny=requirements.budget_cny,
        max_new_sites=requirements.max_new_sites,
        k_nearest=requirements.k_nearest,
        elastic=frozenset(
            {
                "utilization_target",
                "budget",
                "max_new_sites",
                "smelter_blend",
                "smelter_capacity",
                "site_capacity",
            }
        ),
    )
    relaxed = build_model(network, soft)
    relaxed.set_slack_objective()
    r = run_solver(
        relaxed.problem,
        clock.share(2 if "budget" in binding else 1),
        progress=scaled(progress, 0.4, 0.7),
        cancel=cancel,
        phase="explaining",
    )
    if r.has_solution:
        out.extend(
            _slack_shortfalls(
                relaxed, requirements, best_reachable=best,
                context=msg("infeasible.context_target", wanted=_pct(wanted)),
            )
        )
    named = {s.requirement for s in out}
    if "budget" in binding and "budget" not in named and requirements.budget_cny is not None:
        needed = _least_budget(network, requirements, wanted, clock.share(1), progress, cancel)
        out.append(_budget_binding(requirements.budget_cny, needed, best, wanted))
    if "max_new_sites" in binding and "max_new_sites" not in named and requirements.max_new_sites is not None:
        limit = requirements.max_new_sites
        out.append(
            Shortfall(
                requirement="max_new_sites",
                reason=msg("infeasible.sites_binding", limit=limit, best=_pct(best), all=limit),
                required=float(limit),
                achievable=float(limit),
                shortfall=0.0,
                unit="sites",
                constraint="max_new_sites",
            )
        )
    return out


class _Clock:
    """Splits one time limit among the explanation's solves (each gets an even share of what is left)."""

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings
        self.deadline = time.monotonic() + settings.time_limit_s

    def share(self, solves_left: int) -> SolverSettings:
        left = (self.deadline - time.monotonic()) / max(solves_left, 1)
        return dataclasses.replace(self.settings, time_limit_s=max(1.0, left))


def _binding_limits(model: NetworkDesignModel, requirements: Requirements) -> set[str]:
    """Which of the budget and the new-site limit the solved ``model`` uses up (within a tolerance)."""
    binding: set[str] = set()
    budget = model.constraints.get("budget")
    if budget is not None and requirements.budget_cny is not None:
        slack = -(budget.value() or 0.0)  # budget - what the plan counts against it
        if slack <= 1e-6 * max(requirements.budget_cny, 1.0):
            binding.add("budget")
    limit = model.constraints.get("max_new_sites")
    if limit is not None and requirements.max_new_sites is not None and -(limit.value() or 0.0) <= 1e-6:
        binding.add("max_new_sites")
    return binding


def _least_budget(
    network: Network,
    requirements: Requirements,
    target: float,
    settings: SolverSettings,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> float | None:
    """The least budget cost (fixed + processing + transport) of any plan reaching ``target`` under the
    other requirements, or ``None`` when none does (or the solver did not prove one in time)."""
    model = build_model(
        network,
        Requirements(
            target_utilization=target,
            budget_cny=None,
            max_new_sites=requirements.max_new_sites,
            k_nearest=requirements.k_nearest,
        ),
    )
    model.set_objective(Objective.COST)  # a minimisation; its objective is then the budget's spend alone
    model.problem.setObjective(model.arc_expression(model.budget_vector()) + model.fixed_cost_expression())
    r = run_solver(
        model.problem, settings, progress=scaled(progress, 0.7, 1.0), cancel=cancel, phase="explaining"
    )
    if not r.has_solution:
        return None
    # the solver's bound is what no plan can beat; its incumbent is one plan that reaches the target
    return r.bound if r.bound is not None else r.objective


def _budget_binding(budget: float, needed: float | None, best: float, wanted: float) -> Shortfall:
    """The budget as one of the requirements in the target's way (the slack solve chose another way out)."""
    if needed is None or needed <= budget:
        return Shortfall(
            requirement="budget",
            reason=msg("infeasible.budget_binding", budget=_money(budget), best=_pct(best)),
            required=budget,
            achievable=budget,
            shortfall=0.0,
            unit="CNY",
            constraint="budget",
        )
    return Shortfall(
        requirement="budget",
        reason=msg(
            "infeasible.budget_binding_needs", budget=_money(budget), best=_pct(best), wanted=_pct(wanted),
            needed=_money(needed), more=_money(needed - budget),
        ),
        required=needed,
        achievable=budget,
        shortfall=needed - budget,
        unit="CNY",
        constraint="budget",
    )


def _slack_shortfalls(
    model: NetworkDesignModel, requirements: Requirements, best_reachable: float | None, context: Msg
) -> list[Shortfall]:
    values = {name: float(var.varValue or 0.0) for name, var in model.slacks.items()}
    total_cu = model.total_supply_t_cu
    out: list[Shortfall] = []

    def said(code: str, **params: object) -> Msg:
        """A shortfall's sentence: with "; best reachable is ..." when the best is known."""
        if best_reachable is None:
            return msg(code, context=context, **params)
        return msg(f"{code}_reach", context=context, best=_pct(best_reachable), **params)

    def significant(name: str) -> bool:
        return values.get(name, 0.0) * model.slack_weights.get(name, 1.0) > _NOISE

    smelter_names = [n for n in values if n.startswith("smelter_capacity[") and significant(n)]
    if smelter_names:
        total = sum(values[n] for n in smelter_names)
        detail = Localized(  # ids and tonnes
            ", ".join(f"{_subject(n)} {_kt(values[n]).en}" for n in smelter_names),
            "、".join(f"{_subject(n)} {_kt(values[n]).zh}" for n in smelter_names),
        )
        capacity = sum(sm.capacity_t_per_year for sm in model.smelters)
        out.append(
            Shortfall(
                requirement="smelter_capacity",
                reason=said("infeasible.smelter_capacity", short=_kt(total), detail=detail),
                required=capacity + total,
                achievable=capacity,
                shortfall=total,
                unit="t",
                subject_id=",".join(_subject(n) for n in smelter_names),
                constraint=",".join(f"smelter_cap[{_subject(n)}]" for n in smelter_names),
            )
        )
    site_names = [n for n in values if n.startswith("site_capacity[") and significant(n)]
    if site_names:
        total = sum(values[n] for n in site_names)
        details = [msg("infeasible.site_detail", site=_subject(n), t=_kt(values[n])) for n in site_names]
        detail = Localized(
            ", ".join(d.render("en") for d in details), "、".join(d.render("zh") for d in details)
        )
        out.append(
            Shortfall(
                requirement="site_capacity",
                reason=said("infeasible.site_capacity", short=_kt(total), detail=detail),
                required=total,
                achievable=0.0,
                shortfall=total,
                unit="t",
                subject_id=",".join(_subject(n) for n in site_names),
                constraint=",".join(f"cap[{_subject(n)}]" for n in site_names),
            )
        )
    if significant("budget") and requirements.budget_cny is not None:
        extra = values["budget"]
        out.append(
            Shortfall(
                requirement="budget",
                reason=said(
                    "infeasible.budget_short", budget=_money(requirements.budget_cny), extra=_money(extra)
                ),
                required=requirements.budget_cny + extra,
                achievable=requirements.budget_cny,
                shortfall=extra,
                unit="CNY",
                constraint="budget",
            )
        )
    if significant("max_new_sites") and requirements.max_new_sites is not None:
        extra = values["max_new_sites"]
        out.append(
            Shortfall(
                requirement="max_new_sites",
                reason=said(
                    "infeasible.sites_short", limit=requirements.max_new_sites, extra=f"{extra:.0f}"
                ),
                required=requirements.max_new_sites + extra,
                achievable=float(requirements.max_new_sites),
                shortfall=extra,
                unit="sites",
                constraint="max_new_sites",
            )
        )
    for name in [n for n in values if n.startswith("smelter_blend[") and significant(n)]:
        smelter = next(sm for sm in model.smelters if sm.id == _subject(name))
        out.append(
            Shortfall(
                requirement="smelter_blend",
                reason=said(
                    "infeasible.blend_short", smelter=smelter.id, pct=_pct(smelter.min_copper_content),
                    short=_kt(values[name], "t Cu"),
                ),
                required=smelter.min_copper_content,
                achievable=smelter.min_copper_content,
                shortfall=values[name],
                unit="t Cu",
                subject_id=smelter.id,
                constraint=f"blend[{smelter.id}]",
            )
        )
    if significant("utilization_target"):
        left = values["utilization_target"]
        out.append(
            Shortfall(
                requirement="reachability",
                reason=msg("infeasible.unreachable", left=_kt(left, "t Cu"), pct=_pct(left / total_cu)),
                required=left,
                achievable=0.0,
                shortfall=left,
                unit="t Cu",
                constraint="target",
            )
        )
    return out


def _subject(slack_name: str) -> str:
    return slack_name[slack_name.index("[") + 1 : slack_name.rindex("]")]


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


#: Units of :func:`_kt` in Chinese.
_UNITS_ZH = {"t": "吨", "kt": "千吨", "t Cu": "吨铜", "kt Cu": "千吨铜"}


def _kt(t: float, unit: str = "t") -> Localized:
    """Tonnes with their unit, in kt when large (``42.0 kt``, ``42.0 kt Cu``, 42.0 千吨铜), else t
    (``850 t``)."""
    if abs(t) >= 10_000:
        number, unit = f"{t / 1000:,.1f}", f"k{unit}"
    elif abs(t) >= 100:
        number = f"{t:,.0f}"
    else:
        number = f"{t:,.2g}"
    return Localized(f"{number} {unit}", f"{number} {_UNITS_ZH.get(unit, unit)}")


def _money(cny: float) -> Localized:
    """CNY in millions when large (``1.50 M``, 1.50 百万); the message says the currency."""
    if abs(cny) >= 1e6:
        return Localized(f"{cny / 1e6:,.2f} M", f"{cny / 1e6:,.2f} 百万")
    return Localized(f"{cny:,.0f}", f"{cny:,.0f}")
