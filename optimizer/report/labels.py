"""Every word of the plan report, in English and Simplified Chinese, in one place.

The report modules never spell a label, a sheet name, a unit or an enum value themselves: they ask
:func:`text`, :func:`unit` or :func:`enum_label`. Sheet names are chosen so that the network reader
(:mod:`optimizer.io.reader`) neither reads them nor mistakes them for a misspelt input sheet: importing
a plan workbook gives back its network without a warning (a test checks this).
"""

from __future__ import annotations

LANGS = ("en", "zh")

#: Report sheet names by key.
SHEET_NAMES: dict[str, dict[str, str]] = {
    "summary": {"en": "Summary", "zh": "方案概要"},
    "key_figures": {"en": "Key figures", "zh": "关键指标"},
    "sites": {"en": "Sites", "zh": "站点"},
    "flows": {"en": "Flows", "zh": "流向"},
    "collection": {"en": "Collection", "zh": "回收情况"},
    "smelters": {"en": "Smelter intake", "zh": "冶炼厂进料"},
    "utilization": {"en": "Utilization", "zh": "利用率"},
    "routes": {"en": "Routes", "zh": "路线"},
    "stops": {"en": "Stops", "zh": "停靠点"},
    "unserved": {"en": "Unserved visits", "zh": "未服务"},
    "hauls": {"en": "Hauls", "zh": "整车运输"},
    "pareto": {"en": "Pareto", "zh": "权衡曲线"},
    "scenarios": {"en": "Scenario comparison", "zh": "情景对比"},
    "reconciliation": {"en": "Reconciliation", "zh": "数据核对"},
    "routing_notes": {"en": "Routing notes", "zh": "路线说明"},
    "solver": {"en": "Solver details", "zh": "求解详情"},
    "map_data": {"en": "Map data", "zh": "地图数据"},
    "chart_data": {"en": "Chart data", "zh": "图表数据"},
}

#: Units: the English form is the key itself.
_UNITS_ZH: dict[str, str] = {
    "t": "吨",
    "t Cu": "吨铜",
    "CNY": "元",
    "CNY/t": "元/吨",
    "CNY/t Cu": "元/吨铜",
    "km": "公里",
    "t-km": "吨·公里",
    "t CO2": "吨CO2",
    "kg": "千克",
    "kg CO2": "千克CO2",
    "h": "小时",
    "s": "秒",
    "min": "分钟",
    "sites": "个站点",
    "%": "%",
    "": "",
}

