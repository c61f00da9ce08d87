"""A restricted model's omitted arcs brought into the heuristic's flow LP: the full network, column by column.

Why: a restricted model (:class:`optimizer.design.formulation.Restriction`) holds each yard's eight
cheapest arcs into sites and three into smelters. On national5 (five copies of the national sample on
the same ground, 2,491,250 arcs) those eight go to the copies of one or two places, so a yard could
only ship to those; the heuristic's plan over the model's columns ended at 15,612 M CNY/yr where five
copies of the national sample's best plan make about 15,905 M, and pricing the plan's flows over every
arc found 209,044 arcs that improve them. With the sites of a plan fixed, what a yard needs is its
best arcs into the sites that are *open*, wherever they rank among all its arcs:
:meth:`FullColumns.nearest_open` finds them over the full arc table (one sort, done once; each call
is a few passes over the arrays),
:meth:`FullColumns.ensure` makes them columns of the model (:meth:`NetworkDesignModel.add_arcs`), of the
LP's matrix (:meth:`LpMatrix.with_columns`) and of the LP, and :func:`full_price` proves the final flows
optimal over every arc by pricing the rest at the LP's duals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.pricing import PRICING_BATCH, LpMatrix, PricedLp
from optimizer.design.pulp_access import constraint_table
from optimizer.progress import CancelToken, is_cancelled

#: At most this many arcs of ``model.full`` join a restricted model per pricing round (most attractive
#: first), as in :mod:`optimizer.design.separation`.
FULL_PRICING_BATCH = 20_000


@dataclass(slots=True)
class FullColumns:
    """The full arc table of a restricted model, sorted for :meth:`nearest_open`, and where each arc is.

    ``sorted_arcs`` are the full network's collection arcs ordered by (yard, grade, into a smelter) and
    best objective coefficient first; ``group`` is that key per sorted arc, ``group_first`` the position
    of its group's first arc, ``to_smelter`` whether it enters a smelter. ``flow_col`` is the matrix
    column of each model arc, ``model_arc`` the model arc of each full arc (-1: not in the model; kept in
    step as arcs join, so that a move of the search does not rebuild it over all 2.49 M arcs),
    ``row_of`` the matrix row of each constraint (by ``id``).
    """

    model: NetworkDesignModel
    sorted_arcs: np.ndarray
    group_first: np.ndarray
    to_smelter: np.ndarray
    flow_col: np.ndarray
    model_arc: np.ndarray
    row_of: dict[int, int]
    n_rows: int

    @classmethod
    def of(cls, model: NetworkDesignModel, matrix: LpMatrix) -> FullColumns | None:
        """The full columns of ``model`` read into ``matrix``; None for a model that holds every arc."""
        full = model.full
        if full is None or _links_every_arc(model):
            return None
        a = full.arcs
        P, J, G = model.n_points, len(model.sites), len(model.grade_ids)
        collect = np.flatnonzero(a.echelon == 0)
        to_smelter = (a.head[collect] >= P + J).astype(np.int64)
        group = (a.tail[collect].astype(np.int64) * G + a.grade[collect]) * 2 + to_smelter
        value = full.objective(model.objective_kind)[collect]
        key = value if matrix.maximise else -value
        order = np.lexsort((-key, group))
        group = group[order]
        starts = np.concatenate([[True], group[1:] != group[:-1]])
        group_first = np.maximum.accumulate(np.where(starts, np.arange(group.size), 0))
        rows = list(constraint_table(model.problem).values())
        return cls(
            model,
            collect[order],
            group_first,
            to_smelter[order].astype(bool),
            matrix.columns(model.flow),
            _model_arcs(model),
            {id(c): r for r, c in enumerate(rows)},
            len(rows),
        )

    def nearest_open(self, head_open: np.ndarray, sites_k: int, smelters_k: int) -> np.ndarray:
        """Full arc ids of each yard's and grade's ``sites_k`` best collection arcs into open sites and
        ``smelters_k`` best into smelters (``head_open``: per node, whether it may receive)."""
        full = self.model.full
        assert full is not None
        usable = head_open[full.arcs.head[self.sorted_arcs]]
        before = np.cumsum(usable) - usable
        rank = before - before[self.group_first]
        keep = usable & (rank < np.where(self.to_smelter, smelters_k, sites_k))
        found: np.ndarray = self.sorted_arcs[keep]
        return found

    def ensure(self, lp: PricedLp, ids: np.ndarray) -> np.ndarray | None:
        """Matrix columns of the full arcs ``ids``: those the model lacks join it, the matrix and (as
        omitted columns) the LP first. None when the model gained rows (then its duals no longer fit the
        LP and nothing more may join)."""
        model, full = self.model, self.model.full
        assert full is not None
        missing = ids[~full.in_model[ids]]
        if missing.size:
            if _links_every_arc(model):
                return None  # new arcs would bring their linking rows, which the LP lacks
            first = len(model.flow)
            model.add_arcs(missing)
            if len(constraint_table(model.problem)) != self.n_rows:
                return None
            entries = [
                [(self.row_of[id(c)], coef) for c, coef in model.arc_column(k)]
                for k in range(first, len(model.flow))
            ]
            n0 = lp.matrix.n_cols
            lp.grow(lp.matrix.with_columns(model.flow[first:], model.arc_objective()[first:], entries))
            self.flow_col = np.concatenate([self.flow_col, np.arange(n0, lp.matrix.n_cols)])
            self.model_arc[model.arc_ids[first:]] = np.arange(first, len(model.flow))
        cols: np.ndarray = self.flow_col[self.model_arc[ids]]
        return cols


def _model_arcs(model: NetworkDesignModel) -> np.ndarray:
    """Per full arc of ``model``, its model arc (``arc_ids`` inverted; -1 for an omitted arc)."""
    assert model.full is not None
    index = np.full(model.full.in_model.size, -1, dtype=np.int64)
    index[model.arc_ids] = np.arange(model.arc_ids.size)
    return index


def _links_every_arc(model: NetworkDesignModel) -> bool:
    """Whether the model holds every linking row, so that an arc added to it brings its own row
    (:meth:`NetworkDesignModel.add_arcs`): the LP's matrix would then lack rows its duals must price."""
    return bool(model.link_arcs.size) and bool(model.link_added.all())


