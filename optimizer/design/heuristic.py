"""A first plan in seconds: LP rounding plus greedy drop/add over sites, each move a warm flow LP.

HiGHS's first incumbent on the national sample came after the linking-row separation and a restricted
MILP, 20-35 s into a solve (at load 10 on the shared 2-core machine: none in 60 s); the app showed no plan
until then. This heuristic gives a feasible plan of the full model within seconds, shown at once (a
progress event with its objective) and handed to HiGHS as the incumbent to beat:

1. **Restrict the arcs.** Each collection point keeps, per grade, its :data:`NEAREST_SITES` best arcs into
   sites and :data:`NEAREST_SMELTERS` into smelters (best by objective coefficient); transfer and
   delivery arcs are all kept (there are few). National sample: 22,943 of 99,650 arcs.
2. **LP relaxation** of that restriction by interior point (2.7 s against 9.3 s of dual simplex at load
   8), with the linking rows ``x <= bound * open`` of its arcs when they are few
   (:data:`LINK_ROWS_MAX`), so the sites' LP values say where sites pay.
3. **Round**: open the candidate sites the LP opens above the first threshold of :data:`ROUND_AT` that
   gives a feasible plan, each with its module of largest LP value; existing sites keep theirs. With
   every module fixed the MILP is a flow LP.
4. **Greedy drop/add/swap**: close each opened candidate (least LP-opened first), open each closed one
   (most LP-opened first), try the other modules of multi-module sites, keeping a move when the flow LP
   improves; each yard's best arcs into the sites now open join the LP before it is solved, and the LP
   restarts from the last basis, so a move costs a few dual simplex iterations (0.03-0.15 s on the
   national sample). Stops at the deadline.
5. **Price the omitted arcs** (:mod:`optimizer.design.pricing`) at the chosen sites: arcs whose reduced
   cost improves the flow LP enter until none does, so the flows are optimal for those sites over the
   *full* network, not the restriction.
6. **Bound**: with the modules free again and every arc allowed to price in, the LP's optimum is the
   full model's relaxation (without the linking rows of priced-in arcs): a valid bound, shown with the
   plan, when there is time for it.

The plan is checked against every bound and row of the full model before it is returned; a heuristic
plan is only a start, and optimality claims come from the MILP's bound.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pulp

from optimizer.design.extract import arc_modes
from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.full_columns import FullColumns, full_price
from optimizer.design.pricing import LpMatrix, PricedLp
from optimizer.design.pulp_access import constraint_table
from optimizer.design.site_lagrangian import rows_named, site_structure, subgradient
from optimizer.design.solvers import SolveOutcome, SolverResult
from optimizer.messages import msg
from optimizer.model import SiteStatus
from optimizer.progress import (
    CancelToken,
    IncumbentFlow,
    IncumbentPlan,
    ProgressCallback,
    ProgressEvent,
    is_cancelled,
)

#: Models with fewer arcs go straight to the MILP (HiGHS solves them in moments; a start buys nothing).
HEURISTIC_MIN_ARCS = 5_000

#: Stages with less time than this go straight to the MILP: the heuristic would take the time HiGHS needs
#: for its own first plan (a sweep's points past the deadline get 1 s each).
HEURISTIC_MIN_STAGE_S = 5.0

#: The heuristic's search gets this share of its stage's time, at least :data:`HEURISTIC_MIN_S` seconds
#: but never more than :data:`HEURISTIC_MAX_SHARE` of it; with pricing and the bound it ends within
#: :data:`HEURISTIC_FINISH_SHARE` of the stage's time, so the MILP always gets the rest.
HEURISTIC_SHARE = 0.15
HEURISTIC_MIN_S = 6.0
HEURISTIC_MAX_SHARE = 0.4
HEURISTIC_FINISH_SHARE = 0.6

#: From this many arcs the heuristic gets :data:`LARGE_SEARCH_SHARE` of its stage to search and ends
#: within :data:`LARGE_FINISH_SHARE` (its relaxation's bound and the site Lagrangian): on syn5000x200
#: (177,076 arcs) the restricted relaxation takes 15-20 s of interior point at load 3-5, past the 10.4 s
#: the shares above give it at 120 s, and HiGHS's own first plan there, after 79 s, collected nothing.
LARGE_MODEL_ARCS = 150_000
LARGE_SEARCH_SHARE = 0.5
LARGE_FINISH_SHARE = 0.8
#: ... its relaxation may take this share of the search, over each yard's :data:`LARGE_NEAREST` best
#: arcs into sites and smelters (syn5000x200 at load 6: 83,625 columns, 10.4 s of interior point and
#: 2.4 s of pricing to the same bound, against 106,953 columns and 18.8 s with the defaults below).
LARGE_LP_SHARE = 0.8
LARGE_NEAREST = (3, 1)

#: On a restricted model (``model.full`` set) the heuristic searches for this share of its stage and
#: ends within :data:`RESTRICTED_FINISH_SHARE`; its relaxation's pricing over every arc may take
#: :data:`RESTRICTED_BOUND_SHARE` of the search (national5 at 120 s, load 1.3-1.8: 6.6 s of interior
#: point over 103,450 columns, then 36.4 s of pricing to the full network's relaxation, 15,984 M CNY/yr,
#: from 262,402 model arcs).
RESTRICTED_SEARCH_SHARE = 0.75
RESTRICTED_FINISH_SHARE = 0.92
RESTRICTED_BOUND_SHARE = 0.65

#: Best arcs into sites kept per collection point and grade in the restricted LP.
NEAREST_SITES = 5

#: Best arcs into smelters (direct delivery) kept per collection point and grade.
NEAREST_SMELTERS = 2

#: Rounding opens the candidate sites the LP relaxation opens above the first of these values (its
#: modules' sum) that gives a feasible plan: on OR-Library capa no site reaches 0.5 in the relaxation over
#: each customer's nearest arcs, and opening all it touches (96 of 100) costs ten times the optimum.
ROUND_AT = (0.5, 0.25, 0.1, 1e-3)

#: The restricted relaxation gets the linking rows of its arcs when there are at most this many: capa's
#: 5,000 turn a relaxation that opens no site above 0.4 into one worth rounding; the national sample's
#: 17,778 made its interior-point LP three times slower (past 4.7 s against 2.7 s at load 8).
LINK_ROWS_MAX = 10_000

#: Share of the search's time left after the LP relaxation that pricing it over every arc may take (capa
#: needs far more than it has: it then goes on without a bound).
BOUND_SHARE = 0.2

#: Share of the heuristic's time the LP relaxation may take.
LP_SHARE = 0.6

#: Pricing the final flows and the relaxation's bound may take this many seconds past the search's
#: deadline.
FINISH_EXTRA_S = 3.0

#: Rounding opens the relaxation's whole support on maximisations that require nothing from this many
#: arcs (:func:`_round_at_support`); the national sample (99,650 arcs) keeps the thresholds.
SUPPORT_ROUNDING_MIN_ARCS = 150_000

#: The site Lagrangian (:func:`_lagrangian_bound`) runs when at least this many seconds are left of the
#: heuristic's time, for at most this many, moving the multipliers of these rows.
LAGRANGIAN_MIN_S = 1.0
LAGRANGIAN_MAX_S = 20.0
LAGRANGIAN_MOVING = ("supply[",)

#: Improved plans are reported at most this often (seconds).
PLAN_REPORT_S = 1.0


#: A plan is accepted when no bound or row of the full model is violated by more than this (relative).
FEASIBILITY_TOLERANCE = 1e-6

#: Flows below this many tonnes are LP noise, left out of the plan a progress event carries.
INCUMBENT_FLOW_EPS_T = 1e-6

#: A move is kept when it improves the objective by more than this (relative).
IMPROVEMENT = 1e-9


@dataclass(frozen=True, slots=True)
class HeuristicPlan:
    """A feasible solution of the full model: ``values`` for every variable, its ``objective``.

    ``open_modules`` maps each running site to its module; ``lp_solves`` and ``moves`` count the flow LPs
    solved and the drop/add moves kept; ``columns`` is how many arc columns the last LP had (of ``arcs``).
    ``priced`` says whether the flows are proven optimal for the chosen sites over every arc; ``bound`` is
    the LP relaxation's optimum over every arc (priced in), a valid bound on the MILP, when it was reached.
    """

    values: dict[pulp.LpVariable, float]
    objective: float
    open_modules: dict[str, str]
    lp_solves: int
    moves: int
    columns: int
    arcs: int
    seconds: float
    priced: bool
    bound: float | None = None
    #: Multipliers of the model's rows (in :class:`LpMatrix` order, maximisation form) that gave the
    #: heuristic's bound: the site Lagrangian's best, else the priced relaxation's duals; None without
    #: either. A restricted model's full-network Lagrangian starts from them (``full_lagrangian``).
    multipliers: np.ndarray | None = None
    #: On a restricted model (``model.full`` set): the relaxation's optimum when it was priced over every
    #: arc of the full network (:func:`full_price`), a bound for the full network; ``bound`` there holds
    #: for the model's columns only.
    full_bound: float | None = None


@dataclass(slots=True)
class _Sites:
    """The module columns of the model's sites, and which module each site runs in the current plan."""

    cols: list[np.ndarray]  # matrix columns of each site's modules
    candidate: np.ndarray  # bool per site
    lp_open: np.ndarray  # sum of the site's module values in the LP relaxation
    choice: np.ndarray  # module index per site in the plan, -1 when closed
    lp_choice: np.ndarray  # module of largest value in the LP relaxation, per site


