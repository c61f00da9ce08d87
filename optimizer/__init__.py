"""CopperLoop's public API: everything the desktop app, scripts and notebooks need, in one namespace.

PyVRP-style: import the names from ``optimizer`` itself, never from the modules below it (their layout
may change; docs/architecture.md shows it)::

    from optimizer import SolveOptions, load_network, solve

    result = load_network("sample_networks/teaching.xlsx")
    plan = solve(result.network, SolveOptions(time_limit_s=60))
    print(plan.summary())

Names load on first use (PEP 562), so ``import optimizer`` stays cheap: the solver and Excel libraries
are imported only by the code that needs them. ``optimizer.model`` (the domain model) and
``optimizer.schema`` (the one Excel schema the GUI columns derive from) are public modules as well.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optimizer.about import (
        component_lines as component_lines,
    )
    from optimizer.about import (
        icon_path as icon_path,
    )
    from optimizer.about import (
        licenses_text as licenses_text,
    )
    from optimizer.about import (
        version as version,
    )
    from optimizer.design.economics import (
        with_economics as with_economics,
    )
    from optimizer.design.multiyear import (
        MultiYearObjective as MultiYearObjective,
    )
    from optimizer.design.multiyear import (
        MultiYearOptions as MultiYearOptions,
    )
    from optimizer.design.multiyear_solve import (
        solve_multiyear as solve_multiyear,
    )
    from optimizer.design.options import (
        Objective as Objective,
    )
    from optimizer.design.options import (
        SolveOptions as SolveOptions,
    )
    from optimizer.design.options import (
        SolverName as SolverName,
    )
    from optimizer.design.periods import (
        single_period as single_period,
    )
    from optimizer.design.plan import (
        Build as Build,
    )
    from optimizer.design.plan import (
        Echelon as Echelon,
    )
    from optimizer.design.plan import (
        Flow as Flow,
    )
    from optimizer.design.plan import (
        Kpis as Kpis,
    )
    from optimizer.design.plan import (
        OpenedSite as OpenedSite,
    )
    from optimizer.design.plan import (
        ParetoResult as ParetoResult,
    )
    from optimizer.design.plan import (
        PeriodEconomics as PeriodEconomics,
    )
    from optimizer.design.plan import (
        Plan as Plan,
    )
    from optimizer.design.plan import (
        PlanStatus as PlanStatus,
    )
    from optimizer.design.plan import (
        Shortfall as Shortfall,
    )
    from optimizer.design.solve import (
        solve as solve,
    )
    from optimizer.design.solve import (
        solve_pareto as solve_pareto,
    )
    from optimizer.design.solvers import (
        available_solvers as available_solvers,
    )
    from optimizer.design.status_text import (
        message as message,
    )
    from optimizer.design.status_text import (
        plan_status_message as plan_status_message,
    )
    from optimizer.geography import (
        geography_path as geography_path,
    )
    from optimizer.io import (
        ReadResult as ReadResult,
    )
    from optimizer.io import (
        count_issues as count_issues,
    )
    from optimizer.io import (
        has_errors as has_errors,
    )
    from optimizer.io import (
        load_network as load_network,
    )
    from optimizer.io import (
        read_network as read_network,
    )
    from optimizer.io import (
        write_network as write_network,
    )
    from optimizer.io.scenarios import (
        ProjectState as ProjectState,
    )
    from optimizer.io.scenarios import (
        SavedPlan as SavedPlan,
    )
    from optimizer.io.scenarios import (
        network_fingerprint as network_fingerprint,
    )
    from optimizer.io.scenarios import (
        read_project_state as read_project_state,
    )
    from optimizer.io.scenarios import (
        read_scenarios as read_scenarios,
    )
    from optimizer.io.scenarios import (
        write_project as write_project,
    )
    from optimizer.io.templates import (
        example_network as example_network,
    )
    from optimizer.io.templates import (
        write_template as write_template,
    )
    from optimizer.issues import (
        Issue as Issue,
    )
    from optimizer.issues import (
        Severity as Severity,
    )
    from optimizer.messages import (
        Msg as Msg,
    )
    from optimizer.model import (
        CapacityModule as CapacityModule,
    )
    from optimizer.model import (
        CollectionPoint as CollectionPoint,
    )
    from optimizer.model import (
        DistanceOverride as DistanceOverride,
    )
    from optimizer.model import (
        Grade as Grade,
    )
    from optimizer.model import (
        Network as Network,
    )
    from optimizer.model import (
        Parameters as Parameters,
    )
    from optimizer.model import (
        Period as Period,
    )
    from optimizer.model import (
        PriceBasis as PriceBasis,
    )
    from optimizer.model import (
        ProcessingSite as ProcessingSite,
    )
    from optimizer.model import (
        SiteKind as SiteKind,
    )
    from optimizer.model import (
        SiteStatus as SiteStatus,
    )
    from optimizer.model import (
        Smelter as Smelter,
    )
    from optimizer.model import (
        VehicleType as VehicleType,
    )
    from optimizer.prices import (
        FixedPrice as FixedPrice,
    )
    from optimizer.prices import (
        fixed_prices as fixed_prices,
    )
    from optimizer.progress import (
        CancelToken as CancelToken,
    )
    from optimizer.progress import (
        IncumbentPlan as IncumbentPlan,
    )
    from optimizer.progress import (
        ProgressCallback as ProgressCallback,
    )
    from optimizer.progress import (
        ProgressEvent as ProgressEvent,
    )
    from optimizer.progress import (
        Throttle as Throttle,
    )
    from optimizer.report.plan_report import (
        write_plan_report as write_plan_report,
    )
    from optimizer.report.routes_workbook import (
        write_routes_workbook as write_routes_workbook,
    )
    from optimizer.report.sweep import (
        write_sweep_report as write_sweep_report,
    )
    from optimizer.report.translate import (
        translate_message as translate_message,
    )
    from optimizer.routing import (
        CollectionMode as CollectionMode,
    )
    from optimizer.routing import (
        Engine as Engine,
    )
    from optimizer.routing import (
        Haul as Haul,
    )
    from optimizer.routing import (
        RoutePlan as RoutePlan,
    )
    from optimizer.routing import (
        RouteStatus as RouteStatus,
    )
    from optimizer.routing import (
        RoutingOptions as RoutingOptions,
    )
    from optimizer.routing import (
        RoutingProblem as RoutingProblem,
    )
    from optimizer.routing import (
        StopKind as StopKind,
    )
    from optimizer.routing import (
        UnservedReason as UnservedReason,
    )
    from optimizer.routing import (
        build_routing_problem as build_routing_problem,
    )
    from optimizer.routing import (
        plan_routes as plan_routes,
    )
    from optimizer.routing.loop import (
        LoopOptions as LoopOptions,
    )
    from optimizer.routing.loop import (
        LoopReport as LoopReport,
    )
    from optimizer.routing.loop import (
        solve_with_routes as solve_with_routes,
    )
    from optimizer.scenarios.definition import (
        SweepDefinition as SweepDefinition,
    )
    from optimizer.scenarios.executors import (
        DaskCluster as DaskCluster,
    )
    from optimizer.scenarios.executors import (
        LocalPool as LocalPool,
    )
    from optimizer.scenarios.factors import (
        FactorError as FactorError,
    )
    from optimizer.scenarios.factors import (
        parse_factor as parse_factor,
    )
    from optimizer.scenarios.sweep import (
        SweepResult as SweepResult,
    )
    from optimizer.scenarios.sweep import (
        run_sweep as run_sweep,
    )
    from optimizer.scenarios.workbook import (
        read_sweep as read_sweep,
    )
    from optimizer.validation import (
        validate as validate,
    )
    from optimizer.window_size import (
        parse_window_size as parse_window_size,
    )

#: public name -> the module that defines it
_SOURCES: dict[str, str] = {
    "geography_path": "optimizer.geography",
    "Network": "optimizer.model",
    "CollectionPoint": "optimizer.model",
    "ProcessingSite": "optimizer.model",
    "Smelter": "optimizer.model",
    "Grade": "optimizer.model",
    "Parameters": "optimizer.model",
    "SiteKind": "optimizer.model",
    "SiteStatus": "optimizer.model",
    "CapacityModule": "optimizer.model",
    "VehicleType": "optimizer.model",
    "DistanceOverride": "optimizer.model",
    "Issue": "optimizer.issues",
    "Severity": "optimizer.issues",
    "CancelToken": "optimizer.progress",
    "ProgressEvent": "optimizer.progress",
    "IncumbentPlan": "optimizer.progress",
    "ProgressCallback": "optimizer.progress",
    "Throttle": "optimizer.progress",
    "validate": "optimizer.validation",
    "ReadResult": "optimizer.io",
    "read_network": "optimizer.io",
    "load_network": "optimizer.io",
    "write_network": "optimizer.io",
    "has_errors": "optimizer.io",
    "count_issues": "optimizer.io",
    "read_scenarios": "optimizer.io.scenarios",
    "write_project": "optimizer.io.scenarios",
    "read_project_state": "optimizer.io.scenarios",
    "network_fingerprint": "optimizer.io.scenarios",
    "ProjectState": "optimizer.io.scenarios",
    "SavedPlan": "optimizer.io.scenarios",
    "example_network": "optimizer.io.templates",
    "write_template": "optimizer.io.templates",
    "Objective": "optimizer.design.options",
    "SolveOptions": "optimizer.design.options",
    "SolverName": "optimizer.design.options",
    "Plan": "optimizer.design.plan",
    "PlanStatus": "optimizer.design.plan",
    "ParetoResult": "optimizer.design.plan",
    "Flow": "optimizer.design.plan",
    "Kpis": "optimizer.design.plan",
    "OpenedSite": "optimizer.design.plan",
    "Shortfall": "optimizer.design.plan",
    "Echelon": "optimizer.design.plan",
    "solve": "optimizer.design.solve",
    "solve_pareto": "optimizer.design.solve",
    "PriceBasis": "optimizer.model",
    "FixedPrice": "optimizer.prices",
    "fixed_prices": "optimizer.prices",
    "SweepDefinition": "optimizer.scenarios.definition",
    "SweepResult": "optimizer.scenarios.sweep",
    "run_sweep": "optimizer.scenarios.sweep",
    "parse_factor": "optimizer.scenarios.factors",
    "read_sweep": "optimizer.scenarios.workbook",
    "FactorError": "optimizer.scenarios.factors",
    "LocalPool": "optimizer.scenarios.executors",
    "DaskCluster": "optimizer.scenarios.executors",
    "write_sweep_report": "optimizer.report.sweep",
    "solve_multiyear": "optimizer.design.multiyear_solve",
    "single_period": "optimizer.design.periods",
    "MultiYearObjective": "optimizer.design.multiyear",
    "MultiYearOptions": "optimizer.design.multiyear",
    "Build": "optimizer.design.plan",
    "PeriodEconomics": "optimizer.design.plan",
    "with_economics": "optimizer.design.economics",
    "Period": "optimizer.model",
    "plan_status_message": "optimizer.design.status_text",
    "translate_message": "optimizer.report.translate",
    "parse_window_size": "optimizer.window_size",
    "message": "optimizer.design.status_text",
    "Msg": "optimizer.messages",
    "available_solvers": "optimizer.design.solvers",
    "build_routing_problem": "optimizer.routing",
    "plan_routes": "optimizer.routing",
    "Engine": "optimizer.routing",
    "RoutingOptions": "optimizer.routing",
    "RoutePlan": "optimizer.routing",
    "RouteStatus": "optimizer.routing",
    "StopKind": "optimizer.routing",
    "UnservedReason": "optimizer.routing",
    "CollectionMode": "optimizer.routing",
    "Haul": "optimizer.routing",
    "RoutingProblem": "optimizer.routing",
    "solve_with_routes": "optimizer.routing.loop",
    "LoopOptions": "optimizer.routing.loop",
    "LoopReport": "optimizer.routing.loop",
    "write_plan_report": "optimizer.report.plan_report",
    "write_routes_workbook": "optimizer.report.routes_workbook",
    "version": "optimizer.about",
    "component_lines": "optimizer.about",
    "icon_path": "optimizer.about",
    "licenses_text": "optimizer.about",
}

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    """Import the module behind a public name on first use and cache the name here."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'optimizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_SOURCES])