_TEXT: dict[str, tuple[str, str]] = {
    # title block and plan facts
    "title": ("CopperLoop network plan", "CopperLoop 回收网络方案"),
    "subtitle": ("Scrap-copper recycling network design", "废铜回收网络设计"),
    "section_plan": ("Plan", "方案"),
    "section_kpis": ("Key figures (per year)", "关键指标（每年）"),
    "section_costs": ("Cost by component", "成本构成"),
    "section_routes": ("Collection routes", "收集路线"),
    "section_sites": ("Sites opened", "开设的站点"),
    "section_infeasible": ("Why the requirements cannot all hold", "要求无法同时满足的原因"),
    "section_notes": ("Notes", "说明"),
    "scenario": ("Scenario", "情景"),
    "network": ("Network", "网络"),
    "date": ("Date", "日期"),
    "objective_mode": ("Objective", "优化目标"),
    "target": ("Utilization target", "利用率目标"),
    "budget": ("Annual budget", "年度预算"),
    "solver": ("Solver", "求解器"),
    "status": ("Status", "状态"),
    "message": ("Message", "信息"),
    "objective_value": ("Objective value", "目标值"),
    "best_bound": ("Best bound", "最优界"),
    "gap": ("Relative gap", "相对间隙"),
    "runtime": ("Solve time", "求解用时"),
    "time_limit": ("Time limit", "时间限制"),
    "none": ("none", "无"),
    "base": ("base", "基准"),
    "no_solution": (
        "No plan was found; see the status and the explanation below.",
        "未找到方案；请查看状态及下方说明。",
    ),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "new": ("new", "新建"),
    "existing_site": ("existing", "现有"),
    "input_sheets_note": (
        "The input network follows the report sheets (from Instructions on); importing this workbook "
        "into CopperLoop gives back the network this plan was solved for.",
        "报告工作表之后是输入网络（从“说明”工作表开始）；"
        "将本工作簿导入 CopperLoop 即可得到本方案所求解的网络。",
    ),
    # the executive summary
    "exec_title": ("Executive summary", "执行摘要"),
    "edition_full": ("full edition", "完整版"),
    "edition_client": ("client edition", "客户版"),
    "edition": ("Edition", "版本"),
    "tile_investment": ("Investment", "投资"),
    "tile_profit": ("Profit per year", "年利润"),
    "tile_npv": ("Net present value", "净现值"),
    "tile_payback": ("Payback", "投资回收期"),
    "tile_copper": ("Copper recovered per year", "年回收铜量"),
    "tile_co2": ("CO2 emitted per year", "年CO2排放"),
    "not_in_plan": ("not in this plan", "本方案未计算"),
    "no_capex": (
        "the network gives no capex per module; fixed costs are annualised",
        "网络未给出各模块的投资额；固定成本已按年折算",
    ),
    "no_payback": ("needs the investment (capex) of the modules", "需要各模块的投资额"),
    "no_payback_single_year": (
        "needs a plan over several years (a Periods sheet)",
        "需要多年期方案（“规划期”工作表）",
    ),
    "no_avoided": ("CO2 avoided: not in this plan", "避免的CO2：本方案未计算"),
    "years": ("years", "年"),
    "exec_more_sites": (
        "… and {n} more open sites: see the Sites sheet.",
        "……另有 {n} 个开设站点，详见“站点”工作表。",
    ),
    "exec_footer": (
        "Figures are per year unless stated. Every figure with its unit is on the Key figures sheet; "
        "how the plan was solved is on the Solver details sheet.",
        "除另有说明外，数字均为每年数值。全部指标及单位见“关键指标”工作表；求解过程见“求解详情”工作表。",
    ),
    "chart_map": ("Map of the plan", "方案地图"),
    "map_points": ("Collection points", "回收点"),
    "map_outline": (
        "Coast and provinces (for orientation, not a reviewed map)",
        "海岸线与省界（仅供定位，非审核地图）",
    ),
    "map_existing_sites": ("Existing sites", "现有站点"),
    "map_new_sites": ("New sites", "新建站点"),
    "map_smelters": ("Smelters", "冶炼厂"),
    "map_collection_flows": ("Main collection flows", "主要收集流向"),
    "map_delivery_flows": ("Transfers and deliveries", "转运与交付"),
    "map_lat": ("Latitude", "纬度"),
    # the reconciliation of the plan's transport with the routes'
    "rec_routed_t": ("Scrap collected by the routes' depots", "路线车场收集的废铜"),
    "rec_routed_cost": ("Collection cost to those depots", "到这些车场的收集成本"),
    "rec_routed_cost_per_t": ("Collection cost per tonne", "每吨收集成本"),
    "rec_routed_co2": ("Collection CO2", "收集CO2排放"),
    "rec_other_cost": ("Other transport cost (not routed)", "其他运输成本（未规划路线）"),
    "rec_other_co2": ("Other transport CO2 (not routed)", "其他运输CO2（未规划路线）"),
    "rec_transport_cost": ("Transport cost", "运输成本"),
    "rec_transport_co2": ("Transport CO2", "运输CO2排放"),
    "rec_profit": ("Profit", "利润"),
    "rec_by_depot": ("Collection by depot (per year)", "各车场收集情况（每年）"),
    "day_unit": ("day", "天"),
    "all_points": ("collection points", "各回收点"),
    "why_tonnes": (
        "The routes collect each point's scrap at its main destination only, and visits they cannot "
        "serve (see Unserved visits) collect nothing.",
        "路线只把每个回收点的废铜送往其主要去向；无法服务的访问（见“未服务”工作表）不计收集量。",
    ),
    "why_cost": (
        "The plan prices collection at {rate} CNY/t-km on each leg's distance, as full one-way loads; "
        "the routes cost every truck-day ({trucks}), with partial loads and the empty kilometres back "
        "to the depot.",
        "方案按每吨公里 {rate} 元、单程满载计算收集运费；路线按每个车日计费（{trucks}），"
        "包括未满载和空驶回场的里程。",
    ),
    "why_weeks": (
        "Routes: one week's cost times {weeks} weeks a year, divided by the tonnes collected.",
        "路线：一周成本乘以每年 {weeks} 周，再除以收集吨数。",
    ),
    "why_co2": (
        "The plan counts {factor} kg CO2 per t-km carried; the routes count each truck's CO2 per km "
        "driven, empty kilometres included.",
        "方案按每吨公里 {factor} 千克CO2计算；路线按车辆每公里排放计算，包括空驶里程。",
    ),
    "why_other": (
        "Collection straight to smelters, transfers and deliveries are not routed: the plan's figure "
        "stands on both sides.",
        "直送冶炼厂的收集、转运和交付不做路线规划：两侧均采用方案的数值。",
    ),
    "why_profit": (
        "The plan's profit with the routes' collection cost in place of the plan's (carbon cost as in "
        "the plan).",
        "以路线收集成本替换方案收集成本后的利润（碳成本按方案计）。",
    ),
    # KPIs
    "utilization": ("Recycled-copper utilization", "再生铜利用率"),
    "copper_delivered": ("Copper delivered to smelters", "交付冶炼厂的铜量"),
    "supply_cu": ("Copper contained in all supply", "全部供应所含铜量"),
    "supply": ("Scrap supply", "废铜供应量"),
    "collected": ("Scrap collected", "回收废铜量"),
    "collected_cu": ("Copper in scrap collected", "回收废铜所含铜量"),
    "delivered_t": ("Scrap delivered to smelters", "交付冶炼厂的废铜量"),
    "residue": ("Residue (steel, plastic, losses)", "残余物（钢、塑料、损耗）"),
    "residue_cu": ("Copper lost with the residue", "随残余物损失的铜量"),
    "revenue": ("Revenue", "收入"),
    "purchase": ("Purchase cost", "采购成本"),
    "transport": ("Transport cost", "运输成本"),
    "processing": ("Processing cost", "加工成本"),
    "fixed": ("Fixed cost of sites", "站点固定成本"),
    "carbon": ("Carbon cost", "碳成本"),
    "total_cost": ("Total cost", "总成本"),
    "budget_cost": ("Cost under the budget (fixed + processing + transport)", "预算内成本（固定+加工+运输）"),
    "profit": ("Profit", "利润"),
    "t_km": ("Transport work", "运输周转量"),
    "transport_co2": ("CO2 from transport", "运输CO2排放"),
    "processing_co2": ("CO2 from processing", "加工CO2排放"),
    "co2": ("CO2 total", "CO2排放总量"),
    "sites_open": ("Sites open", "开设站点数"),
    "new_sites_open": ("New sites open", "新建站点数"),
    # routes block
    "routes_status": ("Routing status", "路线规划状态"),
    "routes_engine": ("Routing engine", "路线求解引擎"),
    "trucks": ("Trucks needed", "所需车辆"),
    "truck_days": ("Truck-days per week", "每周车日"),
    "trips": ("Trips per week", "每周趟数"),
    "visits": ("Visits per week", "每周访问次数"),
    "route_km": ("Distance per week", "每周行驶里程"),
    "route_collected": ("Collected per week", "每周收集量"),
    "route_cost": ("Route cost per week", "每周路线成本"),
    "route_annual_cost": ("Route cost per year", "每年路线成本"),
    "route_cost_per_t": ("Route cost per tonne", "每吨路线成本"),
    "route_co2": ("Truck CO2 per week", "每周车辆CO2"),
    "payload_use": ("Payload use", "载重利用率"),
    "unserved_count": ("Visits not served per week", "每周未服务访问"),
    # charts
    "chart_bridge": (
        "From margin to profit (M CNY a year): revenue {revenue} − purchases {purchases} = margin {margin}",
        "从毛利到利润（百万元/年）：收入 {revenue} − 采购 {purchases} = 毛利 {margin}",
    ),
    "chart_step": ("Step", "项目"),
    "chart_base": ("Bar base", "柱底"),
    "chart_up": ("Total", "合计"),
    "chart_down": ("Deduction", "扣减"),
    "margin": ("Margin over purchases", "扣除采购后的毛利"),
    "section_cost_per_t": ("Per tonne of copper recovered", "每吨回收铜"),
    "chart_per_t": (
        "Cost per t Cu recovered besides purchases (CNY/t Cu; purchases {purchases})",
        "每吨回收铜的采购以外成本（元/吨铜；采购 {purchases}）",
    ),
    "chart_sites": ("Site throughput vs capacity (t per year)", "站点处理量与产能（吨/年）"),
    "chart_grades": ("Recycled-copper utilization by grade", "各等级再生铜利用率"),
    "chart_pareto": ("Trade-off: profit vs utilization", "权衡：利润与利用率"),
    "by_grade": ("By grade", "按等级"),
    "by_province": ("By province", "按省份"),
    "amount": ("Amount", "金额"),
    "kpi": ("Key figure", "指标"),
    "changes": ("Changes from the first scenario", "与第一个情景的差异"),
    "no_changes": ("(the first scenario)", "（第一个情景）"),
    "changes_unknown": ("not known (no input network in this workbook)", "未知（该工作簿不含输入网络）"),
    "no_difference": ("same network as the first", "与第一个情景的网络相同"),
    "delta": ("{b} − {a}", "{b} − {a}"),
    "chart_scenario_profit": ("Profit by scenario (M CNY a year)", "各情景利润（百万元/年）"),
    "chart_scenario_util": ("Recycled-copper utilization by scenario", "各情景再生铜利用率"),
    "compare_title": ("Scenario comparison", "情景对比"),
    "compare_subtitle": ("{n} scenarios  ·  {date}", "{n} 个情景  ·  {date}"),
    "every_day": ("every day", "每天"),
}