def first_plan(
    model: NetworkDesignModel,
    deadline: float,
    *,
    cancel: CancelToken | None = None,
    on_plan: Callable[[float, int, float | None, IncumbentPlan | None], None] | None = None,
    finish_by: float | None = None,
) -> HeuristicPlan | None:
    """A feasible plan of ``model`` (its current objective) found by the heuristic, or None.

    None when the restricted LP is infeasible (the nearest arcs cannot carry what the requirements ask),
    the time ran out before a first flow LP, or the plan fails the check against the full model. The
    model's PuLP problem is left unchanged, but for arcs a restricted model gains.
    ``on_plan(objective, sites, bound, incumbent)`` hears of the
    rounded plan and of every improvement (at most one a second), each feasible for the full model, with
    the plan itself (its sites and flows; None when only the bound improved, while the site Lagrangian
    runs), so a caller can show and draw it while the search goes on.

    ``deadline`` ends the search; rounding to a first plan, pricing the final flows and the relaxation's
    bound may go on until ``finish_by`` (default: :data:`FINISH_EXTRA_S` later), never past it. On a
    restricted model the full network's arcs that the flow LPs need join the model
    (:mod:`optimizer.design.full_columns`), which is then no longer the problem it was.
    """
    started = time.monotonic()
    if not model.module_open or not model.flow:
        return None
    finish = deadline + FINISH_EXTRA_S if finish_by is None else max(deadline, finish_by)
    variables = [*model.flow, *model.module_open.values(), *model.slacks.values()]
    matrix = LpMatrix.from_problem(model.problem, variables)
    flow_cols = matrix.columns(model.flow)
    lp = PricedLp(matrix, _restricted_columns(model, matrix, flow_cols), cancel)
    sites = _site_columns(model, matrix)
    maximise = matrix.maximise
    _add_linking_rows(model, lp, flow_cols, sites)
    bound: float | None = None
    full_bound: float | None = None
    duals: np.ndarray | None = None
    columns = FullColumns.of(model, matrix)

    def flows() -> np.ndarray:
        # the matrix column of each model arc (a restricted model's grow as full arcs join)
        return flow_cols if columns is None else columns.flow_col

    def padded(x: np.ndarray) -> np.ndarray:
        return np.concatenate([x, np.zeros(lp.matrix.n_cols - x.size)])

    last_duals: list[np.ndarray] = []
    lp_share = LARGE_LP_SHARE if len(model.flow) >= LARGE_MODEL_ARCS else LP_SHARE
    if lp.run(lp_share * (deadline - time.monotonic()), method="ipm"):
        # priced over every arc, the relaxation's optimum bounds the MILP (national: 0.6 s more); the
        # plan's first event then comes with a gap, which a cancel right after it keeps
        last_duals.append(lp.row_duals())
        if full_price(
            model,
            lp,
            time.monotonic()
            + (BOUND_SHARE if columns is None else RESTRICTED_BOUND_SHARE) * (deadline - time.monotonic()),
            columns=columns,
            cancel=cancel,
            on_optimal=lambda solved: last_duals.append(solved.row_duals()),
        ):
            bound = lp.objective()
            full_bound = bound if columns is not None else None
        # any multipliers give the site Lagrangian a valid bound: the last optimal LP's are its start
        duals = last_duals[-1]
        x = lp.values()
        sites.lp_open = np.array([x[c].sum() for c in sites.cols])
        sites.lp_choice = np.array([int(np.argmax(x[c])) for c in sites.cols], dtype=np.int64)
    else:
        # no relaxation in time: start from every site open, each with its largest module
        sites.lp_open = np.ones(len(sites.cols))
        sites.lp_choice = np.array([int(np.argmax(_capacities(model, j))) for j in range(len(sites.cols))])
    if is_cancelled(cancel):
        return None
    best: float | None = None
    support = _round_at_support(model, maximise)
    for threshold in ROUND_AT[-1:] if support else ROUND_AT:
        sites.choice = np.where(~sites.candidate | (sites.lp_open > threshold), sites.lp_choice, -1)
        # a first plan matters more than the search: rounding may take until the finish
        best = _evaluate(lp, sites, finish, model, flows(), primal=support, columns=columns)
        if best is not None:
            break
    if best is None:
        return None
    best_x = lp.values()
    best_choice = sites.choice.copy()
    told = time.monotonic()
    if on_plan is not None:
        on_plan(
            best,
            int((sites.choice >= 0).sum()),
            bound,
            _incumbent(model, lp.values(), flows(), sites, best),
        )
    moves = 0
    improved = True
    while improved and not is_cancelled(cancel) and time.monotonic() < deadline:
        improved = False
        for j, module in _moves(sites):
            if is_cancelled(cancel) or time.monotonic() >= deadline:
                break
            before = int(sites.choice[j])
            sites.choice[j] = module
            # opening a site only relaxes bounds: the last basis stays primal feasible
            value = _evaluate(lp, sites, deadline, model, flows(), primal=before < 0, columns=columns)
            if value is not None and _gain(value, best, maximise) > 0:
                best, moves, improved = value, moves + 1, True
                best_x, best_choice = lp.values(), sites.choice.copy()
                if on_plan is not None and time.monotonic() - told >= PLAN_REPORT_S:
                    told = time.monotonic()
                    on_plan(
                        best,
                        int((sites.choice >= 0).sum()),
                        bound,
                        _incumbent(model, best_x, flows(), sites, best),
                    )
            else:
                sites.choice[j] = before
    # the LP holds the last move tried: restore the best plan, then price the omitted arcs at its sites
    sites.choice = best_choice
    _fix_modules(lp, sites)
    kept: list[tuple[float, np.ndarray]] = [(best, best_x)]

    def keep(solved: PricedLp) -> None:
        # each optimal flow LP on the way is a plan of these sites: pricing may stop before the last
        value = solved.objective()
        if _gain(value, kept[-1][0], maximise) > 0:
            kept.append((value, solved.values()))

    priced = not is_cancelled(cancel) and full_price(
        model,
        lp,
        finish,
        columns=columns,
        cancel=cancel,
        allowed=lambda: _open_arcs(model, sites, lp.matrix, flows()),
        on_optimal=keep,
    )
    matrix, flow_cols = lp.matrix, flows()
    x = padded(kept[-1][1])
    if priced and lp.run(finish - time.monotonic()) and not is_cancelled(cancel):
        x = lp.values()  # the best plan's sites with flows over every arc
    if matrix.violation(x) > FEASIBILITY_TOLERANCE:
        return None
    objective = matrix.objective_value(x)
    n_columns = int(lp.active[flow_cols].sum())
    values = {var: float(x[k]) for k, var in enumerate(matrix.variables)}
    if on_plan is not None:
        on_plan(
            objective,
            int((sites.choice >= 0).sum()),
            bound,
            _incumbent(model, x, flow_cols, sites, objective),
        )
    if bound is None and priced:
        bound = _relaxation_bound(lp, sites, finish, cancel)
    known = bound
    told = time.monotonic()

    def tighter(found: float) -> None:
        # each bound the subgradient method reaches is valid: show it with the plan as it improves
        nonlocal told
        if on_plan is None or time.monotonic() - told < PLAN_REPORT_S:
            return
        if known is None or (found < known if maximise else found > known):
            told = time.monotonic()
            on_plan(objective, int((sites.choice >= 0).sum()), found, None)

    multipliers = None if duals is None else (1.0 if maximise else -1.0) * duals
    # a restricted model's site Lagrangian would hold for its columns only: the full network's
    # (full_lagrangian) starts from these duals after the heuristic instead
    lagrangian = (
        None
        if columns is not None
        else _lagrangian_bound(model, matrix, duals, objective, finish, cancel, tighter)
    )
    if lagrangian is not None and (
        bound is None or (lagrangian[0] < bound if maximise else lagrangian[0] > bound)
    ):
        bound, multipliers = lagrangian
    open_modules = {
        model.sites[j].id: model.sites[j].modules[int(m)].id for j, m in enumerate(sites.choice) if m >= 0
    }
    return HeuristicPlan(
        values=values,
        objective=objective,
        open_modules=open_modules,
        lp_solves=lp.lp_solves,
        moves=moves,
        columns=n_columns,
        arcs=len(model.flow),
        seconds=time.monotonic() - started,
        priced=priced,
        bound=bound,
        multipliers=multipliers,
        full_bound=full_bound,
    )


