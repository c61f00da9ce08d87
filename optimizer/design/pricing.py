"""Exact arc pricing: solve a flow LP over a few arcs, price the others with its duals, add the cheap ones.

On the national sample most of the 99,650 arcs never carry flow: a yard ships to one of its few cheapest
sites or smelters. An LP over each yard's handful of cheapest arcs is a tenth of the size, and linear
programming duality says exactly which omitted arcs could improve it: those whose *reduced cost*
``c_n - sum_r a_rn y_r`` (objective coefficient minus the row duals the arc's column touches: supply,
balance, capacity, blend, target, budget rows) has the improving sign. Adding those columns and
re-solving (HiGHS restarts from the last basis) until no omitted arc prices out gives an LP optimum of
the *full* network, not of a restriction (unlike ``--k-nearest``, which is a restriction and says so).

:class:`LpMatrix` is the PuLP problem as numpy arrays (column-major), read once; :class:`PricedLp` is
one HiGHS LP over a subset of its columns that grows by pricing. The columns of the LP are the
problem's own, so every solution maps back to the PuLP variables without translation.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pulp

from optimizer.design.pulp_access import constraint_table
from optimizer.progress import CancelToken, is_cancelled

_HMS = highspy.HighsModelStatus
_INF = highspy.kHighsInf

#: An omitted column prices out when its reduced cost improves the objective by more than this, relative
#: to max(1, |objective coefficient|) (HiGHS's own dual feasibility tolerance is 1e-7).
PRICING_TOLERANCE = 1e-7

#: HiGHS's ``simplex_strategy`` values: the dual simplex (its default) and the primal simplex.
DUAL_SIMPLEX = 1
PRIMAL_SIMPLEX = 4

#: At most this many priced-out columns enter per round (the most attractive first): adding every one at
#: once can bring tens of thousands of columns for a first LP that needed a few hundred.
PRICING_BATCH = 5_000


@dataclass(frozen=True, slots=True)
class LpMatrix:
    """A PuLP problem as arrays: ``cost``, bounds and rows, the matrix in coordinate form sorted by column.

    ``variables[k]`` is column ``k``; ``column_of`` maps ``id(variable)`` to it. ``row``/``col``/``value``
    list the non-zeros sorted by column, ``col_start[k]:col_start[k+1]`` those of column ``k``.
    ``maximise`` is the problem's sense; ``offset`` its objective constant.
    """

    variables: list[pulp.LpVariable]
    column_of: dict[int, int]
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    row: np.ndarray
    col: np.ndarray
    value: np.ndarray
    col_start: np.ndarray
    maximise: bool
    offset: float

    @property
    def n_cols(self) -> int:
        return len(self.variables)

    @property
    def n_rows(self) -> int:
        return int(self.row_lower.size)

    @classmethod
    def from_problem(
        cls, problem: pulp.LpProblem, variables: list[pulp.LpVariable] | None = None
    ) -> LpMatrix:
        """Read ``problem`` (its current objective, bounds and rows) into arrays, in one pass.

        ``variables`` lists the problem's variables when the caller knows them (a network-design model
        does): PuLP's own ``variables()`` scans every row and sorts by name, 1.2 s on the national
        sample. A row with a variable outside the list falls back to that scan.
        """
        if variables is None:
            variables = problem.variables()
        column_of = {id(v): k for k, v in enumerate(variables)}
        try:
            return cls._read(problem, variables, column_of)
        except KeyError:
            variables = problem.variables()
            return cls._read(problem, variables, {id(v): k for k, v in enumerate(variables)})

    @classmethod
    def _read(
        cls, problem: pulp.LpProblem, variables: list[pulp.LpVariable], column_of: dict[int, int]
    ) -> LpMatrix:
        n = len(variables)
        lower = np.array([-_INF if v.lowBound is None else v.lowBound for v in variables], dtype=float)
        upper = np.array([_INF if v.upBound is None else v.upBound for v in variables], dtype=float)
        integer = np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)
        cost = np.zeros(n)
        objective = problem.objective or {}
        for var, coef in objective.items():
            cost[column_of[id(var)]] += coef
        constraints = list(constraint_table(problem).values())
        cols: list[int] = []
        values: list[float] = []
        lengths = np.empty(len(constraints), dtype=np.int64)
        row_lower = np.empty(len(constraints))
        row_upper = np.empty(len(constraints))
        get = column_of.__getitem__
        for r, c in enumerate(constraints):
            # one C-level pass over each row's dict (a Python loop per term took 2.5 s on 345,000 terms)
            e = c.expr
            cols.extend(map(get, map(id, e)))
            values.extend(e.values())
            lengths[r] = len(e)
            lb, ub = c.getLb(), c.getUb()
            row_lower[r] = -_INF if lb is None else lb
            row_upper[r] = _INF if ub is None else ub
        rows = np.repeat(np.arange(len(constraints), dtype=np.int32), lengths)
        nonzero = np.array(values, dtype=float) != 0
        row_a = rows[nonzero]
        col_a = np.array(cols, dtype=np.int32)[nonzero]
        val_a = np.array(values, dtype=float)[nonzero]
        order = np.argsort(col_a, kind="stable")
        col_sorted = col_a[order]
        col_start = np.searchsorted(col_sorted, np.arange(n + 1)).astype(np.int64)
        return cls(
            variables,
            column_of,
            cost,
            lower,
            upper,
            integer,
            row_lower,
            row_upper,
            row_a[order],
            col_sorted,
            val_a[order],
            col_start,
            problem.sense == pulp.LpMaximize,
            float(getattr(objective, "constant", 0.0) or 0.0),
        )

    def with_columns(
        self,
        variables: list[pulp.LpVariable],
        cost: np.ndarray,
        entries: list[list[tuple[int, float]]],
    ) -> LpMatrix:
        """This matrix with ``variables`` appended as continuous columns ``>= 0`` of objective ``cost``,
        column ``k`` having the (row, coefficient) pairs ``entries[k]`` (rows already in the matrix).

        Why: a restricted model's arcs priced in from ``model.full`` join the PuLP problem after the
        matrix was read; re-reading 200,000 columns would take seconds, appending them takes moments.
        """
        n0, k = self.n_cols, len(variables)
        lengths = np.array([len(e) for e in entries], dtype=np.int64)
        rows = np.array([r for e in entries for r, _ in e], dtype=self.row.dtype)
        values = np.array([v for e in entries for _, v in e], dtype=float)
        cols = np.repeat(np.arange(n0, n0 + k, dtype=self.col.dtype), lengths)
        column_of = dict(self.column_of)
        column_of.update({id(v): n0 + i for i, v in enumerate(variables)})
        return dataclasses.replace(
            self,
            variables=[*self.variables, *variables],
            column_of=column_of,
            cost=np.concatenate([self.cost, np.asarray(cost, dtype=float)]),
            lower=np.concatenate([self.lower, np.zeros(k)]),
            upper=np.concatenate([self.upper, np.full(k, _INF)]),
            integer=np.concatenate([self.integer, np.zeros(k, dtype=bool)]),
            row=np.concatenate([self.row, rows]),
            col=np.concatenate([self.col, cols]),
            value=np.concatenate([self.value, values]),
            col_start=np.concatenate([self.col_start, self.col_start[-1] + np.cumsum(lengths)]),
        )

    def columns(self, variables: list[pulp.LpVariable]) -> np.ndarray:
        """The column of each variable."""
        return np.array([self.column_of[id(v)] for v in variables], dtype=np.int64)

    def colwise(self, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(starts, row index, value) of the columns ``cols`` in HiGHS's column-wise format."""
        lengths = self.col_start[cols + 1] - self.col_start[cols]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
        take = np.repeat(self.col_start[cols] - starts, lengths) + np.arange(int(lengths.sum()))
        return starts, self.row[take], self.value[take]

    def reduced_costs(self, row_dual: np.ndarray) -> np.ndarray:
        """``c - A^T y`` of every column for the row duals ``y`` (HiGHS's sign convention)."""
        weights = self.value * row_dual[self.row]
        return self.cost - np.bincount(self.col, weights=weights, minlength=self.n_cols)

    def activity(self, x: np.ndarray) -> np.ndarray:
        """``A x``: each row's activity at the column values ``x``."""
        return np.bincount(self.row, weights=self.value * x[self.col], minlength=self.n_rows)

    def objective_value(self, x: np.ndarray) -> float:
        return float(self.cost @ x) + self.offset

    def violation(self, x: np.ndarray) -> float:
        """The largest bound or row violation of ``x``, relative to max(1, |bound|)."""
        act = self.activity(x)
        rows = np.maximum(self.row_lower - act, act - self.row_upper)
        rows = rows / np.maximum(1.0, np.minimum(np.abs(self.row_lower), np.abs(self.row_upper)))
        cols = np.maximum(self.lower - x, x - self.upper) / np.maximum(1.0, np.abs(x))
        return float(max(rows.max(initial=0.0), cols.max(initial=0.0)))