#: Table column headers: key -> (English, Chinese).
_COLUMNS: dict[str, tuple[str, str]] = {
    # hauls (full-truckload and carrier trips) and collection modes
    "collection_mode": ("Collected by", "收运方式"),
    "destination": ("Destination", "目的地"),
    "haul_t": ("Scrap hauled", "运输废铜量"),
    "trips_per_year": ("Trips per year", "每年趟数"),
    "trips_per_week": ("Trips per week", "每周趟数"),
    "km_per_trip": ("Distance per trip", "每趟里程"),
    "hours_per_trip": ("Hours per trip", "每趟时长"),
    "days_per_trip": ("Truck-days per trip", "每趟车日"),
    "cost_per_trip": ("Cost per trip", "每趟成本"),
    "annual_cost": ("Cost per year", "每年成本"),
    "cost_per_t": ("Cost per tonne", "每吨成本"),
    "co2_per_year": ("CO2 per year", "每年CO2"),
    "fix": ("Cheapest fix", "最省的解决办法"),
    "site_id": ("Site id", "站点编号"),
    "name": ("Name", "名称"),
    "kind": ("Kind", "类型"),
    "site_status": ("Status", "状态"),
    "province": ("Province", "省份"),
    "opened": ("Open", "开设"),
    "module": ("Module", "模块"),
    "capacity": ("Capacity", "产能"),
    "throughput": ("Throughput", "处理量"),
    "site_utilization": ("Utilization", "产能利用率"),
    "fixed_cost": ("Fixed cost", "固定成本"),
    "variable_cost": ("Variable cost", "可变成本"),
    "processing_cost": ("Processing cost", "加工成本"),
    "residue": ("Residue", "残余物"),
    "co2": ("CO2", "CO2"),
    "from_id": ("From", "起点"),
    "from_name": ("From name", "起点名称"),
    "to_id": ("To", "终点"),
    "to_name": ("To name", "终点名称"),
    "echelon": ("Echelon", "环节"),
    "grade": ("Grade", "等级"),
    "grade_name": ("Grade name", "等级名称"),
    "t": ("Scrap", "废铜量"),
    "t_cu": ("Copper", "铜量"),
    "km": ("Distance", "距离"),
    "t_km": ("Transport work", "周转量"),
    "cost": ("Cost", "成本"),
    "flow_mode": ("Priced as", "计价方式"),
    "point_id": ("Point id", "回收点编号"),
    "supply": ("Supply", "供应量"),
    "collected": ("Collected", "回收量"),
    "collected_share": ("Collected share", "回收比例"),
    "primary_site": ("Main destination", "主要去向"),
    "destinations": ("All destinations (t)", "全部去向（吨）"),
    "smelter_id": ("Smelter id", "冶炼厂编号"),
    "intake": ("Intake", "进料量"),
    "intake_cu": ("Copper intake", "进料铜量"),
    "blend": ("Blended copper content", "混合含铜量"),
    "blend_min": ("Minimum copper content", "最低含铜量"),
    "smelter_utilization": ("Capacity use", "产能利用率"),
    "revenue": ("Revenue", "收入"),
    "supply_cu": ("Copper in supply", "供应含铜量"),
    "delivered_cu": ("Copper delivered", "交付铜量"),
    "utilization": ("Utilization", "利用率"),
    "depot": ("Depot", "车场"),
    "day": ("Day", "日"),
    "vehicle": ("Vehicle type", "车型"),
    "truck": ("Truck", "车辆"),
    "trips": ("Trips", "趟数"),
    "visits": ("Visits", "访问数"),
    "start": ("Start", "出发"),
    "end": ("End", "返回"),
    "duration": ("Duration", "时长"),
    "route_km": ("Distance", "里程"),
    "route_collected": ("Collected", "收集量"),
    "payload_use": ("Payload use", "载重利用率"),
    "sequence": ("Sequence", "顺序"),
    "stop_kind": ("Stop", "停靠类型"),
    "node_id": ("Node id", "节点编号"),
    "arrival": ("Arrival", "到达"),
    "service_start": ("Service start", "开始作业"),
    "departure": ("Departure", "离开"),
    "wait": ("Wait", "等待"),
    "pickup": ("Pickup", "装货量"),
    "load": ("Load on leaving", "离开时载重"),
    "reason": ("Reason", "原因"),
    "detail": ("Detail", "详情"),
    "visits_per_week": ("Visits per week", "每周访问次数"),
    "t_per_year": ("Scrap lost", "损失废铜量"),
    "point": ("Point", "序号"),
    "target": ("Utilization floor", "利用率下限"),
    "status": ("Status", "状态"),
    "total_cost": ("Total cost", "总成本"),
    "profit": ("Profit", "利润"),
    "sites_open": ("Sites open", "开设站点数"),
    "gap": ("Gap", "间隙"),
    "requirement": ("Requirement", "要求"),
    "required": ("Required", "需要"),
    "achievable": ("Achievable", "可达到"),
    "shortfall": ("Shortfall", "缺口"),
    "unit": ("Unit", "单位"),
    "explanation": ("Explanation", "说明"),
    "new_or_existing": ("New / existing", "新建/现有"),
    "per_t_cu": ("Per t Cu recovered", "每吨回收铜"),
    "rec_item": ("Item", "项目"),
    "rec_plan": ("Plan (network design)", "方案（网络设计）"),
    "rec_routes": ("Routes", "路线"),
    "rec_difference": ("Routes − plan", "路线 − 方案"),
    "rec_why": ("Why they differ", "差异原因"),
    "rec_plan_t": ("Plan: collected", "方案：收集量"),
    "rec_routes_t": ("Routes: collected", "路线：收集量"),
    "rec_plan_cost": ("Plan: cost", "方案：成本"),
    "rec_routes_cost": ("Routes: cost", "路线：成本"),
    "note": ("Note", "说明"),
    "points": ("Points", "回收点数"),
}

