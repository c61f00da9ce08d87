"""The one reach into PuLP's internals: a problem's table of constraints by name, and its variable register.

PuLP keeps an ``LpProblem``'s constraints in the private ``_constraints`` dict and offers no public way to
delete one or to test a name without building the whole ``constraints`` copy. CopperLoop needs both (a
floor row replaced between Pareto points, unique readable names on 100,000-row models, the bulk model
pass to HiGHS), so every such access goes through :func:`constraint_table`; a PuLP upgrade that renames
the attribute breaks here, in one place, with a clear error.
"""

from __future__ import annotations

from typing import cast

import pulp


def constraint_table(problem: pulp.LpProblem) -> dict[str, pulp.LpConstraint]:
    """The live name -> constraint mapping of ``problem`` (mutating it changes the problem)."""
    table = getattr(problem, "_constraints", None)
    if not isinstance(table, dict):
        raise RuntimeError("this PuLP version has no LpProblem._constraints; CopperLoop needs pulp 3.x")
    return cast(dict[str, pulp.LpConstraint], table)


def register_variables(problem: pulp.LpProblem, variables: list[pulp.LpVariable]) -> None:
    """Make ``variables`` known to ``problem`` (as adding a constraint with them does).

    A restricted network-design model adds arc columns to rows it already has
    (:meth:`optimizer.design.formulation.NetworkDesignModel.add_arcs`) by writing into the rows' terms;
    PuLP registers a variable only when a constraint or objective holding it is added.
    """
    register = getattr(problem, "_add_variables", None)
    if register is None:
        raise RuntimeError("this PuLP version has no LpProblem._add_variables; CopperLoop needs pulp 3.x")
    register(variables)