def full_price(
    model: NetworkDesignModel,
    lp: PricedLp,
    deadline: float,
    *,
    columns: FullColumns | None = None,
    cancel: CancelToken | None = None,
    allowed: Callable[[], np.ndarray] | None = None,
    on_optimal: Callable[[PricedLp], None] | None = None,
) -> bool:
    """:meth:`PricedLp.price` over the model's columns and, with ``columns`` (a restricted model), over
    every arc of ``model.full``: whether the LP is proven optimal over all of them by ``deadline``.

    After each priced LP the omitted arcs are priced at its row duals
    (:meth:`NetworkDesignModel.priced_out`, all arcs at once in numpy); those that improve it join
    (:meth:`FullColumns.ensure`) and the LP is solved again from its basis. ``allowed()`` (recomputed as
    the matrix grows) limits the model's columns that may enter; a full arc into or out of a site whose
    modules are all bounded at 0 never enters (it could carry nothing). ``on_optimal`` hears of every LP
    solved to optimality on the way (each a plan when the sites are fixed).
    """
    grown, added = False, 0
    rows = list(constraint_table(model.problem).values())
    while True:
        # many new columns: a cold interior-point solve beats restarting the simplex from the old basis
        method = "ipm" if added >= IPM_GROWTH * max(1, int(lp.active.sum()) - added) else "simplex"
        if is_cancelled(cancel) or not lp.run(deadline - time.monotonic(), method, primal=grown):
            return False
        if on_optimal is not None:
            on_optimal(lp)
        # one round prices the model's omitted columns and the full network's omitted arcs together
        enter = lp.attractive(None if allowed is None else allowed())[:PRICING_BATCH]
        arcs = np.zeros(0, dtype=np.int64)
        if columns is not None:
            if len(constraint_table(model.problem)) != lp.matrix.n_rows:
                return False  # the model gained rows the LP lacks: its duals no longer price them
            duals = lp.row_duals()
            for r, c in enumerate(rows):
                c.pi = float(duals[r])
            arcs = _spread(model, model.priced_out())
            arcs = arcs[_touch_usable_sites(model, lp, arcs)][:FULL_PRICING_BATCH]
        if enter.size == 0 and arcs.size == 0:
            return True
        if time.monotonic() >= deadline:
            return False
        before = int(lp.active.sum())
        lp.add_columns(enter)
        if arcs.size:
            cols = columns.ensure(lp, arcs) if columns is not None else None
            if cols is None:
                return False
            lp.add_columns(cols)
        lp.pricing_rounds += 1
        grown, added = True, int(lp.active.sum()) - before


#: A round that adds at least this share of the LP's columns re-solves by interior point (national5's
#: relaxation: 25,000 columns joining 103,000 took 19.5 s of primal simplex from the old basis and
#: 9.6 s of interior point; 4,000 joining 170,000 took 1-5 s of simplex and 12 s of interior point).
IPM_GROWTH = 0.1

#: Per round at most this many priced-out arcs enter from each yard and grade (the most attractive).
PER_SOURCE = 2


def _spread(model: NetworkDesignModel, arcs: np.ndarray) -> np.ndarray:
    """``arcs`` (most attractive first) with at most :data:`PER_SOURCE` from each (tail, grade): the
    first rounds on national5 found 209,044 arcs, most of them a few yards' many near-equal routes, and
    the batch of the most attractive alone then grew the LP without moving it much."""
    if arcs.size == 0:
        return arcs
    assert model.full is not None
    a = model.full.arcs
    key = a.tail[arcs].astype(np.int64) * len(model.grade_ids) + a.grade[arcs]
    order = np.argsort(key, kind="stable")  # within a key, most attractive first
    ks = key[order]
    first = np.searchsorted(ks, ks, side="left")
    rank = np.empty(arcs.size, dtype=np.int64)
    rank[order] = np.arange(arcs.size) - first
    kept: np.ndarray = arcs[rank < PER_SOURCE]
    return kept


def _touch_usable_sites(model: NetworkDesignModel, lp: PricedLp, arcs: np.ndarray) -> np.ndarray:
    """Which of the full arcs ``arcs`` touch no site whose module columns are all bounded at 0 in ``lp``."""
    assert model.full is not None
    P, J = model.n_points, len(model.sites)
    usable = np.ones(P + J + len(model.smelters), dtype=bool)
    m = lp.matrix
    upper = np.asarray(lp.highs.getLp().col_upper_)
    for j, s in enumerate(model.sites):
        pos = lp.position[[m.column_of[id(model.module_open[(s.id, mod.id)])] for mod in s.modules]]
        if (pos >= 0).all():
            usable[P + j] = bool((upper[pos] > 0).any())
    a = model.full.arcs
    ok: np.ndarray = usable[a.head[arcs]] & usable[a.tail[arcs]]
    return ok


__all__ = ["FULL_PRICING_BATCH", "FullColumns", "full_price"]
