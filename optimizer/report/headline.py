"""The executive summary's headline: one sentence saying what to build, where, for how much, and what
it returns, in English or Chinese, written from the plan's own figures (never a figure the plan lacks).

Amounts are rounded the way a reader says them: "35.8 M CNY" in English, "3,580 万元" in Chinese.
"""

from __future__ import annotations

import re

from optimizer.design.plan import OpenedSite
from optimizer.design.solve import requirements_of
from optimizer.report.context import ReportContext
from optimizer.report.economics import Economics

#: New sites named in the headline; the rest are counted.
NAMED_SITES = 3

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAILING_PARENS = re.compile(r"^(?P<latin>.*?)\s*[(（](?P<inner>[^()（）]*)[)）]\s*$")


def local_name(name: str, lang: str) -> str:
    """The part of a bilingual name in ``lang``: "Luqiao park (路桥拆解园)" is "路桥拆解园" in Chinese
    and "Luqiao park" in English; a name without a Chinese part in parentheses is kept as it is."""
    match = _TRAILING_PARENS.match(name)
    if match and match["latin"] and _CJK.search(match["inner"]) and not _CJK.search(match["latin"]):
        return match["inner"].strip() if lang == "zh" else match["latin"].strip()
    return name


def money(cny: float, lang: str) -> str:
    """``cny`` as a reader says it: 35.8 M CNY, 1.24 bn CNY; 3,580 万元, 1.24 亿元."""
    a = abs(cny)
    if lang == "zh":
        if a >= 1e8:
            return f"{cny / 1e8:,.2f} 亿元"
        if a >= 1e4:
            return f"{cny / 1e4:,.0f} 万元"
        return f"{cny:,.0f} 元"
    if a >= 1e9:
        return f"{cny / 1e9:,.2f} bn CNY"
    if a >= 1e6:
        return f"{cny / 1e6:,.1f} M CNY"
    return f"{cny:,.0f} CNY"


def percent(fraction: float) -> str:
    return f"{100 * fraction:.1f} %"


def _site_phrase(site: OpenedSite, build_year: int | None, lang: str) -> str:
    name = local_name(site.name or site.site_id, lang)
    year = "" if build_year is None else (f", {build_year}" if lang != "zh" else f"，{build_year} 年")
    if lang == "zh":
        return f"{name}（{site.capacity_t:,.0f} 吨/年{year}）"
    return f"{name} ({site.capacity_t:,.0f} t/yr{year})"


def _listing(phrases: list[str], more: int, lang: str) -> str:
    if lang == "zh":
        text = "、".join(phrases)
        return text + (f"等 {len(phrases) + more} 个" if more else "")
    if more:
        return ", ".join(phrases) + f" and {more} more"
    if len(phrases) <= 2:
        return " and ".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def headline(ctx: ReportContext, econ: Economics, build_years: dict[str, int]) -> str:
    """The sentence at the top of the executive summary (a status sentence when there is no plan)."""
    lang, plan, kpis = ctx.lang, ctx.plan, ctx.plan.kpis
    if kpis is None:
        return (
            "未找到可行方案：请查看“求解详情”工作表中的原因。"
            if lang == "zh"
            else "No plan was found: the Solver details sheet says why."
        )
    new = sorted((s for s in plan.sites if s.is_new), key=lambda s: -s.capacity_t)
    kept = [s for s in plan.sites if not s.is_new]
    named = [_site_phrase(s, build_years.get(s.site_id), lang) for s in new[:NAMED_SITES]]
    more = max(0, len(new) - NAMED_SITES)
    parts: list[str] = []
    if lang == "zh":
        if new:
            cost = f"，投资 {money(econ.investment_cny, lang)}" if econ.investment_cny is not None else ""
            build = f"新建 {len(new)} 个站点{cost}：{_listing(named, more, lang)}"
            if kept:
                build += f"，并继续运营 {len(kept)} 个现有站点"
        elif kept:
            build = f"继续运营 {len(kept)} 个现有站点，无需新建"
        else:
            build = "不开设站点，废铜直接交付冶炼厂"
        parts.append(build)
        year = f"{econ.last_year} 年" if _multi_year(econ) else "每年"
        returns = f"{'年' if year == '每年' else year}利润 {money(kpis.profit_cny, lang)}"
        if econ.npv_cny is not None:
            returns += f"，净现值 {money(econ.npv_cny, lang)}"
        if econ.payback_years is not None:
            returns += f"，投资回收期 {econ.payback_years:.1f} 年"
        parts.append(returns)
        share = percent(kpis.utilization)
        copper = f"{year}回收铜 {kpis.copper_delivered_t_cu:,.0f} 吨，占区域废铜所含铜量的 {share}"
        target = _target(ctx)
        if target is not None:
            copper += f"（目标 {percent(target)}）"
        parts.append(copper)
        if econ.co2_avoided_t_per_year is not None:
            parts.append(f"每年避免 CO2 {econ.co2_avoided_t_per_year:,.0f} 吨")
        return "；".join(parts) + "。"
    if new:
        cost = f" for {money(econ.investment_cny, lang)}" if econ.investment_cny is not None else ""
        noun = "site" if len(new) == 1 else "sites"
        build = f"Build {len(new)} new {noun}{cost}: {_listing(named, more, lang)}"
        if kept:
            build += f", and keep the {len(kept)} existing {'site' if len(kept) == 1 else 'sites'} running"
    elif kept:
        build = f"Keep the {len(kept)} existing {'site' if len(kept) == 1 else 'sites'} running; build none"
    else:
        build = "Open no site: deliver the scrap straight to the smelters"
    parts.append(build)
    when = f"in {econ.last_year}" if _multi_year(econ) else "a year"
    returns = f"profit {money(kpis.profit_cny, lang)} {when}"
    if econ.npv_cny is not None:
        returns += f", NPV {money(econ.npv_cny, lang)}"
    if econ.payback_years is not None:
        returns += f", payback {econ.payback_years:.1f} years"
    parts.append(returns)
    copper = (
        f"{kpis.copper_delivered_t_cu:,.0f} t of copper recovered {when}, {percent(kpis.utilization)} of "
        "the copper in the region's scrap"
    )
    target = _target(ctx)
    if target is not None:
        copper += f" (target {percent(target)})"
    parts.append(copper)
    if econ.co2_avoided_t_per_year is not None:
        parts.append(f"{econ.co2_avoided_t_per_year:,.0f} t CO2 avoided a year")
    return "; ".join(parts) + "."


def _multi_year(econ: Economics) -> bool:
    """Whether the plan spans several years (its figures are then its last year's)."""
    return econ.last_year is not None and econ.first_year != econ.last_year


def _target(ctx: ReportContext) -> float | None:
    return requirements_of(ctx.network, ctx.plan.options).target_utilization