@dataclass(slots=True)
class PricedLp:
    """One HiGHS LP over the columns ``active`` of ``matrix`` (all rows), grown by pricing.

    ``bounds`` overrides column bounds for this LP (fixing the sites of a plan); extra rows the caller
    adds to :attr:`highs` come after the matrix's rows and are ignored when pricing (no omitted column may
    appear in them).
    """

    matrix: LpMatrix
    active: np.ndarray  # bool per matrix column
    cancel: CancelToken | None = None
    highs: highspy.Highs = field(init=False)
    position: np.ndarray = field(init=False)  # HiGHS column of each matrix column, -1 when omitted
    order: list[int] = field(init=False, default_factory=list)  # matrix column of each HiGHS column
    columns_added: int = 0
    pricing_rounds: int = 0
    lp_solves: int = 0

    def __post_init__(self) -> None:
        m = self.matrix
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        cancel = self.cancel

        def interrupt(event: Any) -> None:
            if is_cancelled(cancel):
                event.interrupt()

        for callback in (h.cbSimplexInterrupt, h.cbIpmInterrupt):
            callback.subscribe(interrupt)
        cols = np.flatnonzero(self.active)
        starts, index, value = m.colwise(cols)
        sense = highspy.ObjSense.kMaximize if m.maximise else highspy.ObjSense.kMinimize
        h.passModel(
            int(cols.size),
            m.n_rows,
            int(index.size),
            int(highspy.MatrixFormat.kColwise),
            int(sense),
            m.offset,
            m.cost[cols],
            m.lower[cols],
            m.upper[cols],
            m.row_lower,
            m.row_upper,
            starts,
            index.astype(np.int32),
            value,
            np.zeros(cols.size, dtype=np.int32),
        )
        self.highs = h
        self.position = np.full(m.n_cols, -1, dtype=np.int64)
        self.position[cols] = np.arange(cols.size)
        self.order = cols.tolist()

    def set_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Change the bounds of the (active) matrix columns ``cols``."""
        pos = self.position[cols]
        self.highs.changeColsBounds(int(pos.size), pos.astype(np.int32), lower, upper)

    def grow(self, matrix: LpMatrix) -> None:
        """Take ``matrix``, this LP's matrix with columns appended (:meth:`LpMatrix.with_columns`): the
        new columns are omitted until :meth:`add_columns` brings them in."""
        extra = matrix.n_cols - self.matrix.n_cols
        if extra < 0 or matrix.n_rows != self.matrix.n_rows:
            raise ValueError("grow() takes the same matrix with columns appended")
        self.matrix = matrix
        self.active = np.concatenate([self.active, np.zeros(extra, dtype=bool)])
        self.position = np.concatenate([self.position, np.full(extra, -1, dtype=np.int64)])

    def add_columns(self, cols: np.ndarray) -> None:
        """Bring the omitted matrix columns ``cols`` into the LP (at their matrix bounds)."""
        cols = cols[~self.active[cols]]
        if cols.size == 0:
            return
        m = self.matrix
        starts, index, value = m.colwise(cols)
        self.highs.addCols(
            int(cols.size),
            m.cost[cols],
            m.lower[cols],
            m.upper[cols],
            int(index.size),
            starts,
            index.astype(np.int32),
            value,
        )
        first = len(self.order)
        self.position[cols] = np.arange(first, first + cols.size)
        self.order.extend(cols.tolist())
        self.active[cols] = True
        self.columns_added += int(cols.size)

    def run(self, time_limit_s: float, method: str = "simplex", *, primal: bool = False) -> bool:
        """Solve (warm from the last basis); whether the LP ended optimal.

        ``method`` is HiGHS's ``solver`` option: ``"ipm"`` for a cold LP (on the national sample's
        restricted relaxation 2.7 s against 9.3 s of dual simplex), ``"simplex"`` to restart from a basis.
        ``primal`` restarts with the primal simplex, for a change that keeps the basis primal feasible
        (bounds relaxed: sites opened): on syn5000x200 opening the relaxation's 145 sites took 2.4 s of
        primal simplex against 21 s of dual simplex from the same basis.
        """
        h = self.highs
        h.setOptionValue("solver", method)
        h.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX if primal else DUAL_SIMPLEX)
        h.setOptionValue("time_limit", h.getRunTime() + max(0.1, time_limit_s))
        h.run()
        self.lp_solves += 1
        return bool(h.getModelStatus() == _HMS.kOptimal)

    def objective(self) -> float:
        return float(self.highs.getInfo().objective_function_value)

    def row_duals(self) -> np.ndarray:
        """The last solution's dual value of each matrix row (rows the caller added are left out)."""
        return np.array(self.highs.getSolution().row_dual, dtype=float)[: self.matrix.n_rows]

    def values(self) -> np.ndarray:
        """The solution as a value per matrix column (0 for omitted columns)."""
        x = np.zeros(self.matrix.n_cols)
        x[np.asarray(self.order, dtype=np.int64)] = np.asarray(self.highs.getSolution().col_value)
        return x

    def attractive(self, allowed: np.ndarray | None = None) -> np.ndarray:
        """Omitted columns (within ``allowed``) whose reduced cost improves the LP, most attractive first."""
        m = self.matrix
        y = np.asarray(self.highs.getSolution().row_dual)[: m.n_rows]
        rc = m.reduced_costs(y)
        # an omitted column sits at its lower bound 0: it improves a minimisation when rc < 0
        improve = rc if m.maximise else -rc
        candidates = ~self.active & (m.upper > 0)
        if allowed is not None:
            candidates &= allowed
        good = candidates & (improve > PRICING_TOLERANCE * np.maximum(1.0, np.abs(m.cost)))
        found = np.flatnonzero(good)
        return found[np.argsort(-improve[found], kind="stable")]

    def price(
        self,
        deadline: float,
        allowed: np.ndarray | None = None,
        cancel: CancelToken | None = None,
        on_round: Callable[[PricedLp], None] | None = None,
        *,
        primal: bool = False,
    ) -> bool:
        """Solve, add priced-out columns, re-solve until none is left; whether it reached that proof.

        False when an LP was not optimal, the deadline passed or ``cancel`` was set (the LP then holds
        the last solution, optimal over the columns it has). ``primal``: the caller added columns since
        the last solve (the first solve then starts with the primal simplex too).
        """
        grown = primal
        while True:
            # columns added keep the basis primal feasible: the primal simplex goes on from it
            if is_cancelled(cancel or self.cancel) or not self.run(deadline - time.monotonic(), primal=grown):
                return False
            if on_round is not None:
                on_round(self)
            enter = self.attractive(allowed)
            if enter.size == 0:
                return True
            if time.monotonic() >= deadline:
                return False
            self.add_columns(enter[:PRICING_BATCH])
            self.pricing_rounds += 1
            grown = True


__all__ = ["PRICING_BATCH", "PRICING_TOLERANCE", "LpMatrix", "PricedLp"]