def _incumbent(
    model: NetworkDesignModel, x: np.ndarray, flow_cols: np.ndarray, sites: _Sites, objective: float
) -> IncumbentPlan:
    """The plan at LP values ``x`` with the modules of ``sites.choice``, as a progress event carries it
    (sites and flows only: enough to draw it; the final plan is extracted in full)."""
    v = np.asarray(x)[flow_cols]
    arcs = model.arcs
    used = np.flatnonzero(v > INCUMBENT_FLOW_EPS_T)
    cu = model.copper_content
    # copper, km, transport cost and pricing mode as the final plan's flows have them (extract._flows)
    flows = tuple(
        IncumbentFlow(
            model.node_ids[arcs.tail[n]],
            model.node_ids[arcs.head[n]],
            model.grade_ids[arcs.grade[n]],
            str(arcs.echelon_of(n)),
            float(v[n]),
            t_cu=float(v[n]) * float(cu[arcs.grade[n]]),
            km=float(arcs.km[n]),
            cost_cny=float(v[n]) * float(arcs.cost_cny_per_t[n]),
            mode=mode,
        )
        for n, mode in zip(used.tolist(), arc_modes(model, used), strict=True)
    )
    open_modules = tuple(
        (model.sites[j].id, model.sites[j].modules[int(m)].id) for j, m in enumerate(sites.choice) if m >= 0
    )
    return IncumbentPlan(objective, open_modules, flows)


