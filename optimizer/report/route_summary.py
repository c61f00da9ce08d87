"""The collection routes' printed summary in the reader's language (``copperloop routes --lang``).

English is :meth:`optimizer.routing.result.RoutePlan.summary` itself; Chinese is written here from the
same totals, with the routing's message, notes and unserved visits (catalogue messages) rendered in
Chinese.
"""

from __future__ import annotations

from optimizer.report.labels import enum_label
from optimizer.routing.result import RoutePlan


def route_summary(routes: RoutePlan, lang: str) -> str:
    """The routes' summary in ``lang`` ("en" or "zh")."""
    if lang != "zh":
        return routes.summary()
    t = routes.totals()
    per_t = "-" if t.cost_cny_per_t is None else f"{t.cost_cny_per_t:,.1f}"
    lines = [
        f"收集路线：{enum_label('route_status', routes.status, lang)}（引擎 {routes.engine}，用时 "
        f"{routes.runtime_s:.1f} 秒 / {routes.time_limit_s:g} 秒）",
    ]
    if routes.message is not None:
        lines.append(routes.message.render(lang))
    lines.append(
        f"每周：{t.truck_days} 车日，{t.trips} 趟，{t.visits} 次访问，{t.distance_km:,.1f} 公里，"
        f"{t.hours:,.1f} 小时，收集 {t.collected_t:,.2f} 吨，{t.cost_cny:,.0f} 元，CO2 {t.co2_kg:,.0f} 千克，"
        f"载重利用率 {100 * t.utilization:.1f}%"
    )
    lines.append(
        f"每年（{routes.weeks_per_year:g} 周）：{t.annual_cost_cny:,.0f} 元，"
        f"收集 {t.annual_collected_t:,.1f} 吨，每吨 {per_t} 元；所需车辆 {t.trucks}"
    )
    if routes.hauls:
        h = routes.haul_totals()
        lines.append(
            f"整车运输：{h.hauls} 个回收点，每周 {h.trips_per_week:,.1f} 趟，每年 {h.km_per_year:,.0f} 公里、"
            f"{h.hours_per_year:,.0f} 小时、{h.cost_cny_per_year:,.0f} 元，运输 {h.t_per_year:,.1f} 吨，"
            f"每吨 {h.cost_cny_per_t:,.1f} 元，CO2 每年 {h.co2_kg_per_year:,.0f} 千克"
        )
        all_per_t = routes.collection_cost_cny_per_t
        shown = "-" if all_per_t is None else f"{all_per_t:,.1f}"
        lines.append(
            f"收集合计（循环收运 + 整车）：每年 {routes.collection_cost_cny_per_year:,.0f} 元，"
            f"{routes.collected_t_per_year:,.1f} 吨，每吨 {shown} 元"
        )
    for d in routes.depot_totals():
        per = "-" if d.cost_cny_per_t is None else f"{d.cost_cny_per_t:,.1f}"
        lines.append(
            f"  {d.depot_id}：{d.trucks} 辆车，{d.truck_days} 车日，{d.trips} 趟，{d.visits} 次访问，"
            f"每周 {d.distance_km:,.1f} 公里，每周 {d.collected_t:,.2f} 吨，每周 {d.cost_cny:,.0f} 元，"
            f"每吨 {per} 元"
        )
    if routes.unserved:
        lines.append("未服务的访问：")
        for u in routes.unserved:
            reason = enum_label("unserved_reason", u.reason, lang)
            fix = f"。解决办法：{u.fix.render(lang)}" if u.fix is not None else ""
            detail = u.detail.render(lang)
            lines.append(f"  {u.point_id}（每年 {u.t_per_year:,.1f} 吨）：{reason}：{detail}{fix}")
    if routes.notes:
        lines.append("说明：")
        lines.extend(f"  - {n.render(lang)}" for n in routes.notes)
    return "\n".join(lines)