#: Translations of the enum values the report shows.
_ENUMS: dict[str, dict[str, tuple[str, str]]] = {
    "plan_status": {
        "optimal": ("optimal", "最优"),
        "feasible": ("feasible (time limit)", "可行（达到时间限制）"),
        "infeasible": ("infeasible", "不可行"),
        "cancelled": ("cancelled", "已取消"),
        "error": ("solver error", "求解器错误"),
        "time_limit_no_solution": ("no plan within the time limit", "时间限制内无方案"),
    },
    "objective": {
        "profit": ("maximise profit", "利润最大化"),
        "cost": ("least cost at the utilization target", "满足利用率目标的最低成本"),
        "utilization": ("maximise copper delivered within the budget", "预算内铜交付量最大化"),
    },
    "echelon": {
        "collection": ("collection", "收集"),
        "transfer": ("transfer", "转运"),
        "delivery": ("delivery", "交付"),
    },
    "site_kind": {
        "dismantling": ("dismantling site", "拆解厂"),
        "sorting": ("sorting center", "分拣中心"),
    },
    "site_status": {
        "existing": ("existing", "现有"),
        "candidate": ("candidate", "候选"),
        "closed": ("closed", "关闭"),
    },
    "node_kind": {
        "collection_point": ("collection point", "回收点"),
        "dismantling": ("dismantling site", "拆解厂"),
        "sorting": ("sorting center", "分拣中心"),
        "site": ("site", "站点"),
        "smelter": ("smelter", "冶炼厂"),
    },
    "stop_kind": {
        "start": ("leave depot", "出发"),
        "visit": ("collect", "收集"),
        "reload": ("unload at depot", "回场卸货"),
        "end": ("return to depot", "返回车场"),
    },
    "route_status": {
        "complete": ("complete", "全部完成"),
        "partial": ("partial: some visits not served", "部分：有访问未服务"),
        "cancelled": ("cancelled", "已取消"),
        "no_solution": ("no feasible routes", "无可行路线"),
        "empty": ("nothing to route", "无需规划"),
    },
    "flow_mode": {
        "linear": ("truck, t-km rate", "卡车，按吨公里费率"),
        "milk_run": ("milk run", "循环收运"),
        "full_truckload": ("full truckload, own truck", "自有车整车"),
        "carrier": ("carrier, per trip", "承运商按趟"),
    },
    "collection_mode": {
        "milk_run": ("milk run", "循环收运"),
        "full_truckload": ("full truckload, own truck", "自有车整车"),
        "carrier": ("carrier, per trip", "承运商按趟"),
    },
    "unserved_reason": {
        "no_depot": ("no depot", "无车场"),
        "no_trucks": ("no trucks at the depot", "车场无车辆"),
        "pickup_exceeds_payload": ("pickup exceeds payload", "装货量超过载重"),
        "window_too_short": ("opening hours too short", "营业时间过短"),
        "window_unreachable": ("cannot arrive in opening hours", "无法在营业时间内到达"),
        "beyond_shift": ("beyond a shift", "超出班次时长"),
        "not_enough_trucks": ("not enough trucks", "车辆不足"),
        "cancelled": ("cancelled", "已取消"),
    },
    "weekday": {
        "Mon": ("Mon", "周一"),
        "Tue": ("Tue", "周二"),
        "Wed": ("Wed", "周三"),
        "Thu": ("Thu", "周四"),
        "Fri": ("Fri", "周五"),
        "Sat": ("Sat", "周六"),
        "Sun": ("Sun", "周日"),
    },
    "requirement": {
        "utilization_target": ("utilization target", "利用率目标"),
        "budget": ("budget", "预算"),
        "max_new_sites": ("maximum new sites", "新建站点上限"),
        "smelter_blend": ("smelter blend minimum", "冶炼厂最低品位"),
        "smelter_capacity": ("smelter capacity", "冶炼厂产能"),
        "site_capacity": ("site capacity", "站点产能"),
        "reachability": ("reachability", "可达性"),
    },
}