def _must_collect_everything(model: NetworkDesignModel) -> bool:
    """Whether every tonne must be collected (a utilization target of 100 %: facility location).

    There rounding the LP rarely lands near the optimum (capa at 12,000: 22.0 M and 20.4 M against the
    optimum 17.77 M) and its search takes the time in which the MILP restricted to the LP's sites finds
    the optimum (93 s without the heuristic, 114 s or not at all within 120 s with it), so such stages
    start from that restricted MILP as before.
    """
    target = model.requirements.target_utilization
    return target is not None and target >= 1.0 - 1e-9


def heuristic_start(
    model: NetworkDesignModel,
    limit_s: float,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[dict[pulp.LpVariable, float] | None, SolverResult | None, dict[str, float] | None]:
    """:func:`first_plan` within ``limit_s`` as a solve stage's start: (values, result, multipliers) or
    Nones; ``multipliers`` (:func:`named_multipliers`) are those of the heuristic's bound.

    The plan is reported at once to ``progress`` as an incumbent (the app shows it while HiGHS works),
    and the result reads like a solver's: feasible, with no bound of its own.
    """
    if (
        not model.module_open
        or _must_collect_everything(model)
        or len(model.flow) < HEURISTIC_MIN_ARCS
        or limit_s < HEURISTIC_MIN_STAGE_S
        or is_cancelled(cancel)
    ):
        return None, None, None
    search_s = min(HEURISTIC_MAX_SHARE * limit_s, max(HEURISTIC_MIN_S, HEURISTIC_SHARE * limit_s))
    now = time.monotonic()
    finish_by = now + min(HEURISTIC_FINISH_SHARE * limit_s, search_s + FINISH_EXTRA_S)
    if model.full is not None:
        # a restricted model: its relaxation priced over every arc is the bound, and nothing after the
        # heuristic finds a better plan in the time (national5's separation LP took 44 s for no bound)
        search_s = RESTRICTED_SEARCH_SHARE * limit_s
        finish_by = now + RESTRICTED_FINISH_SHARE * limit_s
    elif len(model.flow) >= LARGE_MODEL_ARCS:
        # its relaxation alone takes 15-35 s there, and HiGHS finds no plan of its own in the time
        search_s = LARGE_SEARCH_SHARE * limit_s
        finish_by = now + LARGE_FINISH_SHARE * limit_s

    def tell(objective: float, sites: int, bound: float | None, incumbent: IncumbentPlan | None) -> None:
        if progress is not None:
            gap = None if bound is None else abs(bound - objective) / max(abs(objective), 1e-10)
            text = msg("progress.first_plan", objective=objective, sites=sites)
            progress(
                ProgressEvent(
                    msg("phase.solving_first_plan"),
                    0.0,
                    text,
                    incumbent=objective,
                    bound=bound,
                    gap=gap,
                    incumbent_plan=incumbent,
                )
            )

    plan = first_plan(model, now + search_s, cancel=cancel, on_plan=tell, finish_by=finish_by)
    if plan is None:
        return None, None, None
    # a restricted model's own bounds hold for its columns only: its result carries the full network's
    bound = plan.bound if model.full is None else plan.full_bound
    tell(plan.objective, len(plan.open_modules), bound, None)
    gap = None if bound is None else abs(bound - plan.objective) / max(abs(plan.objective), 1e-10)
    result = SolverResult(
        SolveOutcome.FEASIBLE, True, plan.objective, bound, gap, plan.seconds, "heuristic", "first plan"
    )
    return plan.values, result, named_multipliers(model, plan.multipliers)


def named_multipliers(model: NetworkDesignModel, y: np.ndarray | None) -> dict[str, float] | None:
    """Multipliers ``y`` of the model's rows (:class:`LpMatrix` order, maximisation form) by the rows'
    readable names (``supply[CP01,No1]``), the way :mod:`optimizer.design.full_lagrangian` reads them."""
    if y is None:
        return None
    readable = {c.name: name for name, c in model.constraints.items()}
    rows = list(constraint_table(model.problem))
    if len(rows) != y.size:
        return None
    return {
        readable[n]: float(v)
        for n, v in zip(rows, y.tolist(), strict=True)
        if n in readable and np.isfinite(v)
    }


def not_worse(
    progress: ProgressCallback | None, objective: float | None, maximise: bool
) -> ProgressCallback | None:
    """``progress`` whose incumbent never falls behind ``objective`` (a plan already found and shown).

    A solve that starts from the heuristic's plan reports its own first incumbents, which can be worse
    (the restricted MILP before it reads the start, or a start HiGHS rejects at its tolerances); the
    plan the user has seen stays the one shown until a better one is found.
    """
    if progress is None or objective is None:
        return progress
    best = objective

    def report(event: ProgressEvent) -> None:
        incumbent = event.incumbent
        if incumbent is not None and (incumbent < best if maximise else incumbent > best):
            gap = None
            if event.bound is not None:
                gap = abs(event.bound - best) / max(abs(best), 1e-10)
            event = dataclasses.replace(event, incumbent=best, gap=gap)
        progress(event)

    return report


def _relaxation_bound(
    lp: PricedLp, sites: _Sites, deadline: float, cancel: CancelToken | None
) -> float | None:
    """The LP relaxation's optimum over every arc (priced in), or None when it is not reached in time.

    The module columns get their own bounds back and every omitted arc may enter: the optimum is that of
    the full model's relaxation without the linking rows (which only tighten it), a valid MILP bound.
    """
    if is_cancelled(cancel) or time.monotonic() >= deadline:
        return None
    cols = np.concatenate(sites.cols)
    lp.set_bounds(cols, lp.matrix.lower[cols], lp.matrix.upper[cols])
    if not lp.price(deadline, cancel=cancel):
        return None
    return lp.objective()


def _round_at_support(model: NetworkDesignModel, maximise: bool) -> bool:
    """Whether rounding opens every site the relaxation uses (then drops) instead of the first
    threshold of :data:`ROUND_AT` that gives a plan.

    On a maximisation that requires nothing (no utilization target, no copper floor) every threshold
    gives a plan, so the first one, 0.5, always wins, and where the relaxation spreads the fixed costs
    over many fractional sites it opens far too few: syn5000x200 (smelters short of capacity) opened 15
    sites for 18.07 G CNY, where the relaxation's 145 sites give 19.48 G at once and dropping the worst
    of them 19.94 G within 40 moves. Opening sites keeps the relaxation's basis primal feasible, so the
    primal simplex reaches it in seconds (2.4 s against 21 s of dual simplex for the 0.5 rounding).
    """
    req = model.requirements
    required = (req.target_utilization or 0.0) > 0 or (req.copper_floor_t_cu or 0.0) > 0
    return maximise and not required and len(model.flow) >= SUPPORT_ROUNDING_MIN_ARCS


def _lagrangian_bound(
    model: NetworkDesignModel,
    matrix: LpMatrix,
    duals: np.ndarray | None,
    objective: float,
    deadline: float,
    cancel: CancelToken | None,
    on_bound: Callable[[float], None] | None = None,
) -> tuple[float, np.ndarray] | None:
    """The site Lagrangian's bound (:mod:`optimizer.design.site_lagrangian`) from the relaxation's duals
    with the plan's ``objective`` as the target, within ``deadline``, and its multipliers (matrix rows,
    maximisation form); None when it does not apply."""
    left = min(LAGRANGIAN_MAX_S, deadline - time.monotonic())
    if duals is None or left < LAGRANGIAN_MIN_S or is_cancelled(cancel):
        return None
    structure = site_structure(model, matrix)
    if structure is None:
        return None
    result = subgradient(
        structure,
        structure.sign * duals,  # HiGHS's duals of a minimisation change sign in the maximisation form
        objective,
        left,
        cancel=cancel,
        moving=rows_named(model, LAGRANGIAN_MOVING),
        on_bound=on_bound,
    )
    return (result.bound, result.multipliers) if np.isfinite(result.bound) else None


def _capacities(model: NetworkDesignModel, j: int) -> np.ndarray:
    return np.array([m.capacity_t_per_year for m in model.sites[j].modules])


def _restricted_columns(
    model: NetworkDesignModel, matrix: LpMatrix, flow_cols: np.ndarray, head_open: np.ndarray | None = None
) -> np.ndarray:
    """Every non-arc column, every transfer and delivery arc, and each yard's best collection arcs.

    With ``head_open`` (per node), the best arcs are counted among the arcs into open nodes only: a plan
    whose sites are fixed needs each yard's nearest *open* sites, or a must-collect model is infeasible.
    """
    arcs = model.arcs
    active = np.ones(matrix.n_cols, dtype=bool)
    collection = np.flatnonzero(arcs.echelon == 0)
    if head_open is not None:
        collection = collection[head_open[arcs.head[collection]]]
        active[flow_cols[arcs.echelon == 0]] = False
    if collection.size == 0:
        return active
    P, J = model.n_points, len(model.sites)
    to_smelter = (arcs.head[collection] >= P + J).astype(np.int64)
    group = (arcs.tail[collection] * len(model.grade_ids) + arcs.grade[collection]) * 2 + to_smelter
    # best first: lowest cost of a minimisation, highest coefficient of a maximisation
    key = matrix.cost[flow_cols[collection]]
    key = -key if matrix.maximise else key
    order = np.lexsort((key, group))
    sorted_group = group[order]
    first = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.empty(collection.size, dtype=np.int64)
    rank[order] = np.arange(collection.size) - first
    sites_k, smelters_k = _nearest(model)
    keep = rank < np.where(to_smelter == 1, smelters_k, sites_k)
    cols = flow_cols[collection]
    # an arc with a positive lower bound must stay (pricing only adds columns at their lower bound 0)
    active[cols] = keep | (matrix.lower[cols] != 0)
    return active


def _add_linking_rows(model: NetworkDesignModel, lp: PricedLp, flow_cols: np.ndarray, sites: _Sites) -> int:
    """Add the linking rows ``x <= bound * open`` of the restricted arcs to the LP (not to the model).

    Without them the relaxation of a capacitated location model opens every site a little (each by its
    share of the flow) and rounding has nothing to go on; with them it opens few, nearly whole (the
    strong formulation). Only up to :data:`LINK_ROWS_MAX` rows, the model's own rows excepted.
    """
    if model.link_arcs.size == 0:
        return 0
    todo = np.flatnonzero(~model.link_added & lp.active[flow_cols[model.link_arcs]])
    if todo.size == 0 or todo.size > LINK_ROWS_MAX:
        return 0
    arc_pos = lp.position[flow_cols[model.link_arcs[todo]]]
    site = model.link_site[todo]
    width = np.array([c.size for c in sites.cols])[site]
    starts = np.concatenate([[0], np.cumsum(1 + width)[:-1]]).astype(np.int32)
    index: list[int] = []
    value: list[float] = []
    for k in range(todo.size):
        zs = lp.position[sites.cols[int(site[k])]]
        index.append(int(arc_pos[k]))
        index.extend(zs.tolist())
        value.append(1.0)
        value.extend([-float(model.link_bound[todo[k]])] * zs.size)
    lp.highs.addRows(
        int(todo.size),
        np.full(todo.size, -np.inf),
        np.zeros(todo.size),
        len(index),
        starts,
        np.array(index, dtype=np.int32),
        np.array(value),
    )
    return int(todo.size)


def _site_columns(model: NetworkDesignModel, matrix: LpMatrix) -> _Sites:
    cols = [matrix.columns([model.module_open[(s.id, m.id)] for m in s.modules]) for s in model.sites]
    n = len(model.sites)
    candidate = np.array([s.status is SiteStatus.CANDIDATE for s in model.sites], dtype=bool)
    return _Sites(cols, candidate, np.zeros(n), np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64))


