"""From a solved network-design model to the plan's parts: sites, flows, assignments, smelters, KPIs.

Everything is a dot product of the flow values with the model's per-arc coefficient vectors, so the
costs in the KPIs are exactly the costs in the objective.

Utilization per grade and per province traces copper back to where it was supplied. Sites mix their
inputs, so the trace assumes proportional mixing: copper leaving a site as grade g' came from its
inputs in proportion to what each input contributed to g', and is shipped to each destination in
proportion to the tonnes sent there. Under that assumption the per-origin figures add up exactly to the
copper delivered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.plan import (
    FLOW_MODES,
    AssignmentShare,
    Flow,
    Kpis,
    OpenedSite,
    PointAssignment,
    SmelterIntake,
)
from optimizer.model import SiteKind, SiteStatus

#: Flows below this many tonnes are solver noise and left out of the plan.
FLOW_EPS_T = 1e-6


@dataclass(frozen=True, slots=True)
class PlanParts:
    sites: tuple[OpenedSite, ...]
    flows: tuple[Flow, ...]
    assignments: tuple[PointAssignment, ...]
    smelters: tuple[SmelterIntake, ...]
    kpis: Kpis


def extract(model: NetworkDesignModel) -> PlanParts:
    """The plan's parts from the values the last solve left in ``model``'s variables."""
    v = model.flow_values()
    v[v < FLOW_EPS_T] = 0.0
    opened = model.open_modules()
    return PlanParts(
        sites=_sites(model, v, opened),
        flows=_flows(model, v),
        assignments=_assignments(model, v),
        smelters=_smelters(model, v),
        kpis=_kpis(model, v, opened),
    )


def _grade_dict(model: NetworkDesignModel, values: np.ndarray) -> dict[str, float]:
    return {g: float(values[k]) for k, g in enumerate(model.grade_ids) if values[k] > FLOW_EPS_T}


def _node_grade_sums(model: NetworkDesignModel, v: np.ndarray, by: np.ndarray) -> np.ndarray:
    """(nodes, grades) matrix of the flow summed by ``by`` (arcs.tail or arcs.head) and grade."""
    out = np.zeros((len(model.node_ids), len(model.grade_ids)))
    np.add.at(out, (by, model.arcs.grade), v)
    return out


def arc_modes(model: NetworkDesignModel, arcs_n: np.ndarray) -> list[str]:
    """How the design priced each arc of ``arcs_n`` (:attr:`Flow.mode`): the trucks model's mode on a
    collection arc it priced, else the t-km rate (``linear``)."""
    arcs = model.arcs
    modes = model.collection_modes
    if modes is None:
        return ["linear"] * arcs_n.size
    P = model.n_points
    out = []
    for n in arcs_n.tolist():
        if int(arcs.echelon[n]) != 0:
            out.append("linear")
            continue
        code = int(modes[int(arcs.tail[n]), int(arcs.head[n]) - P])
        out.append(FLOW_MODES[code])
    return out


def _flows(model: NetworkDesignModel, v: np.ndarray) -> tuple[Flow, ...]:
    arcs = model.arcs
    cu = model.copper_content
    out = []
    used = np.flatnonzero(v)
    modes = arc_modes(model, used)
    for n, mode in zip(used, modes, strict=True):
        t = float(v[n])
        out.append(
            Flow(
                from_id=model.node_ids[arcs.tail[n]],
                to_id=model.node_ids[arcs.head[n]],
                echelon=arcs.echelon_of(int(n)),
                grade_id=model.grade_ids[arcs.grade[n]],
                t=t,
                t_cu=t * float(cu[arcs.grade[n]]),
                km=float(arcs.km[n]),
                t_km=t * float(arcs.km[n]),
                cost_cny=t * float(arcs.cost_cny_per_t[n]),
                co2_t=t * float(arcs.co2_t_per_t[n]),
                mode=mode,
            )
        )
    return tuple(out)


def _sites(model: NetworkDesignModel, v: np.ndarray, opened: dict[str, str]) -> tuple[OpenedSite, ...]:
    P = model.n_points
    cu = model.copper_content
    inflow = _node_grade_sums(model, v, model.arcs.head)
    outflow = _node_grade_sums(model, v, model.arcs.tail)
    out = []
    for j, site in enumerate(model.sites):
        module_id = opened.get(site.id)
        if module_id is None:
            continue
        module = model.modules[(site.id, module_id)]
        inputs, outputs = inflow[P + j], outflow[P + j]
        throughput = float(inputs.sum())
        out.append(
            OpenedSite(
                site_id=site.id,
                name=site.name,
                kind=str(site.kind),
                status=str(site.status),
                province=site.province,
                lat=float(site.lat),
                lon=float(site.lon),
                module_id=module_id,
                capacity_t=float(module.capacity_t_per_year),
                fixed_cost_cny=float(module.fixed_cost_cny_per_year),
                throughput_t=throughput,
                utilization_pct=100.0 * throughput / module.capacity_t_per_year,
                input_t_by_grade=_grade_dict(model, inputs),
                output_t_by_grade=_grade_dict(model, outputs),
                residue_t=max(0.0, throughput - float(outputs.sum())),
                residue_t_cu=float(inputs @ cu - outputs @ cu),
                processing_cost_cny=throughput * site.variable_cost_cny_per_t,
                co2_t=throughput * site.co2_kg_per_t / 1000.0,
            )
        )
    return tuple(out)


def _assignments(model: NetworkDesignModel, v: np.ndarray) -> tuple[PointAssignment, ...]:
    arcs = model.arcs
    P = model.n_points
    collected = _node_grade_sums(model, v, arcs.tail)[:P]
    shares: list[dict[int, np.ndarray]] = [{} for _ in range(P)]
    for n in np.flatnonzero(v[: len(arcs)] * (arcs.echelon == 0)):
        i, head = int(arcs.tail[n]), int(arcs.head[n])
        row = shares[i].setdefault(head, np.zeros(len(model.grade_ids)))
        row[arcs.grade[n]] += v[n]
    out = []
    for i, cp in enumerate(model.points):
        parts = tuple(
            AssignmentShare(model.node_ids[h], model.node_kind(h), _grade_dict(model, t))
            for h, t in sorted(shares[i].items(), key=lambda kv: -kv[1].sum())
        )
        out.append(
            PointAssignment(
                point_id=cp.id,
                name=cp.name,
                province=cp.province,
                supply_t_by_grade=_grade_dict(model, model.supply_t[i]),
                collected_t_by_grade=_grade_dict(model, collected[i]),
                shares=parts,
                primary_destination_id=parts[0].destination_id if parts else None,
            )
        )
    return tuple(out)


def _smelters(model: NetworkDesignModel, v: np.ndarray) -> tuple[SmelterIntake, ...]:
    P, J = model.n_points, len(model.sites)
    cu = model.copper_content
    inflow = _node_grade_sums(model, v, model.arcs.head)
    revenue = np.zeros(len(model.node_ids))
    np.add.at(revenue, model.arcs.head, v * model.arc_revenue)
    out = []
    for m, sm in enumerate(model.smelters):
        intake = inflow[P + J + m]
        t = float(intake.sum())
        t_cu = float(intake @ cu)
        out.append(
            SmelterIntake(
                smelter_id=sm.id,
                name=sm.name,
                province=sm.province,
                capacity_t=float(sm.capacity_t_per_year),
                intake_t_by_grade=_grade_dict(model, intake),
                intake_t=t,
                intake_t_cu=t_cu,
                blended_copper_content=t_cu / t if t > 0 else 0.0,
                min_copper_content=float(sm.min_copper_content),
                utilization_pct=100.0 * t / sm.capacity_t_per_year if sm.capacity_t_per_year > 0 else 0.0,
                revenue_cny=float(revenue[P + J + m]),
            )
        )
    return tuple(out)


def delivered_fraction(model: NetworkDesignModel, v: np.ndarray) -> np.ndarray:
    """f[node, g]: share of the copper arriving at ``node`` as grade g that reaches a smelter.

    Smelters have f = 1; sites are resolved sorting centers first (they ship only to smelters), then
    dismantling sites, assuming proportional mixing (see the module docstring).
    """
    P, J, G = model.n_points, len(model.sites), len(model.grade_ids)
    arcs = model.arcs
    cu = model.copper_content
    f = np.zeros((len(model.node_ids), G))
    f[P + J :, :] = 1.0
    y = np.zeros((J, G, G))
    g_index = {g: k for k, g in enumerate(model.grade_ids)}
    for j, site in enumerate(model.sites):
        for e in site.yields:
            gi, go = g_index.get(e.input_grade_id), g_index.get(e.output_grade_id)
            if gi is not None and go is not None and e.fraction > 0:
                y[j, gi, go] += e.fraction
    order = [j for j, s in enumerate(model.sites) if s.kind is SiteKind.SORTING] + [
        j for j, s in enumerate(model.sites) if s.kind is SiteKind.DISMANTLING
    ]
    used = np.flatnonzero((v > 0) & (arcs.tail >= P))
    used = used[np.argsort(arcs.tail[used], kind="stable")]
    bounds = np.searchsorted(arcs.tail[used], np.arange(P, P + J + 1))
    for j in order:
        node = P + j
        out = used[bounds[j] : bounds[j + 1]]
        shipped = np.zeros(G)
        reached = np.zeros(G)
        np.add.at(shipped, arcs.grade[out], v[out])
        np.add.at(reached, arcs.grade[out], v[out] * f[arcs.head[out], arcs.grade[out]])
        phi = np.divide(reached, shipped, out=np.zeros(G), where=shipped > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(cu[:, None] > 0, y[j] * cu[None, :] / cu[:, None], 0.0)
        f[node] = ratio @ phi
    return f


def _kpis(model: NetworkDesignModel, v: np.ndarray, opened: dict[str, str]) -> Kpis:
    arcs = model.arcs
    P = model.n_points
    cu = model.copper_content
    params = model.network.parameters
    vectors = model.arc_cost_vectors()
    revenue = float(v @ model.arc_revenue)
    purchase = float(v @ vectors["purchase"])
    transport = float(v @ vectors["transport"])
    processing = float(v @ vectors["processing"])
    transport_co2 = float(v @ arcs.co2_t_per_t)
    processing_co2 = float(v @ model.arc_processing_co2_t)
    co2 = transport_co2 + processing_co2
    carbon = co2 * params.carbon_price_cny_per_t_co2
    fixed = float(sum(model.modules[(sid, mid)].fixed_cost_cny_per_year for sid, mid in opened.items()))
    total_cost = purchase + transport + processing + fixed + carbon
    supply_t_cu_by_grade = model.supply_t.sum(axis=0) * cu
    supply_t_cu = float(supply_t_cu_by_grade.sum())
    delivered_t_cu = float(v @ model.arc_copper_delivered)
    into_smelter = model.arc_copper_delivered > 0
    delivered_t = float(v[into_smelter].sum())
    coll = arcs.echelon == 0
    collected_t = float(v[coll].sum())
    collected_t_cu = float(v[coll] @ cu[arcs.grade[coll]])
    # copper traced back to supply grade and province
    f = delivered_fraction(model, v)
    traced = np.where(coll, v * cu[arcs.grade] * f[arcs.head, arcs.grade], 0.0)
    by_grade = np.zeros(len(model.grade_ids))
    np.add.at(by_grade, arcs.grade[coll], traced[coll])
    utilization_by_grade = {
        g: float(by_grade[k] / supply_t_cu_by_grade[k])
        for k, g in enumerate(model.grade_ids)
        if supply_t_cu_by_grade[k] > 0
    }
    province_of = [cp.province or "" for cp in model.points]
    province_supply: dict[str, float] = {}
    province_delivered: dict[str, float] = {}
    for i in range(P):
        province_supply[province_of[i]] = province_supply.get(province_of[i], 0.0) + float(
            model.supply_t[i] @ cu
        )
    for n in np.flatnonzero(traced):
        p = province_of[int(arcs.tail[n])]
        province_delivered[p] = province_delivered.get(p, 0.0) + float(traced[n])
    utilization_by_province = {
        p: province_delivered.get(p, 0.0) / s for p, s in sorted(province_supply.items()) if s > 0
    }
    site_status = {s.id: s.status for s in model.sites}
    site_out_t = float(v[arcs.tail >= P].sum())
    site_in_t = float(v[(arcs.head >= P) & (arcs.head < P + len(model.sites))].sum())
    site_in_cu = float((v * cu[arcs.grade])[(arcs.head >= P) & (arcs.head < P + len(model.sites))].sum())
    site_out_cu = float((v * cu[arcs.grade])[arcs.tail >= P].sum())
    return Kpis(
        utilization=delivered_t_cu / supply_t_cu if supply_t_cu > 0 else 0.0,
        utilization_by_grade=utilization_by_grade,
        utilization_by_province=utilization_by_province,
        supply_t=float(model.supply_t.sum()),
        supply_t_cu=supply_t_cu,
        collected_t=collected_t,
        collected_t_cu=collected_t_cu,
        copper_delivered_t_cu=delivered_t_cu,
        delivered_t=delivered_t,
        residue_t=max(0.0, site_in_t - site_out_t),
        residue_t_cu=site_in_cu - site_out_cu,
        revenue_cny=revenue,
        purchase_cost_cny=purchase,
        transport_cost_cny=transport,
        processing_cost_cny=processing,
        fixed_cost_cny=fixed,
        carbon_cost_cny=carbon,
        total_cost_cny=total_cost,
        budget_cost_cny=fixed + processing + transport,
        profit_cny=revenue - total_cost,
        t_km=float(v @ arcs.km),
        transport_co2_t=transport_co2,
        processing_co2_t=processing_co2,
        co2_t=co2,
        sites_open=len(opened),
        new_sites_open=sum(1 for sid in opened if site_status[sid] is SiteStatus.CANDIDATE),
    )
