"""OR-Tools, highspy, PyVRP and PySide6 load together in one process, and each still works.

OR-Tools bundles its own HiGHS (libhighs.so.1) and highspy brings another; PyVRP and Qt bring native
libraries of their own. Loading them in one process can clash (symbol interposition, two copies of one
library), and such a clash crashes the whole process, so the check runs in a child process: a crash is
a failed test with the child's output, not a dead test run. The pin ``highspy==1.12.0`` matches the
HiGHS that the pinned OR-Tools bundles; this test is what tells when a version bump breaks that.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import ortools, highspy, pyvrp
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    from ortools.linear_solver import pywraplp
    from PySide6.QtWidgets import QApplication

    # HiGHS through highspy: max x + 2y, x + y <= 7.5, y <= 5 integer -> y = 5, x = 2.5
    h = highspy.Highs()
    h.silent()
    x = h.addVariable(0, 10)
    y = h.addIntegral(0, 5)
    h.addConstr(x + y <= 7.5)
    h.maximize(x + 2 * y)
    assert abs(h.getInfo().objective_function_value - 12.5) < 1e-9, h.getInfo().objective_function_value

    # OR-Tools linear solver (its own bundled solver) on the same LP relaxation
    lp = pywraplp.Solver.CreateSolver("GLOP")
    a, b = lp.NumVar(0, 10, "a"), lp.NumVar(0, 5, "b")
    lp.Add(a + b <= 7.5)
    lp.Maximize(a + 2 * b)
    assert lp.Solve() == pywraplp.Solver.OPTIMAL and abs(lp.Objective().Value() - 12.5) < 1e-9

    # OR-Tools routing: a depot and three stops on a line, one vehicle -> tour length 2 x 3
    manager = pywrapcp.RoutingIndexManager(4, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    cb = routing.RegisterTransitCallback(
        lambda i, j: abs(manager.IndexToNode(i) - manager.IndexToNode(j))
    )
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    solution = routing.SolveWithParameters(params)
    assert solution is not None and solution.ObjectiveValue() == 6, solution

    # PyVRP: the same four points as a CVRP
    from pyvrp import Model
    from pyvrp.stop import MaxIterations
    m = Model()
    locations = [m.add_location(x=k, y=0) for k in range(4)]
    depot = m.add_depot(locations[0])
    m.add_vehicle_type(num_available=1, capacity=10, start_depot=depot, end_depot=depot)
    for loc in locations[1:]:
        m.add_client(loc, delivery=1)
    for frm in locations:
        for to in locations:
            m.add_edge(frm, to, distance=int(abs(frm.x - to.x)))
    result = m.solve(stop=MaxIterations(200), display=False)
    assert result.is_feasible() and result.cost() == 6, result.cost()

    # Qt on the offscreen platform
    app = QApplication([])
    assert app.platformName() == "offscreen", app.platformName()
    print("all four native stacks work in one process")
    """
)


def test_ortools_highspy_pyvrp_and_qt_coexist_in_one_process() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert child.returncode == 0, f"exit {child.returncode}\n{child.stdout}\n{child.stderr}"
    assert "all four native stacks work in one process" in child.stdout