def _fix_modules(lp: PricedLp, sites: _Sites) -> None:
    """Fix every module column: 1 for the module each site runs, 0 for the others."""
    cols = np.concatenate(sites.cols)
    value = np.concatenate(
        [(np.arange(c.size) == sites.choice[j]).astype(float) for j, c in enumerate(sites.cols)]
    )
    lp.set_bounds(cols, value, value)


def _nearest(model: NetworkDesignModel) -> tuple[int, int]:
    """How many best arcs into sites and into smelters each yard and grade keeps in the flow LP."""
    large = len(model.flow) >= LARGE_MODEL_ARCS
    return LARGE_NEAREST if large else (NEAREST_SITES, NEAREST_SMELTERS)


def _evaluate(
    lp: PricedLp,
    sites: _Sites,
    deadline: float,
    model: NetworkDesignModel,
    flow_cols: np.ndarray,
    *,
    primal: bool = False,
    columns: FullColumns | None = None,
) -> float | None:
    """The flow LP's optimum with the sites' modules fixed as in ``sites.choice`` (None: infeasible).

    Each yard's best arcs into the sites now open join the LP first (columns only ever join: the arcs
    into closed sites carry nothing, their capacity being 0). A drop needs them too: without them the
    drops on syn5000x200 ended at a plan of 20.49 G CNY instead of 20.57 G.
    """
    head_open = np.ones(len(model.node_ids), dtype=bool)
    head_open[model.n_points + np.flatnonzero(sites.choice < 0)] = False
    if columns is None:
        restricted = _restricted_columns(model, lp.matrix, flow_cols, head_open)
        lp.add_columns(np.flatnonzero(restricted & ~lp.active))
    else:
        # a restricted model: each yard's best arcs into the open sites among *all* its arcs
        cols = columns.ensure(lp, columns.nearest_open(head_open, *_nearest(model)))
        if cols is not None:
            lp.add_columns(cols)
    _fix_modules(lp, sites)
    if not lp.run(max(0.2, deadline - time.monotonic()), primal=primal):
        return None
    return lp.objective()