#: Number formats by unit: tables show the unit in the header, so their cells carry only the digits.
_TABLE_FORMATS: dict[str, str] = {
    "t": "#,##0.0",
    "t Cu": "#,##0.0",
    "CNY": "#,##0",
    "CNY/t": "#,##0.0",
    "CNY/t Cu": "#,##0",
    "km": "#,##0.0",
    "t-km": "#,##0",
    "t CO2": "#,##0.0",
    "kg": "#,##0",
    "kg CO2": "#,##0",
    "h": "#,##0.0",
    "s": "#,##0.0",
    "min": "#,##0",
    "%": "0.0%",
    "int": "#,##0",
    "year": "0",
    "time": "[h]:mm",
    "": "General",
}


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f'lang must be "en" or "zh", not {lang!r}')


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def sheet_name(key: str, lang: str) -> str:
    return SHEET_NAMES[key][lang]


def text(key: str, lang: str) -> str:
    return _pick(_TEXT[key], lang)


def column(key: str, lang: str, unit_key: str = "") -> str:
    """A table header, with its unit in parentheses when it has one: "Capacity (t)", "产能（吨）"."""
    return with_unit(_pick(_COLUMNS[key], lang), unit_key, lang)


def with_unit(label: str, unit_key: str, lang: str) -> str:
    """``label`` followed by its unit in parentheses (full-width in Chinese), if it has one."""
    shown = unit(unit_key, lang)
    if not shown:
        return label
    return f"{label}（{shown}）" if lang == "zh" else f"{label} ({shown})"


