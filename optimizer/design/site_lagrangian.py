"""A Lagrangian bound for any network design: relax every row but the sites' own, one knapsack per site.

Why: on profit-maximising designs whose smelters cannot take all the scrap (syn5000x200: 7.49 Mt of
supply, 5.86 Mt of smelter capacity, 177,076 arcs) the LP relaxation without linking rows overstates
the profit by about the fixed costs it spreads over fractional sites (20.86 G CNY against plans near
20.3 G: 2-3 %), and the LP with every linking row (as strong as it gets) takes HiGHS minutes. The
facility-location bound of :mod:`optimizer.design.lagrangian` needs every tonne collected and every
arc into a site, so it does not apply there.

The relaxation: keep each site's capacity row ``sum_in x <= sum_k cap_k z_k``, its module row ``sum_k
z_k <= 1`` (``= 1`` for an existing site) and the bounds; move every other row (supply, balance,
smelter capacity, blend, linking, budget, target, ...) into the objective with a multiplier ``y_r`` of
the right sign (``<=`` rows ``y >= 0``, ``>=`` rows ``y <= 0`` in the maximisation form, equalities
free). Every column then has a reduced objective ``c - A^T y``; an arc into a site belongs to that
site's subproblem, any other column has an upper bound implied by a row of non-negative terms (a
supply row bounds a direct haul by the supply, a smelter row a delivery by the smelter's capacity), so
the maximum is finite for *every* multiplier. Each site's subproblem is: closed (value 0, unless it
must run), or one module at its fixed cost plus a continuous knapsack of its arcs with positive reduced
value up to the module's capacity, each arc up to its implied bound. Why it is valid: every plan of
the model is feasible for the relaxed problem (it keeps a subset of the rows and only implied bounds
are added) and gains nothing from the relaxed terms (``y_r (b_r - a_r x) >= 0`` by the signs), so for
any multipliers ``L(y) = sum_r y_r b_r + max(...)`` is at least the best plan's objective (for a
maximisation; a minimisation is solved as the maximisation of ``-c``). Why it is strong: the
subproblem keeps the sites' integrality, so its best multipliers give a bound at least as tight as the
LP relaxation with every linking row ``x <= min(supply, capacity) * open``, which the model itself only
separates.

:func:`site_structure` reads the model into arrays once (or says it does not apply: a column in two
sites' capacity rows, an unbounded column, slack columns); :func:`evaluate` is one bound (a few
vector operations over the arcs, 20-60 ms on 177,076 arcs); :func:`subgradient` moves the multipliers
from a start (an LP's duals) towards the best bound; :func:`site_fixing` says which sites every plan
better than an incumbent must close or open.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.pricing import LpMatrix
from optimizer.design.pulp_access import constraint_table
from optimizer.progress import CancelToken, is_cancelled

#: Polyak's step multiplier starts here, halves after :data:`PATIENCE` iterations without a better
#: bound, and the method stops when it falls below :data:`STEP_MIN`.
STEP_START = 1.0
PATIENCE = 8
STEP_MIN = 1e-3

#: A fixing test must beat the incumbent by this much (relative): the bound is a sum of ~10^5 terms.
FIX_MARGIN_REL = 1e-7


@dataclass(frozen=True, slots=True)
class SiteStructure:
    """The model's columns and rows sorted into the relaxation's parts (see the module docstring).

    ``sign`` is +1 for a maximisation, -1 for a minimisation (the relaxation works on ``sign * c``).
    ``kept`` marks the sites' own rows; ``arc_site`` is the site of each column that enters a site's
    capacity row (-1 for the others); options are the (site, module) columns with their capacity;
    ``upper`` is each column's bound, implied ones included.
    """

    matrix: LpMatrix
    sign: float
    kept: np.ndarray
    arc_site: np.ndarray
    option_col: np.ndarray
    option_site: np.ndarray
    option_cap: np.ndarray
    option_forced: np.ndarray  # bool per option: its column's lower bound is 1
    closable: np.ndarray  # bool per site: it may stay closed
    upper: np.ndarray
    other: np.ndarray  # columns outside the sites' subproblems
    site_cols: np.ndarray  # columns of arcs into sites
    n_sites: int


@dataclass(frozen=True, slots=True)
class SiteBound:
    """One evaluation: the bound (in the model's own objective), each site's choice and the primal x.

    ``choice[j]`` is the option index the subproblem opens at site ``j`` (-1: closed); ``open_value`` /
    ``closed_value`` are each site's best subproblem value with it open / closed (-inf: not allowed),
    in the maximisation form; ``x`` the subproblem's column values (for the subgradient).
    """

    bound: float
    choice: np.ndarray
    open_value: np.ndarray
    closed_value: np.ndarray
    x: np.ndarray
    subgradient: np.ndarray


@dataclass(frozen=True, slots=True)
class SubgradientResult:
    """The best bound found (model's objective), its multipliers and evaluation, and the work done."""

    bound: float
    multipliers: np.ndarray
    best: SiteBound
    iterations: int
    seconds: float


def site_structure(model: NetworkDesignModel, matrix: LpMatrix) -> SiteStructure | None:
    """The relaxation's parts of ``model`` as read into ``matrix`` (same problem, same state), or None.

    None when the model is not of the expected shape: a site without its capacity row, a column in two
    capacity rows, a module column outside its site's rows, a flow with a non-zero lower bound, or a
    column outside the sites with no finite bound (an elastic model's slacks).
    """
    if not model.sites or not model.module_open:
        return None
    names = list(constraint_table(model.problem).keys())
    if len(names) != matrix.n_rows:
        return None
    row_of = {name: r for r, name in enumerate(names)}
    n = matrix.n_cols
    kept = np.zeros(matrix.n_rows, dtype=bool)
    arc_site = np.full(n, -1, dtype=np.int64)
    option_col: list[int] = []
    option_site: list[int] = []
    option_cap: list[float] = []
    closable = np.ones(len(model.sites), dtype=bool)
    for j, site in enumerate(model.sites):
        cap = model.constraints.get(f"cap[{site.id}]")
        if cap is None or cap.name not in row_of:
            return None
        r = row_of[cap.name]
        kept[r] = True
        module = model.constraints.get(f"module[{site.id}]")
        if module is not None and module.name in row_of:
            kept[row_of[module.name]] = True
            if module.getLb() is not None and module.getLb() >= 1.0 - 1e-9:
                closable[j] = False
        cols_z = [matrix.column_of[id(model.module_open[(site.id, m.id)])] for m in site.modules]
        for k, m in enumerate(site.modules):
            option_col.append(cols_z[k])
            option_site.append(j)
            option_cap.append(float(m.capacity_t_per_year))
        in_row = matrix.row == r
        cols = matrix.col[in_row]
        coef = matrix.value[in_row]
        arcs = cols[coef > 0]
        if set(cols[coef <= 0].tolist()) - set(cols_z) or (arc_site[arcs] >= 0).any():
            return None
        if not np.allclose(coef[coef > 0], 1.0):
            return None
        arc_site[arcs] = j
    option_col_a = np.array(option_col, dtype=np.int64)
    forced = matrix.lower[option_col_a] >= 1.0 - 1e-9
    closable[np.array(option_site, dtype=np.int64)[forced]] = False
    is_option = np.zeros(n, dtype=bool)
    is_option[option_col_a] = True
    # a module column may appear in relaxed rows (linking, budget, ...) but in no other site's kept rows
    if (matrix.lower[~is_option] != 0).any():
        return None
    upper = _implied_upper(matrix)
    other = np.flatnonzero((arc_site < 0) & ~is_option)
    if not np.isfinite(upper[other]).all():
        return None
    return SiteStructure(
        matrix=matrix,
        sign=-1.0 if not matrix.maximise else 1.0,
        kept=kept,
        arc_site=arc_site,
        option_col=option_col_a,
        option_site=np.array(option_site, dtype=np.int64),
        option_cap=np.array(option_cap),
        option_forced=forced,
        closable=closable,
        upper=upper,
        other=other,
        site_cols=np.flatnonzero(arc_site >= 0),
        n_sites=len(model.sites),
    )


def _implied_upper(matrix: LpMatrix) -> np.ndarray:
    """Each column's upper bound, tightened by every row whose terms are all non-negative on columns
    that are all non-negative: ``a_rc x_c <= b_r`` then holds for each of its columns alone."""
    n_rows = matrix.n_rows
    negative_term = np.zeros(n_rows, dtype=bool)
    np.logical_or.at(negative_term, matrix.row, matrix.value < 0)
    free_col = matrix.lower < 0
    np.logical_or.at(negative_term, matrix.row, free_col[matrix.col])
    usable = ~negative_term & np.isfinite(matrix.row_upper)
    take = usable[matrix.row] & (matrix.value > 0)
    upper = matrix.upper.copy()
    bound = matrix.row_upper[matrix.row[take]] / matrix.value[take]
    np.minimum.at(upper, matrix.col[take], np.maximum(bound, 0.0))
    return upper


def project(s: SiteStructure, y: np.ndarray) -> np.ndarray:
    """``y`` with the kept rows at 0 and every relaxed row's multiplier of the sign its row allows."""
    m = s.matrix
    y = np.where(s.kept, 0.0, y)
    y = np.where(np.isinf(m.row_lower), np.maximum(y, 0.0), y)  # <= rows (maximisation form)
    y = np.where(np.isinf(m.row_upper), np.minimum(y, 0.0), y)  # >= rows
    return y


def evaluate(s: SiteStructure, y: np.ndarray) -> SiteBound:
    """The Lagrangian bound at multipliers ``y`` (projected first; one per matrix row, in the
    maximisation form) with its subproblem solution and a subgradient."""
    m = s.matrix
    y = project(s, y)
    c = s.sign * m.cost
    rc = c - np.bincount(m.col, weights=m.value * y[m.row], minlength=m.n_cols)
    x = np.zeros(m.n_cols)
    # columns outside the sites: at their (implied) bound when their reduced value is positive
    others = s.other
    x[others] = np.where(rc[others] > 0, s.upper[others], 0.0)
    value = float(np.where(rc[others] > 0, rc[others] * s.upper[others], 0.0).sum())
    # the sites: closed, or one module with a continuous knapsack of its positive arcs
    cols = s.site_cols[rc[s.site_cols] > 0]
    site = s.arc_site[cols]
    order = np.lexsort((-rc[cols], site))
    cols, site = cols[order], site[order]
    r_sorted = rc[cols]
    u_sorted = s.upper[cols]
    first = np.searchsorted(site, np.arange(s.n_sites))
    J = s.n_sites
    gain, option_take = option_knapsacks(site, r_sorted, u_sorted, first, s.option_site, s.option_cap)
    option_value = rc[s.option_col] + gain
    open_value = np.full(J, -np.inf)
    np.maximum.at(open_value, s.option_site, option_value)
    best_option = np.full(J, -1, dtype=np.int64)
    for o in np.argsort(option_value, kind="stable").tolist():  # the largest value wins, last written
        best_option[s.option_site[o]] = o
    # a forced option (lower bound 1) is the only choice of its site
    for o in np.flatnonzero(s.option_forced).tolist():
        j = int(s.option_site[o])
        best_option[j] = o
        open_value[j] = option_value[o]
    closed_value = np.where(s.closable, 0.0, -np.inf)
    opens = open_value > closed_value
    choice = np.where(opens, best_option, -1)
    value += float(np.where(opens, open_value, closed_value).sum())
    for j in np.flatnonzero(opens).tolist():
        o = int(choice[j])
        x[s.option_col[o]] = 1.0
        lo, hi = int(first[j]), int(first[j + 1]) if j + 1 < J else cols.size
        x[cols[lo:hi]] = option_take[o][lo:hi]
    finite_lo = np.isfinite(m.row_lower)
    finite_hi = np.isfinite(m.row_upper)
    rhs = np.where(y > 0, np.where(finite_hi, m.row_upper, 0.0), np.where(finite_lo, m.row_lower, 0.0))
    value += float(y @ rhs)
    bound = s.sign * (value + s.sign * m.offset)
    activity = m.activity(x)
    # b - A x per relaxed row: for <= rows against the upper bound, >= rows the lower, equalities either
    target = np.where(finite_hi, m.row_upper, np.where(finite_lo, m.row_lower, activity))
    target = np.where(finite_hi & finite_lo & (activity < m.row_lower), m.row_lower, target)
    g = np.where(s.kept, 0.0, target - activity)
    return SiteBound(bound, choice, open_value, closed_value, x, g)


def option_knapsacks(
    site: np.ndarray,
    value: np.ndarray,
    upper: np.ndarray,
    first: np.ndarray,
    option_site: np.ndarray,
    option_cap: np.ndarray,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each module option's continuous knapsack: its site's arcs, best value first, up to its capacity.

    The arcs come sorted by site and, within a site, by ``value`` (positive) descending, each up to
    ``upper``; ``first[j]`` is site ``j``'s first arc. Returns per option the value it takes in and the
    tonnes it takes of every arc (an array over all the arcs: 0 outside its site). One pass over the arcs
    per module rank, vectorised over the sites: the site Lagrangian of a restricted model's full
    network (:mod:`optimizer.design.full_lagrangian`, 2.49 M arcs) and of a model's columns (here) share it.
    """
    J = first.size
    gain = np.zeros(option_site.size)
    takes: list[np.ndarray] = [np.zeros(0)] * option_site.size
    ranks = option_ranks(option_site)
    for k in range(int(ranks.max()) + 1 if ranks.size else 0):
        mine = np.flatnonzero(ranks == k)
        cap = np.zeros(J)
        cap[option_site[mine]] = option_cap[mine]
        cc = cap[site]
        u = np.minimum(upper, cc)
        before = np.cumsum(u) - u
        if u.size:
            before = before - before[np.minimum(first[site], u.size - 1)]
        take = np.clip(cc - before, 0.0, u)
        per_site = np.bincount(site, weights=value * take, minlength=J)
        gain[mine] = per_site[option_site[mine]]
        for o in mine.tolist():
            takes[o] = take
    return gain, takes


def option_ranks(option_site: np.ndarray) -> np.ndarray:
    """Each module option's rank among its site's options (0, 1, ... in the order given)."""
    rank = np.zeros(option_site.size, dtype=np.int64)
    seen: dict[int, int] = {}
    for o, j in enumerate(option_site.tolist()):
        rank[o] = seen.get(j, 0)
        seen[j] = int(rank[o]) + 1
    return rank


def subgradient(
    s: SiteStructure,
    start: np.ndarray,
    target: float | None,
    time_limit_s: float,
    *,
    cancel: CancelToken | None = None,
    target_gap: float = 0.0,
    max_iterations: int = 2000,
    moving: np.ndarray | None = None,
    on_bound: Callable[[float], None] | None = None,
) -> SubgradientResult:
    """The best bound the subgradient method reaches from multipliers ``start`` within ``time_limit_s``.

    ``target`` is the objective of a known plan (Polyak's step aims at it; without one, at 1 % past the
    bound). Every bound evaluated is valid; the best is returned with its multipliers. Stops when the
    bound is within ``target_gap`` of the target, the step has shrunk to nothing, at the time limit or
    on cancel. ``moving`` (bool per row) lets only those rows' multipliers move, the others keep their
    start: a balance row's multiplier moved by the subgradient flips every delivery out of its site
    between nothing and the smelter's whole capacity (syn5000x200: no better bound in 180 steps,
    from the LP's duals), while moving the supply rows' alone lowers it steadily. ``on_bound`` hears
    of each better bound (in the model's objective) as it is found.
    """
    t0 = time.monotonic()
    y = project(s, start.astype(float))
    best = evaluate(s, y)
    best_y = y
    theta = STEP_START
    stale = 0
    it = 0
    current = best
    while it < max_iterations and time.monotonic() - t0 < time_limit_s and not is_cancelled(cancel):
        if target is not None and _gap(best.bound, target) <= target_gap:
            break
        g = current.subgradient if moving is None else np.where(moving, current.subgradient, 0.0)
        norm = float(g @ g)
        if norm <= 1e-18:
            break  # the relaxed solution satisfies every relaxed row: the bound is exact
        # in the maximisation form the bound falls as y moves against the subgradient
        here = s.sign * current.bound
        aim = s.sign * target if target is not None else here - 0.01 * max(abs(here), 1.0)
        step = theta * max(here - aim, 1e-9 * max(abs(here), 1.0)) / norm
        y = project(s, y - step * g)
        current = evaluate(s, y)
        it += 1
        if s.sign * current.bound < s.sign * best.bound - 1e-12 * max(abs(best.bound), 1.0):
            best, best_y, stale = current, y, 0
            if on_bound is not None:
                on_bound(best.bound)
        else:
            stale += 1
            if stale >= PATIENCE:
                theta /= 2.0
                stale = 0
                current, y = best, best_y  # restart from the best point with the smaller step
                if theta < STEP_MIN:
                    break
    return SubgradientResult(best.bound, best_y, best, it, time.monotonic() - t0)


def site_fixing(s: SiteStructure, at: SiteBound, incumbent: float) -> tuple[np.ndarray, np.ndarray]:
    """(closed, opened): sites that every plan better than ``incumbent`` must keep closed / open.

    Forcing a site the other way changes the bound by the difference of its two subproblem values;
    when the bound then falls below the incumbent, no better plan does that.
    """
    margin = FIX_MARGIN_REL * max(abs(incumbent), 1.0)
    here = s.sign * at.bound
    aim = s.sign * incumbent
    is_open = at.choice >= 0
    loss_open = np.where(is_open, 0.0, at.closed_value - at.open_value)  # forcing a closed site open
    loss_close = np.where(is_open, at.open_value - at.closed_value, 0.0)
    closed = np.flatnonzero(~is_open & (here - loss_open < aim - margin))
    opened = np.flatnonzero(is_open & (here - loss_close < aim - margin))
    return closed, opened


def _gap(bound: float, objective: float) -> float:
    return abs(bound - objective) / max(abs(objective), 1e-10)


def rows_named(model: NetworkDesignModel, prefixes: tuple[str, ...]) -> np.ndarray:
    """Which rows of the model (in :class:`LpMatrix` order) have a readable name with one of
    ``prefixes`` (``supply[``, ``smelter_cap[``, ...)."""
    pulp_name = {c.name: name for name, c in model.constraints.items()}
    return np.array(
        [pulp_name.get(n, "").startswith(prefixes) for n in constraint_table(model.problem)], dtype=bool
    )


def duals_or_zero(y: np.ndarray | None, n_rows: int) -> np.ndarray:
    """The multipliers to start from: an LP's row duals when given, else zeros."""
    if y is None or y.size < n_rows:
        return np.zeros(n_rows)
    out = np.asarray(y[:n_rows], dtype=float)
    return np.where(np.isfinite(out), out, 0.0)


__all__ = [
    "SiteBound",
    "SiteStructure",
    "SubgradientResult",
    "duals_or_zero",
    "evaluate",
    "option_knapsacks",
    "project",
    "rows_named",
    "site_fixing",
    "site_structure",
    "subgradient",
]