def _moves(sites: _Sites) -> list[tuple[int, int]]:
    """(site, new module or -1) to try: drop opened candidates, then open closed ones, then swap modules."""
    opened = [j for j in np.flatnonzero(sites.candidate & (sites.choice >= 0))]
    closed = [j for j in np.flatnonzero(sites.candidate & (sites.choice < 0))]
    drops = [(int(j), -1) for j in sorted(opened, key=lambda j: sites.lp_open[j])]
    adds = [(int(j), int(sites.lp_choice[j])) for j in closed]
    adds.sort(key=lambda move: -sites.lp_open[move[0]])
    swaps = [
        (int(j), m)
        for j in np.flatnonzero(sites.choice >= 0)
        for m in range(sites.cols[j].size)
        if sites.cols[j].size > 1 and m != sites.choice[j]
    ]
    return drops + adds + swaps


def _open_arcs(
    model: NetworkDesignModel, sites: _Sites, matrix: LpMatrix, flow_cols: np.ndarray
) -> np.ndarray:
    """Matrix columns pricing may add: every column but the arcs into or out of a closed site."""
    closed = np.zeros(len(model.node_ids), dtype=bool)
    closed[model.n_points + np.flatnonzero(sites.choice < 0)] = True
    allowed = np.ones(matrix.n_cols, dtype=bool)
    allowed[flow_cols[closed[model.arcs.head] | closed[model.arcs.tail]]] = False
    return allowed


def _gain(value: float, best: float, maximise: bool) -> float:
    """How much ``value`` improves on ``best`` beyond the relative tolerance (<= 0: no improvement)."""
    delta = value - best if maximise else best - value
    return delta - IMPROVEMENT * max(1.0, abs(best))


__all__ = ["HeuristicPlan", "first_plan"]