def unit(unit_key: str, lang: str) -> str:
    """A unit as shown to a reader ("t Cu" or "吨铜"); "int" and "time" have none."""
    if unit_key in ("int", "year", "time", "%", ""):
        return "" if unit_key != "%" else "%"
    return _UNITS_ZH.get(unit_key, unit_key) if lang == "zh" else unit_key


def enum_label(kind: str, value: object, lang: str) -> str:
    """The reader-facing name of an enum value (an unknown value is shown as it is)."""
    pair = _ENUMS[kind].get(str(value))
    return _pick(pair, lang) if pair else str(value)


def enum_values(kind: str, lang: str) -> dict[str, str]:
    """Every value of the enum ``kind`` with its label in ``lang`` (to read a label back)."""
    return {value: _pick(pair, lang) for value, pair in _ENUMS[kind].items()}


def table_format(unit_key: str) -> str:
    return _TABLE_FORMATS[unit_key]


def value_format(unit_key: str, lang: str) -> str:
    """A number format that shows the unit after the number, for single figures such as the KPIs:
    ``#,##0" CNY"``, ``#,##0.0" 吨"``, ``0.0%``."""
    base = _TABLE_FORMATS[unit_key]
    shown = unit(unit_key, lang)
    if unit_key in ("%", "int", "year", "time", "") or not shown:
        return base
    return f'{base}" {shown}"'
