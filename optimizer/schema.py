"""The one Excel schema: every sheet, column, type, unit and English/Chinese header in one table.

The workbook reader and writer, the templates, ``docs/excel_format.md`` and the GUI's table columns all
derive from :data:`SHEETS`; nothing else spells a header or a unit. A column's ``key`` is the model field
it fills (``supply_t_per_year``), or the parent link on child sheets (``collection_point_id`` on
Supply, ``site_id`` on CapacityModules and Yields).

This module imports nothing from openpyxl, so the GUI may use it.

Blank cells
-----------
A blank cell in a ``required`` column is an error. A blank cell in an optional column means the
column's ``default``; that default is stated in the header comment and in the docs, so it is never
silent. ``default=None`` means "none" (e.g. no purchase price: the buy-back coefficient applies; no
limit: unconstrained).

Ranges
------
Every number has three bounds, all stated here and nowhere else (validation, the reader's messages,
the GUI's cell flags and ``docs/excel_format.md`` derive from them):

* ``min_value``/``max_value`` (and ``min_exclusive``): what the quantity means (a fraction is 0-1, a
  capacity is > 0); outside is an error;
* ``max_magnitude``: the largest size CopperLoop can plan with (:data:`MAGNITUDE_LIMIT` unless the
  column states a smaller one); beyond it is an error, because the solvers treat such numbers as
  infinite or lose all precision;
* ``typical_min``/``typical_max``: what a real network has; outside is a warning (a typo or a wrong
  unit, such as kg for t), since the plan would be solvable but surprising.

Every text column is held to Excel's cell limit, :data:`EXCEL_CELL_MAX_CHARS`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

ColumnType = Literal["str", "float", "int", "bool", "enum", "id_list"]

#: Pseudo sheet keys a ``ref`` may hold besides a real sheet key.
SITES_REF = "sites"
NODES_REF = "nodes"

#: Units as shown in Chinese headers; the English form is the unit string itself.
UNIT_ZH: dict[str, str] = {
    "t/yr": "吨/年",
    "t": "吨",
    "CNY/t": "元/吨",
    "CNY/yr": "元/年",
    "CNY/t Cu": "元/吨铜",
    "CNY/day": "元/天",
    "CNY/km": "元/公里",
    "CNY/t·km": "元/吨·公里",
    "CNY/t CO2": "元/吨CO2",
    "CNY": "元",
    "0-1": "0-1",
    "°": "°",
    "h": "时",
    "hours": "小时",
    "min": "分钟",
    "per week": "次/周",
    "km": "公里",
    "km/h": "公里/小时",
    "kg CO2/t": "千克CO2/吨",
    "kg CO2/km": "千克CO2/公里",
    "kg CO2/t·km": "千克CO2/吨·公里",
    "days/week": "天/周",
    "weeks/yr": "周/年",
    "year": "年",
    "years": "年",
    "t CO2/t Cu": "吨CO2/吨铜",
}

#: Units whose values are fractions 0..1: only these accept text like "85%" (read as 0.85).
FRACTION_UNIT = "0-1"

#: Excel's limit on the characters in one cell: longer text cannot be saved in any workbook, so
#: validation refuses it (located) before a solve whose plan could not be written.
EXCEL_CELL_MAX_CHARS = 32_767

#: The largest magnitude of any number whose column states no smaller ``max_magnitude``. HiGHS treats
#: costs and bounds of 1e20 or more as infinite and refuses matrix values of 1e15 or more; the model
#: multiplies tonnes (at most 1e9 t/yr) by prices per tonne (at most 1e7 CNY/t), which keeps every
#: coefficient below 1e15 and the objective below 1e17.
MAGNITUDE_LIMIT = 1e12

#: A collection point farther than this from every site and smelter (a site or smelter: from every
#: other node) gets a warning: farther than any truck haul of a real network (the national sample's
#: farthest yard is 1,441 km from its nearest site).
FAR_NODE_WARNING_KM = 2_000.0

#: ... and farther than this the warning says its coordinates are wrong (typically a dropped minus sign,
#: or latitude and longitude swapped): no truck network spans it (China is about 5,200 km east to west).
#: It stays a warning, not an error: the solvers compute with any distance, and a synthetic network may
#: place a node anywhere when its Distances rows give the legs.
FAR_NODE_MISPLACED_KM = 5_000.0


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a sheet (or one row of the Parameters sheet).

    ``ref`` names the sheet whose ids this column holds (for drop-downs and reference checks):
    a sheet key, :data:`SITES_REF` (dismantling sites and sorting centers) or :data:`NODES_REF` (any
    collection point, site or smelter). ``allowed`` are the canonical enum values and ``allowed_zh``
    their Chinese labels (same order); the reader accepts either. ``min_value``/``max_value``
    (``min_exclusive``: the minimum itself is not allowed) are what the quantity means, stated in
    comments and error messages; ``max_magnitude`` is the largest size CopperLoop can plan with and
    ``typical_min``/``typical_max`` what a real network has (see "Ranges" above). The checks
    themselves belong to :mod:`optimizer.validation`. ``aliases`` are former headers the reader still
    accepts, so that workbooks saved by an older CopperLoop keep importing.
    """

    key: str
    header_en: str
    header_zh: str
    type: ColumnType = "str"
    unit: str = ""
    required: bool = False
    allowed: tuple[str, ...] = ()
    ref: str | None = None
    default: Any = None
    comment_en: str = ""
    comment_zh: str = ""
    example: Any = None
    allowed_zh: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    min_exclusive: bool = False
    max_magnitude: float | None = None
    typical_min: float | None = None
    typical_max: float | None = None
    aliases: tuple[str, ...] = ()

    @property
    def is_fraction(self) -> bool:
        return self.unit == FRACTION_UNIT

    @property
    def is_number(self) -> bool:
        return self.type in ("float", "int")

    @property
    def is_text(self) -> bool:
        """Whether the column's cells hold text (id lists are written as one comma-separated cell)."""
        return self.type in ("str", "id_list")

    @property
    def magnitude_limit(self) -> float:
        """The largest absolute value CopperLoop can plan with in this column."""
        return MAGNITUDE_LIMIT if self.max_magnitude is None else self.max_magnitude

    def label(self, lang: str = "en") -> str:
        """The header without its unit."""
        return self.header_zh if lang == "zh" else self.header_en

    def unit_label(self, lang: str = "en") -> str:
        return UNIT_ZH.get(self.unit, self.unit) if lang == "zh" else self.unit

    def comment(self, lang: str = "en") -> str:
        return self.comment_zh if lang == "zh" else self.comment_en

    def enum_labels(self, lang: str = "en") -> tuple[str, ...]:
        """Allowed values as written in a workbook of language ``lang``."""
        return self.allowed_zh if lang == "zh" and self.allowed_zh else self.allowed

    def expected(self) -> str:
        """What a valid value looks like, in English, for error messages."""
        return _expected(self)


@functools.cache
def _expected(col: ColumnSpec) -> str:
    """:meth:`ColumnSpec.expected`, cached: every cell the reader parses may need it."""
    what = {
        "str": "text",
        "float": "a number",
        "int": "a whole number",
        "bool": "yes or no",
        "enum": "one of " + ", ".join(col.allowed),
        "id_list": "ids separated by commas",
    }[col.type]
    low, high = col.min_value, col.max_value
    if low is not None and high is not None:
        if col.min_exclusive:
            what += f" > {format_number(low)} and <= {format_number(high)}"
        else:
            what += f" from {format_number(low)} to {format_number(high)}"
    elif low is not None:
        what += f" {'>' if col.min_exclusive else '>='} {format_number(low)}"
    elif high is not None:
        what += f" <= {format_number(high)}"
    text = col.header_en.lower()
    if col.unit and col.unit != FRACTION_UNIT:
        text += f" in {col.unit}"
    return f"{text} ({what})"


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: its key, names in both languages, the Issue entity it fills and its columns."""

    key: str
    name_en: str
    name_zh: str
    entity: str
    columns: tuple[ColumnSpec, ...]
    description_en: str = ""
    description_zh: str = ""
    required: bool = False

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def description(self, lang: str = "en") -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.key} has no column {key!r}")


def format_number(x: float) -> str:
    """A bound as a planner reads it: ``0.5``, ``2026``, ``200,000``, and ``1e+09`` for the huge ones (never
    a number with dozens of digits)."""
    if float(x).is_integer() and abs(x) < 1e7:
        return f"{int(x):,}" if abs(x) >= 10_000 else str(int(x))
    return f"{x:.6g}"


# ---------------------------------------------------------------------------------------------------
# Columns shared by several sheets


def _id(what_en: str, what_zh: str, example: str) -> ColumnSpec:
    return ColumnSpec(
        "id",
        f"{what_en} id",
        f"{what_zh}编号",
        "str",
        required=True,
        example=example,
        comment_en=f"Unique id of the {what_en.lower()}; other sheets refer to it by this id.",
        comment_zh=f"{what_zh}的唯一编号；其他工作表用此编号引用它。",
    )


def _name(example: str) -> ColumnSpec:
    return ColumnSpec(
        "name",
        "Name",
        "名称",
        "str",
        default="",
        example=example,
        comment_en="Display name (blank = show the id).",
        comment_zh="显示名称（空白则显示编号）。",
    )


_LAT = ColumnSpec(
    "lat",
    "Latitude",
    "纬度",
    "float",
    "°",
    required=True,
    min_value=-90,
    max_value=90,
    example=31.23,
    comment_en="Latitude in decimal degrees (WGS84), e.g. 31.23.",
    comment_zh="纬度，十进制度数（WGS84），例如 31.23。",
)
_LON = ColumnSpec(
    "lon",
    "Longitude",
    "经度",
    "float",
    "°",
    required=True,
    min_value=-180,
    max_value=180,
    example=121.47,
    comment_en="Longitude in decimal degrees (WGS84), e.g. 121.47.",
    comment_zh="经度，十进制度数（WGS84），例如 121.47。",
)
_PROVINCE = ColumnSpec(
    "province",
    "Province",
    "省份",
    "str",
    default="",
    example="Jiangsu",
    comment_en="Province or region (optional; used in reports).",
    comment_zh="省份或地区（可选；用于报告）。",
)


def _site_columns(example_id: str) -> tuple[ColumnSpec, ...]:
    return (
        _id("Site", "场地", example_id),
        _name("Suzhou sorting center"),
        _LAT,
        _LON,
        _PROVINCE,
        ColumnSpec(
            "status",
            "Status",
            "状态",
            "enum",
            required=True,
            allowed=("existing", "candidate", "closed"),
            allowed_zh=("现有", "候选", "关闭"),
            example="candidate",
            comment_en="existing = always open, runs one of its capacity modules (the first is its current "
            "capacity); candidate = may be opened with one module; closed = takes no flow.",
            comment_zh="现有 = 始终开放，使用其一个产能模块（第一个为当前产能）；"
            "候选 = 可选择以一个模块开设；"
            "关闭 = 不接收任何物流。",
        ),
        ColumnSpec(
            "variable_cost_cny_per_t",
            "Variable cost",
            "变动成本",
            "float",
            "CNY/t",
            default=0.0,
            min_value=0,
            max_magnitude=1e7,
            typical_max=10_000,
            example=120.0,
            comment_en="Processing cost per tonne of scrap received (blank = 0).",
            comment_zh="每吨入场废料的加工成本（空白 = 0）。",
        ),
        ColumnSpec(
            "co2_kg_per_t",
            "CO2 emissions",
            "CO2排放",
            "float",
            "kg CO2/t",
            default=0.0,
            min_value=0,
            max_magnitude=1e6,
            typical_max=1_000,
            example=8.0,
            comment_en="Process CO2 per tonne of scrap received (blank = 0).",
            comment_zh="每吨入场废料的加工CO2排放（空白 = 0）。",
        ),
        ColumnSpec(
            "earliest_year",
            "Earliest year",
            "最早运营年份",
            "int",
            min_value=1900,
            example=2026,
            comment_en="Multi-year plans: first year a candidate may run (permits, land). Blank = any year.",
            comment_zh="多年规划：候选场地最早可运营的年份（许可、用地）。空白 = 不限。",
        ),
        ColumnSpec(
            "lead_time_years",
            "Lead time",
            "建设周期",
            "int",
            "years",
            default=0,
            min_value=0,
            example=1,
            comment_en="Multi-year plans: years from the first planning year before a candidate can run "
            "(blank = 0).",
            comment_zh="多年规划：从首个规划年份起，候选场地需要多少年才能运营（空白 = 0）。",
        ),
        ColumnSpec(
            "closing_cost_cny",
            "Closing cost",
            "关闭成本",
            "float",
            "CNY",
            default=0.0,
            min_value=0,
            example=2000000.0,
            comment_en="Multi-year plans: one-off cost when an existing site closes (blank = 0).",
            comment_zh="多年规划：现有场地关闭时的一次性成本（空白 = 0）。",
        ),
        ColumnSpec(
            "may_close",
            "May close",
            "允许关闭",
            "bool",
            default=False,
            example=False,
            comment_en="Multi-year plans: whether an existing site may close in some year (blank = no).",
            comment_zh="多年规划：现有场地是否可以在某年关闭（空白 = 否）。",
        ),
    )


def _site_ref(key: str = "site_id") -> ColumnSpec:
    return ColumnSpec(
        key,
        "Site id",
        "场地编号",
        "str",
        required=True,
        ref=SITES_REF,
        example="SC-01",
        comment_en="Id of a dismantling site or sorting center.",
        comment_zh="拆解厂或分拣中心的编号。",
    )


def _grade_ref(key: str, en: str, zh: str, comment_en: str, comment_zh: str, example: str) -> ColumnSpec:
    return ColumnSpec(
        key,
        en,
        zh,
        "str",
        required=True,
        ref="grades",
        example=example,
        comment_en=comment_en,
        comment_zh=comment_zh,
    )


# ---------------------------------------------------------------------------------------------------
# Sheets

INSTRUCTIONS = SheetSpec(
    "instructions",
    "Instructions",
    "说明",
    "",
    (),
    "How to fill in this workbook (ignored when importing).",
    "如何填写本工作簿（导入时忽略）。",
)

GRADES = SheetSpec(
    "grades",
    "Grades",
    "废铜等级",
    "grade",
    (
        _id("Grade", "等级", "No1"),
        ColumnSpec(
            "name_en",
            "English name",
            "英文名称",
            "str",
            default="",
            example="No. 1 copper",
            comment_en="Grade name in English.",
            comment_zh="等级的英文名称。",
        ),
        ColumnSpec(
            "name_zh",
            "Chinese name",
            "中文名称",
            "str",
            default="",
            example="1号铜",
            comment_en="Grade name in Chinese.",
            comment_zh="等级的中文名称。",
        ),
        ColumnSpec(
            "copper_content",
            "Copper content",
            "铜含量",
            "float",
            "0-1",
            required=True,
            min_value=0,
            max_value=1,
            min_exclusive=True,
            example=0.97,
            comment_en="Fraction of copper in one tonne of this scrap, 0-1 (0.97 or 97%).",
            comment_zh="每吨该废料中铜的比例，0-1（0.97 或 97%）。",
        ),
        ColumnSpec(
            "price_coefficient",
            "Price coefficient",
            "计价系数",
            "float",
            "0-1",
            min_value=0,
            max_value=1.5,
            min_exclusive=True,
            typical_max=1.0,
            example=0.975,
            comment_en="What a smelter pays per tonne of this scrap as a fraction of the copper price. "
            "Blank = it pays for contained copper (copper content x price).",
            comment_zh="冶炼厂按铜价的比例为每吨该废料付款。空白 = 按含铜量计价（铜含量 x 铜价）。",
        ),
    ),
    "Scrap grades: copper content and price coefficient. Every other sheet refers to grades by id.",
    "废铜等级：铜含量与计价系数。其他工作表通过编号引用等级。",
    required=True,
)

COLLECTION_POINTS = SheetSpec(
    "collection_points",
    "CollectionPoints",
    "回收点",
    "collection_point",
    (
        _id("Collection point", "回收点", "CP-001"),
        _name("Kunshan scrap yard"),
        _LAT,
        _LON,
        _PROVINCE,
        ColumnSpec(
            "buyback_coefficient",
            "Buy-back coefficient",
            "回购系数",
            "float",
            "0-1",
            min_value=0,
            max_value=1.5,
            min_exclusive=True,
            typical_max=1.0,
            example=0.9,
            comment_en="Purchase price as a fraction of copper price x copper content, used for supplies "
            "without a purchase price. Blank = none.",
            comment_zh="收购价占铜价 x 铜含量的比例，用于未填收购价的供应。空白 = 无。",
        ),
        ColumnSpec(
            "opens_hour",
            "Opens",
            "开门时间",
            "float",
            "h",
            default=8.0,
            min_value=0,
            max_value=24,
            example=8.0,
            comment_en="Hour of day the point opens for pick-up, e.g. 8 or 7.5 (blank = 8).",
            comment_zh="开始接受提货的时刻，例如 8 或 7.5（空白 = 8）。",
        ),
        ColumnSpec(
            "closes_hour",
            "Closes",
            "关门时间",
            "float",
            "h",
            default=18.0,
            min_value=0,
            max_value=24,
            example=17.5,
            comment_en="Hour of day the point closes, e.g. 17.5 (blank = 18).",
            comment_zh="停止提货的时刻，例如 17.5（空白 = 18）。",
        ),
        ColumnSpec(
            "service_time_min",
            "Service time",
            "装货时间",
            "float",
            "min",
            default=20.0,
            min_value=0,
            max_value=1440,
            typical_max=240,
            example=20.0,
            comment_en="Minutes a truck spends loading at the point (blank = 20).",
            comment_zh="卡车在该点装货所需分钟数（空白 = 20）。",
        ),
        ColumnSpec(
            "visits_per_week",
            "Visits per week",
            "每周收运次数",
            "int",
            default=1,
            min_value=1,
            max_value=7,
            example=1,
            comment_en="How often a truck must visit each week (blank = 1).",
            comment_zh="每周需要卡车上门的次数（空白 = 1）。",
        ),
        ColumnSpec(
            "assigned_site_id",
            "Assigned depot",
            "指定车场",
            "str",
            ref=SITES_REF,
            example="SC-01",
            comment_en="Site whose trucks collect here when no plan assigns the point (blank = none).",
            comment_zh="无方案指定时由哪个场地的车辆收运（空白 = 无）。",
        ),
    ),
    "Collection points (scrap yards, dealers, recycling stations) where scrap is bought.",
    "回收点（废品站、回收商、回收网点），在此收购废料。",
    required=True,
)

SUPPLY = SheetSpec(
    "supply",
    "Supply",
    "供应量",
    "supply",
    (
        ColumnSpec(
            "collection_point_id",
            "Collection point id",
            "回收点编号",
            "str",
            required=True,
            ref="collection_points",
            example="CP-001",
            comment_en="Id from the CollectionPoints sheet.",
            comment_zh="回收点工作表中的编号。",
        ),
        _grade_ref(
            "grade_id", "Grade id", "等级编号", "Id from the Grades sheet.", "废铜等级工作表中的编号。", "No1"
        ),
        ColumnSpec(
            "supply_t_per_year",
            "Supply",
            "供应量",
            "float",
            "t/yr",
            required=True,
            min_value=0,
            max_magnitude=1e9,
            typical_max=1_000_000,
            example=1200.0,
            comment_en="Tonnes of scrap of this grade the point can sell per year.",
            comment_zh="该回收点每年可出售的该等级废料吨数。",
        ),
        ColumnSpec(
            "purchase_price_cny_per_t",
            "Purchase price",
            "收购价",
            "float",
            "CNY/t",
            min_value=0,
            max_magnitude=1e7,
            typical_max=200_000,
            example=68000.0,
            comment_en="Price per tonne of scrap. Blank = the point's buy-back "
            "coefficient x copper price x copper content.",
            comment_zh="每吨废料的收购价。空白 = 回购系数 x 铜价 x 铜含量。",
        ),
    ),
    "Annual supply per collection point and grade: one row per (collection point, grade).",
    "每个回收点每个等级的年供应量：每行一个（回收点，等级）。",
    required=True,
)

DISMANTLING_SITES = SheetSpec(
    "dismantling_sites",
    "DismantlingSites",
    "拆解厂",
    "site",
    _site_columns("DS-01"),
    "Dismantling sites: existing or candidate sites that take motors, cables and appliances apart.",
    "拆解厂：拆解电机、电缆和家电的现有或候选场地。",
)

SORTING_CENTERS = SheetSpec(
    "sorting_centers",
    "SortingCenters",
    "分拣中心",
    "site",
    _site_columns("SC-01"),
    "Sorting centers: existing or candidate sites that sort and bale scrap by grade.",
    "分拣中心：按等级分拣、打包废料的现有或候选场地。",
)

CAPACITY_MODULES = SheetSpec(
    "capacity_modules",
    "CapacityModules",
    "产能模块",
    "capacity_module",
    (
        _site_ref(),
        ColumnSpec(
            "id",
            "Module id",
            "模块编号",
            "str",
            required=True,
            example="M1",
            comment_en="Module id, unique within its site.",
            comment_zh="模块编号，在同一场地内唯一。",
        ),
        ColumnSpec(
            "capacity_t_per_year",
            "Capacity",
            "产能",
            "float",
            "t/yr",
            required=True,
            min_value=0,
            min_exclusive=True,
            max_magnitude=1e9,
            typical_max=10_000_000,
            example=20000.0,
            comment_en="Tonnes of scrap per year the site can receive with this module.",
            comment_zh="采用该模块时场地每年可接收的废料吨数。",
        ),
        ColumnSpec(
            "fixed_cost_cny_per_year",
            "Fixed cost",
            "固定成本",
            "float",
            "CNY/yr",
            required=True,
            min_value=0,
            typical_max=1e10,
            example=1500000.0,
            comment_en="Annualised fixed cost of running the site at this size.",
            comment_zh="以该规模运营场地的年化固定成本。",
        ),
        ColumnSpec(
            "capex_cny",
            "Capex",
            "投资额",
            "float",
            "CNY",
            min_value=0,
            example=50000000.0,
            comment_en="Multi-year plans: investment to build the site at this size (or, for an existing "
            "site's later module, to expand to it), paid over the build time. Blank = no capex: the fixed "
            "cost above is charged every year the module runs.",
            comment_zh="多年规划：以该规模建设场地（现有场地的后续模块：扩建到该规模）的投资，在建设期内支付。"
            "空白 = 无投资：模块运营的每一年计上面的固定成本。",
        ),
        ColumnSpec(
            "build_time_years",
            "Build time",
            "建设期",
            "int",
            "years",
            default=0,
            min_value=0,
            example=1,
            comment_en="Multi-year plans: years of construction before the module runs; capex is spread "
            "evenly over them (blank = 0: paid in the first year it runs).",
            comment_zh="多年规划：模块运营前的建设年数；投资在这些年内平均支付"
            "（空白 = 0：在首个运营年支付）。",
        ),
        ColumnSpec(
            "fixed_opex_cny_per_year",
            "Fixed opex",
            "固定运营成本",
            "float",
            "CNY/yr",
            default=0.0,
            min_value=0,
            example=3000000.0,
            comment_en="Multi-year plans, modules with capex: fixed operating cost per year the module runs "
            "(staff, rent, upkeep; blank = 0).",
            comment_zh="多年规划（有投资的模块）：模块运营期间每年的固定运营成本"
            "（人员、租金、维护；空白 = 0）。",
        ),
        ColumnSpec(
            "economic_life_years",
            "Economic life",
            "经济寿命",
            "float",
            "years",
            default=20.0,
            min_value=0,
            example=20.0,
            comment_en="Years over which capex is depreciated straight-line; sets the residual value at the "
            "end of the horizon (blank = 20).",
            comment_zh="投资按直线法折旧的年数；决定规划期末的残值（空白 = 20）。",
        ),
        ColumnSpec(
            "jobs",
            "Jobs",
            "就业岗位",
            "int",
            default=0,
            min_value=0,
            example=30,
            comment_en="People employed while the module runs (for reports; blank = 0).",
            comment_zh="模块运营时的就业人数（用于报告；空白 = 0）。",
        ),
    ),
    "Sizes each site can run at. A site opens with at most one module; the FIRST module of an existing "
    "site is its current capacity, the others are expansion options.",
    "每个场地可选的规模。场地最多选用一个模块；现有场地的第一个模块是其当前产能，其余为扩建选项。",
)

YIELDS = SheetSpec(
    "yields",
    "Yields",
    "产出率",
    "yield",
    (
        _site_ref(),
        _grade_ref(
            "input_grade_id", "Input grade", "输入等级", "Grade the site receives.", "场地接收的等级。", "No2"
        ),
        _grade_ref(
            "output_grade_id",
            "Output grade",
            "输出等级",
            "Grade the site ships out.",
            "场地产出的等级。",
            "No2",
        ),
        ColumnSpec(
            "fraction",
            "Yield",
            "产出率",
            "float",
            "0-1",
            required=True,
            min_value=0,
            max_value=1,
            example=1.0,
            comment_en="Tonnes of output grade per tonne of input grade, 0-1 "
            "(or %). The fractions of one input sum to at most 1.",
            comment_zh="每吨输入等级产出的输出等级吨数，0-1（或 %）。同一输入的比例之和不超过 1。",
        ),
    ),
    "What each site makes of what it receives. The grades a site accepts are the input grades of its "
    "rows here; a grade that passes through unchanged is written g -> g with yield 1.",
    "每个场地把接收的废料加工成什么。场地接收的等级就是这里的输入等级；原样通过的等级写成 g -> g，产出率 1。",
)

SMELTERS = SheetSpec(
    "smelters",
    "Smelters",
    "冶炼厂",
    "smelter",
    (
        _id("Smelter", "冶炼厂", "SM-01"),
        _name("Jiangxi Copper Guixi"),
        _LAT,
        _LON,
        _PROVINCE,
        ColumnSpec(
            "capacity_t_per_year",
            "Capacity",
            "产能",
            "float",
            "t/yr",
            required=True,
            min_value=0,
            max_magnitude=1e9,
            typical_max=10_000_000,
            example=100000.0,
            comment_en="Tonnes of scrap per year the smelter buys at most.",
            comment_zh="冶炼厂每年最多收购的废料吨数。",
        ),
        ColumnSpec(
            "accepted_grade_ids",
            "Accepted grades",
            "接收等级",
            "id_list",
            ref="grades",
            default=(),
            example=("No1", "No2"),
            comment_en="Grade ids the smelter buys, separated by commas.",
            comment_zh="冶炼厂收购的等级编号，用逗号分隔。",
        ),
        ColumnSpec(
            "min_copper_content",
            "Min. copper content",
            "最低铜含量",
            "float",
            "0-1",
            default=0.0,
            min_value=0,
            max_value=1,
            example=0.9,
            comment_en="Minimum blended copper content of all it takes in a year (blank = 0).",
            comment_zh="全年所收废料的最低平均铜含量（空白 = 0）。",
        ),
        ColumnSpec(
            "price_cny_per_t_cu",
            "Copper price",
            "铜价",
            "float",
            "CNY/t Cu",
            min_value=0,
            min_exclusive=True,
            max_magnitude=1e7,
            typical_max=300_000,
            example=74500.0,
            comment_en="This smelter's own copper price, used when its price basis is fixed; no copper-price "
            "scenario moves it.",
            comment_zh="该冶炼厂自己的铜价，价格基准为固定时使用；铜价情景不会改变它。",
        ),
        ColumnSpec(
            "price_basis",
            "Price basis",
            "价格基准",
            "enum",
            allowed=("linked", "fixed"),
            allowed_zh=("联动", "固定"),
            example="linked",
            comment_en="linked = the network copper price minus the discount below, so it moves with every "
            "copper-price scenario; fixed = the copper price of this row, which no scenario moves. Blank = "
            "fixed when the row has a copper price, linked otherwise.",
            comment_zh="联动 = 网络铜价减去下面的折扣，随每个铜价情景变动；"
            "固定 = 本行的铜价，任何情景都不改变它。空白 = 本行有铜价时为固定，否则为联动。",
        ),
        ColumnSpec(
            "price_discount_cny_per_t_cu",
            "Price discount",
            "价格折扣",
            "float",
            "CNY/t Cu",
            default=0.0,
            example=1700.0,
            comment_en="For a linked price: how much less than the network copper price this smelter pays "
            "(a refining charge; negative = a premium). Blank = 0.",
            comment_zh="联动价格时：该冶炼厂比网络铜价少付多少（精炼费；负数 = 溢价）。空白 = 0。",
        ),
    ),
    "Smelters and refineries that buy scrap, with the grades they accept.",
    "收购废料的冶炼厂和精炼厂，及其接收的等级。",
    required=True,
)

VEHICLE_TYPES = SheetSpec(
    "vehicle_types",
    "VehicleTypes",
    "车型",
    "vehicle_type",
    (
        _id("Vehicle type", "车型", "T10"),
        _name("10 t box truck"),
        ColumnSpec(
            "payload_t",
            "Payload",
            "载重",
            "float",
            "t",
            required=True,
            min_value=0,
            min_exclusive=True,
            max_magnitude=10_000,
            typical_max=49,
            example=10.0,
            comment_en="Tonnes of scrap one truck carries.",
            comment_zh="一辆车可装载的废料吨数。",
        ),
        ColumnSpec(
            "fixed_cost_cny_per_day",
            "Fixed cost",
            "固定成本",
            "float",
            "CNY/day",
            required=True,
            min_value=0,
            max_magnitude=1e7,
            typical_max=20_000,
            example=800.0,
            comment_en="Cost of using one truck for one day (driver, depreciation).",
            comment_zh="每辆车每天的使用成本（司机、折旧）。",
        ),
        ColumnSpec(
            "cost_cny_per_km",
            "Cost per km",
            "每公里成本",
            "float",
            "CNY/km",
            required=True,
            min_value=0,
            max_magnitude=1e5,
            typical_max=100,
            example=3.5,
            comment_en="Fuel, tolls and wear per km driven.",
            comment_zh="每公里的油费、路桥费和损耗。",
        ),
        ColumnSpec(
            "speed_km_per_h",
            "Speed",
            "车速",
            "float",
            "km/h",
            default=40.0,
            min_value=0,
            min_exclusive=True,
            max_magnitude=1_000,
            typical_max=120,
            example=40.0,
            comment_en="Average road speed (blank = 40).",
            comment_zh="平均行驶速度（空白 = 40）。",
        ),
        ColumnSpec(
            "max_shift_h",
            "Max. shift",
            "最长班次",
            "float",
            "hours",
            default=10.0,
            min_value=0,
            max_value=24,
            min_exclusive=True,
            example=10.0,
            comment_en="Longest working day of a truck (blank = 10).",
            comment_zh="车辆每天最长工作时间（空白 = 10）。",
        ),
        ColumnSpec(
            "count_per_depot",
            "Trucks per depot",
            "每车场车辆数",
            "int",
            default=1,
            min_value=0,
            max_magnitude=1_000,
            typical_max=100,
            example=2,
            comment_en="How many of these trucks each depot has (blank = 1).",
            comment_zh="每个车场拥有该车型的数量（空白 = 1）。",
        ),
        ColumnSpec(
            "co2_kg_per_km",
            "CO2 emissions",
            "CO2排放",
            "float",
            "kg CO2/km",
            default=0.0,
            min_value=0,
            max_magnitude=1_000,
            typical_max=5,
            example=0.9,
            comment_en="Tailpipe CO2 per km (blank = 0).",
            comment_zh="每公里尾气CO2排放（空白 = 0）。",
        ),
        ColumnSpec(
            "depot_ids",
            "Depots",
            "车场",
            "id_list",
            ref=SITES_REF,
            default=(),
            example=("SC-01",),
            comment_en="Site ids that keep these trucks, separated by commas (blank = every site).",
            comment_zh="拥有该车型的场地编号，用逗号分隔（空白 = 所有场地）。",
        ),
        ColumnSpec(
            "max_driving_h_per_day",
            "Max. driving per day",
            "每日最长驾驶",
            "float",
            "hours",
            default=8.0,
            min_value=0,
            max_value=24,
            min_exclusive=True,
            example=8.0,
            comment_en="Hours at the wheel per day on a multi-day haul (blank = 8, China's fatigue-driving "
            "limit of 8 h in 24 h).",
            comment_zh="多日整车运输中每天最长驾驶小时数（空白 = 8，即24小时内累计驾驶不超过8小时）。",
        ),
        ColumnSpec(
            "daily_rest_h",
            "Daily rest",
            "每日休息",
            "float",
            "hours",
            default=11.0,
            min_value=0,
            max_value=24,
            example=11.0,
            comment_en="Hours off between two driving days of a multi-day haul (blank = 11, the EU's "
            "regular daily rest; an estimate for China).",
            comment_zh="多日整车运输两个驾驶日之间的休息小时数"
            "（空白 = 11，欧盟的常规每日休息；中国为估计值）。",
        ),
        ColumnSpec(
            "carrier_cny_per_trip",
            "Carrier tariff per trip",
            "承运商每趟运价",
            "float",
            "CNY",
            default=None,
            min_value=0,
            max_magnitude=1e7,
            typical_max=50_000,
            example=None,
            comment_en="Set = a carrier's truck hired per full-truckload haul: each trip costs this plus the "
            "cost per km of the loaded km; no depot keeps it. Blank = the depots' own trucks.",
            comment_zh="填写 = 按趟雇用的承运商整车：每趟费用为此运价加上重载公里的每公里成本；"
            "不属于任何车场。空白 = 车场自有车辆。",
        ),
    ),
    "Collection trucks kept at depots (dismantling sites and sorting centers).",
    "停放在车场（拆解厂和分拣中心）的收运车辆。",
)

PARAMETERS_SHEET = SheetSpec(
    "parameters",
    "Parameters",
    "参数",
    "parameters",
    (
        ColumnSpec(
            "parameter",
            "Parameter",
            "参数",
            "str",
            required=True,
            comment_en="Parameter name; keep as written.",
            comment_zh="参数名称；请勿修改。",
        ),
        ColumnSpec(
            "value",
            "Value",
            "数值",
            "str",
            comment_en="The value. Blank for an optional limit means no limit.",
            comment_zh="参数值。可选限制留空表示不限制。",
        ),
        ColumnSpec(
            "unit",
            "Unit",
            "单位",
            "str",
            comment_en="Unit (for reading only).",
            comment_zh="单位（仅供参考）。",
        ),
        ColumnSpec(
            "description",
            "Description",
            "说明",
            "str",
            comment_en="What the parameter means.",
            comment_zh="参数含义。",
        ),
    ),
    "Network-wide parameters, one per row. Blank for an optional limit means no limit.",
    "全网参数，每行一个。可选限制留空表示不限制。",
)

PERIODS = SheetSpec(
    "periods",
    "Periods",
    "规划期",
    "period",
    (
        ColumnSpec(
            "year",
            "Year",
            "年份",
            "int",
            required=True,
            min_value=1900,
            example=2025,
            comment_en="First calendar year of the period; periods follow each other without gaps.",
            comment_zh="该期的起始年份；各期首尾相接、不留空档。",
        ),
        ColumnSpec(
            "length_years",
            "Length",
            "年数",
            "int",
            "years",
            default=1,
            min_value=1,
            example=1,
            comment_en="Years the period lasts with the same flows (blank = 1).",
            comment_zh="该期持续的年数，期内物流相同（空白 = 1）。",
        ),
        ColumnSpec(
            "supply_factor",
            "Supply factor",
            "供应系数",
            "float",
            default=1.0,
            min_value=0,
            example=1.07,
            comment_en="Scrap supply in this period relative to the Supply sheet, e.g. 1.07 = 7 % more "
            "(blank = 1).",
            comment_zh="该期废料供应相对供应量工作表的倍数，例如 1.07 = 多 7%（空白 = 1）。",
        ),
        ColumnSpec(
            "copper_price_cny_per_t",
            "Copper price",
            "铜价",
            "float",
            "CNY/t Cu",
            min_value=0,
            example=76000.0,
            comment_en="Copper price for the period (blank = the Parameters copper price).",
            comment_zh="该期的铜价（空白 = 参数表中的铜价）。",
        ),
        ColumnSpec(
            "target_utilization",
            "Target utilisation",
            "目标利用率",
            "float",
            "0-1",
            min_value=0,
            max_value=1,
            example=0.6,
            comment_en="Recycled-copper utilization the period must reach, t Cu delivered / t Cu in supply "
            "(blank = the Parameters target).",
            comment_zh="该期须达到的再生铜利用率，交付铜量 / 供应含铜量（空白 = 参数表中的目标）。",
        ),
        ColumnSpec(
            "carbon_price_cny_per_t_co2",
            "Carbon price",
            "碳价",
            "float",
            "CNY/t CO2",
            min_value=0,
            example=90.0,
            comment_en="Carbon price for the period (blank = the Parameters carbon price).",
            comment_zh="该期的碳价（空白 = 参数表中的碳价）。",
        ),
        ColumnSpec(
            "capital_budget_cny",
            "Capital budget",
            "资本预算",
            "float",
            "CNY",
            min_value=0,
            example=60000000.0,
            comment_en="Most capex that may be paid in each year of the period (blank = no limit).",
            comment_zh="该期每年最多可支付的投资额（空白 = 不限制）。",
        ),
    ),
    "Optional: the years of a multi-year investment plan, one row per period. Without rows the network "
    "is planned for one year.",
    "可选：多年投资规划的各期，每行一期。没有行时只规划一年。",
)

GROWTH = SheetSpec(
    "growth",
    "Growth",
    "供应增长",
    "growth",
    (
        ColumnSpec(
            "year",
            "Year",
            "年份",
            "int",
            required=True,
            min_value=1900,
            example=2027,
            comment_en="First year of a period on the Periods sheet.",
            comment_zh="规划期工作表中某一期的起始年份。",
        ),
        ColumnSpec(
            "grade_id",
            "Grade id",
            "等级编号",
            "str",
            default="",
            ref="grades",
            example="No2",
            comment_en="Id from the Grades sheet (blank = every grade).",
            comment_zh="废铜等级工作表中的编号（空白 = 所有等级）。",
        ),
        ColumnSpec(
            "province",
            "Province",
            "省份",
            "str",
            default="",
            example="Jiangsu",
            comment_en="Province of the collection points, as on the CollectionPoints sheet (blank = every "
            "province).",
            comment_zh="回收点所在省份，与回收点工作表一致（空白 = 所有省份）。",
        ),
        ColumnSpec(
            "factor",
            "Supply factor",
            "供应系数",
            "float",
            required=True,
            min_value=0,
            max_magnitude=1e6,
            typical_max=100,
            example=1.12,
            comment_en="Supply of the grade in the province that year relative to the Supply sheet, on top "
            "of the period's own supply factor (the two multiply). Where several rows match, the most "
            "specific one counts: grade and province, then grade only, then province only, then neither.",
            comment_zh="该年该省该等级的供应相对供应量工作表的倍数，与该期自身的供应系数相乘。多行同时适用时，"
            "以最具体的一行为准：等级和省份 > 仅等级 > 仅省份 > 都不填。",
        ),
    ),
    "Optional: supply growth per grade and/or province for the years of the Periods sheet. A point's "
    "supply of a grade in a period = Supply x the period's supply factor x the most specific Growth "
    "factor of that year (1 when no row matches).",
    "可选：按等级和/或省份给出规划期各年的供应增长。某回收点某等级在某期的供应 = 供应量 x 该期供应系数 x "
    "该年最具体的供应增长系数（无匹配行时为 1）。",
)

DISTANCES = SheetSpec(
    "distances",
    "Distances",
    "距离",
    "distance",
    (
        ColumnSpec(
            "from_id",
            "From id",
            "起点编号",
            "str",
            required=True,
            ref=NODES_REF,
            example="CP-001",
            comment_en="Id of a collection point, site or smelter.",
            comment_zh="回收点、场地或冶炼厂的编号。",
        ),
        ColumnSpec(
            "to_id",
            "To id",
            "终点编号",
            "str",
            required=True,
            ref=NODES_REF,
            example="SC-01",
            comment_en="Id of a collection point, site or smelter.",
            comment_zh="回收点、场地或冶炼厂的编号。",
        ),
        ColumnSpec(
            "road_km",
            "Road distance",
            "道路距离",
            "float",
            "km",
            min_value=0,
            max_magnitude=1e5,
            typical_max=5_000,
            example=42.0,
            comment_en="Road distance; blank = straight line x circuity factor.",
            comment_zh="道路距离；空白 = 直线距离 x 绕行系数。",
        ),
        ColumnSpec(
            "cost_cny_per_t",
            "Transport cost",
            "运输成本",
            "float",
            "CNY/t",
            min_value=0,
            max_magnitude=1e7,
            typical_max=10_000,
            example=25.0,
            comment_en="Cost per tonne on this leg; blank = distance x transport cost per t·km.",
            comment_zh="该段每吨运费；空白 = 距离 x 每吨公里运费。",
        ),
    ),
    "Optional road distances and transport costs that override the straight-line estimate. "
    "A row applies in both directions unless the reverse pair has its own row.",
    "可选：覆盖直线估算的道路距离和运费。除非反向另有一行，每行对两个方向都有效。",
)

#: A sweep definition kept with the project (read by ``copperloop sweep FILE`` without ``--factor``). It
#: is not part of the network (the network reader ignores it), so it is not in :data:`SHEETS`.
SWEEPS = SheetSpec(
    "sweeps",
    "Sweeps",
    "扫描",
    "sweep",
    (
        ColumnSpec(
            "factor",
            "Factor",
            "因素",
            required=True,
            example="copper_price",
            comment_en="A sweep factor (copper_price, supply, supply.grade.<id>, supply.province.<name>, "
            "carbon_price, target_utilization, capex_factor, param.<parameter>, unavailable, "
            "smelter_capacity.<id>), or a setting: #samples, #seed, #tornado_pct, #tolerance, #stochastic.",
            comment_zh="扫描因素（copper_price、supply、supply.grade.<编号>、supply.province.<省份>、"
            "carbon_price、target_utilization、capex_factor、param.<参数>、unavailable、"
            "smelter_capacity.<编号>），或设置：#samples、#seed、#tornado_pct、#tolerance、#stochastic。",
        ),
        ColumnSpec(
            "values",
            "Values",
            "取值",
            required=True,
            example="60000:90000:10000",
            comment_en="A list a,b,c or a range start:stop:step (both ends included); for a setting, its "
            "value (#stochastic: yes or no).",
            comment_zh="列表 a,b,c 或范围 起点:终点:步长（含两端）；设置行填其值（#stochastic：yes 或 no）。",
        ),
    ),
    "The sweep copperloop sweep runs on this workbook when no --factor is given: one factor per row.",
    "未给出 --factor 时 copperloop sweep 在本工作簿上运行的扫描：每行一个因素。",
)

#: Every sheet, in workbook order.
SHEETS: tuple[SheetSpec, ...] = (
    INSTRUCTIONS,
    GRADES,
    COLLECTION_POINTS,
    SUPPLY,
    DISMANTLING_SITES,
    SORTING_CENTERS,
    CAPACITY_MODULES,
    YIELDS,
    SMELTERS,
    VEHICLE_TYPES,
    PARAMETERS_SHEET,
    DISTANCES,
    PERIODS,
    GROWTH,
)

#: The rows of the Parameters sheet: ``network_name`` (the network's name) then every
#: :class:`optimizer.model.Parameters` field. ``required=False`` with ``default=None`` marks an
#: optional limit (blank = no limit).
PARAMETER_ROWS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "network_name",
        "Network name",
        "网络名称",
        "str",
        default="",
        example="East China copper loop",
        comment_en="Name of this network.",
        comment_zh="本网络的名称。",
    ),
    ColumnSpec(
        "copper_price_cny_per_t",
        "Copper price",
        "铜价",
        "float",
        "CNY/t Cu",
        required=True,
        default=75_000.0,
        min_value=0,
        min_exclusive=True,
        max_magnitude=1e7,
        typical_max=300_000,
        comment_en="Price of one tonne of copper (e.g. SMM or LME cash, converted to CNY).",
        comment_zh="每吨铜的价格（如上海有色网或伦铜现货，折算成人民币）。",
    ),
    ColumnSpec(
        "transport_cost_cny_per_t_km",
        "Transport cost",
        "运输费率",
        "float",
        "CNY/t·km",
        required=True,
        default=0.45,
        min_value=0,
        max_magnitude=1e4,
        typical_max=10,
        comment_en="Truck freight per tonne of scrap per km, for legs without a Distances cost.",
        comment_zh="每吨废料每公里的运费，用于距离表中未给出运费的路段。",
    ),
    ColumnSpec(
        "circuity_factor",
        "Circuity factor",
        "绕行系数",
        "float",
        required=True,
        default=1.3,
        min_value=1,
        max_magnitude=100,
        typical_max=3,
        comment_en="Road distance / straight-line distance, for legs without a Distances road distance.",
        comment_zh="道路距离 / 直线距离，用于距离表中未给出道路距离的路段。",
    ),
    ColumnSpec(
        "co2_kg_per_t_km",
        "Transport CO2",
        "运输CO2排放",
        "float",
        "kg CO2/t·km",
        required=True,
        default=0.073,
        min_value=0,
        max_magnitude=1_000,
        typical_max=1,
        comment_en="CO2 per tonne of scrap per km by truck.",
        comment_zh="卡车运输每吨废料每公里的CO2排放。",
    ),
    ColumnSpec(
        "carbon_price_cny_per_t_co2",
        "Carbon price",
        "碳价",
        "float",
        "CNY/t CO2",
        required=True,
        default=0.0,
        min_value=0,
        max_magnitude=1e7,
        typical_max=5_000,
        comment_en="Cost charged per tonne of CO2 emitted (0 = none).",
        comment_zh="每吨CO2排放的成本（0 = 不计）。",
    ),
    ColumnSpec(
        "target_utilization",
        "Utilization target",
        "再生铜利用率目标",
        "float",
        "0-1",
        min_value=0,
        max_value=1,
        min_exclusive=True,
        comment_en="Recycled-copper utilization target: the share of the copper in all supply that the plan "
        "must deliver to smelters, 0-1. Blank = no target.",
        comment_zh="再生铜利用率目标：全部供应所含铜中，方案必须交付冶炼厂的比例，0-1。空白 = 不设目标。",
        aliases=("Target utilisation", "目标产能利用率"),
    ),
    ColumnSpec(
        "annual_budget_cny",
        "Annual budget",
        "年度预算",
        "float",
        "CNY",
        min_value=0,
        typical_max=1e11,
        comment_en="Cap on the plan's annual fixed + processing + transport cost (scrap purchases and "
        "carbon cost are not in the budget). Blank = no limit.",
        comment_zh="方案每年固定成本 + 加工成本 + 运输成本的上限（不含废料收购成本和碳成本）。"
        "空白 = 不限制。",
    ),
    ColumnSpec(
        "max_new_sites",
        "Max. new sites",
        "最多新建场地数",
        "int",
        min_value=0,
        max_magnitude=1e6,
        comment_en="Most candidate sites that may open. Blank = no limit.",
        comment_zh="最多可开设的候选场地数。空白 = 不限制。",
    ),
    ColumnSpec(
        "max_haul_km_collection",
        "Max. collection haul",
        "最大收运距离",
        "float",
        "km",
        min_value=0,
        min_exclusive=True,
        max_magnitude=1e5,
        typical_max=5_000,
        comment_en="Longest collection point -> site or smelter leg. Blank = no limit.",
        comment_zh="回收点 -> 场地或冶炼厂的最长距离。空白 = 不限制。",
    ),
    ColumnSpec(
        "max_haul_km_transfer",
        "Max. transfer haul",
        "最大转运距离",
        "float",
        "km",
        min_value=0,
        min_exclusive=True,
        max_magnitude=1e5,
        typical_max=5_000,
        comment_en="Longest site -> site leg. Blank = no limit.",
        comment_zh="场地 -> 场地的最长距离。空白 = 不限制。",
    ),
    ColumnSpec(
        "max_haul_km_delivery",
        "Max. delivery haul",
        "最大交付距离",
        "float",
        "km",
        min_value=0,
        min_exclusive=True,
        max_magnitude=1e5,
        typical_max=5_000,
        comment_en="Longest site -> smelter leg. Blank = no limit.",
        comment_zh="场地 -> 冶炼厂的最长距离。空白 = 不限制。",
    ),
    ColumnSpec(
        "planning_year",
        "Planning year",
        "规划年份",
        "int",
        required=True,
        default=2026,
        min_value=1900,
        max_value=9999,
        typical_min=2000,
        typical_max=2100,
        comment_en="Year the plan is for.",
        comment_zh="方案所针对的年份。",
    ),
    ColumnSpec(
        "working_days_per_week",
        "Working days per week",
        "每周工作天数",
        "int",
        "days/week",
        required=True,
        default=6,
        min_value=1,
        max_value=7,
        comment_en="Days a week trucks run.",
        comment_zh="车辆每周运行天数。",
    ),
    ColumnSpec(
        "weeks_per_year",
        "Weeks per year",
        "每年工作周数",
        "int",
        "weeks/yr",
        required=True,
        default=50,
        min_value=1,
        max_value=53,
        comment_en="Working weeks a year.",
        comment_zh="每年工作周数。",
    ),
    ColumnSpec(
        "discount_rate",
        "Discount rate",
        "折现率",
        "float",
        "0-1",
        required=True,
        default=0.08,
        min_value=0,
        max_value=1,
        comment_en="Multi-year plans: real discount rate for NPV, e.g. 0.08 (an estimate).",
        comment_zh="多年规划：计算净现值的实际折现率，例如 0.08（估计值）。",
    ),
    ColumnSpec(
        "residual_value",
        "Residual value",
        "期末残值",
        "enum",
        required=True,
        default="straight_line",
        allowed=("straight_line", "none"),
        allowed_zh=("直线法", "无"),
        comment_en="Multi-year plans: what modules still running at the end of the horizon are worth: "
        "straight-line book value, or none.",
        comment_zh="多年规划：规划期末仍在运营的模块的价值：直线法账面价值，或无。",
    ),
    ColumnSpec(
        "vat_method",
        "VAT method",
        "增值税计税方法",
        "enum",
        required=True,
        default="simplified",
        allowed=("simplified", "general", "none"),
        allowed_zh=("简易计税", "一般计税", "不计"),
        comment_en="Multi-year plans: VAT on scrap sales: simplified (a levy on sales), general (on sales "
        "less purchases) or none (cash flows before VAT).",
        comment_zh="多年规划：废料销售的增值税：简易计税（按销售额征收）、一般计税（销项减进项）或不计。",
    ),
    ColumnSpec(
        "vat_rate_simplified",
        "Simplified VAT rate",
        "简易计税征收率",
        "float",
        "0-1",
        required=True,
        default=0.03,
        min_value=0,
        max_value=1,
        comment_en="Rate of the simplified method on sales (3 % under Announcement No. 40 of 2021).",
        comment_zh="简易计税按销售额的征收率（2021年第40号公告：3%）。",
    ),
    ColumnSpec(
        "vat_rate_general",
        "General VAT rate",
        "一般计税税率",
        "float",
        "0-1",
        required=True,
        default=0.13,
        min_value=0,
        max_value=1,
        comment_en="Rate of the general method on sales less purchases (13 %).",
        comment_zh="一般计税对销项减进项的税率（13%）。",
    ),
    ColumnSpec(
        "vat_refund_share",
        "VAT refund share",
        "增值税即征即退比例",
        "float",
        "0-1",
        required=True,
        default=0.30,
        min_value=0,
        max_value=1,
        comment_en="Share of the VAT paid that is refunded for recycled-resource products (30 %; for copper "
        "an estimate). 0 = none.",
        comment_zh="资源综合利用产品增值税即征即退比例（30%；铜为估计值）。0 = 不退。",
    ),
    ColumnSpec(
        "income_tax_rate",
        "Income tax rate",
        "企业所得税税率",
        "float",
        "0-1",
        required=True,
        default=0.25,
        min_value=0,
        max_value=1,
        comment_en="Multi-year plans: corporate income tax on positive taxable profit (25 %). 0 = none.",
        comment_zh="多年规划：对正的应纳税所得额征收的企业所得税（25%）。0 = 不计。",
    ),
    ColumnSpec(
        "avoided_co2_t_per_t_cu",
        "Avoided CO2",
        "避免的CO2",
        "float",
        "t CO2/t Cu",
        required=True,
        default=4.4,
        min_value=0,
        comment_en="CO2 avoided per tonne of recycled copper delivered that replaces primary copper "
        "(about 4.4, derived from Copper Alliance figures; an estimate).",
        comment_zh="每交付一吨替代原生铜的再生铜所避免的CO2（约 4.4，由国际铜业协会数据推算；估计值）。",
    ),
    ColumnSpec(
        "collection_cost_model",
        "Collection cost model",
        "收运成本模型",
        "enum",
        required=True,
        default="linear",
        allowed=("linear", "trucks"),
        allowed_zh=("线性", "车辆"),
        comment_en="How the design prices collection: the linear t-km rate, or from VehicleTypes (full "
        "truckloads and milk runs, as the routes collect; docs/model.md).",
        comment_zh="方案如何计算收运成本：按吨公里线性费率，或按车辆类型（整车运输与循环取货，与路线一致；"
        "见 docs/model.md）。",
    ),
    ColumnSpec(
        "milk_run_line_haul_factor",
        "Milk-run line-haul factor",
        "循环取货干线系数",
        "float",
        required=True,
        default=2.46,
        min_value=0,
        typical_max=5,
        comment_en="Trucks cost model: multiplies a visit's share of the drive from the depot and back "
        "(2.46 fitted on CopperLoop's routes of the three samples).",
        comment_zh="车辆成本模型：乘以每次取货分摊的往返场站行驶成本（按 CopperLoop 路线标定）。",
    ),
    ColumnSpec(
        "milk_run_local_factor",
        "Milk-run local factor",
        "循环取货本地系数",
        "float",
        required=True,
        default=0.0,
        min_value=0,
        typical_max=5,
        comment_en="Trucks cost model: multiplies the hop between neighbouring yards (mean km to the 3 "
        "nearest; the fit on the samples gives 0: the stop term carries it).",
        comment_zh="车辆成本模型：乘以相邻收集点间的行驶（到最近 3 个点的平均公里数；已标定）。",
    ),
    ColumnSpec(
        "milk_run_stop_factor",
        "Milk-run stop factor",
        "循环取货停靠系数",
        "float",
        required=True,
        default=5.54,
        min_value=0,
        typical_max=5,
        comment_en="Trucks cost model: multiplies the truck-time at the yard and the depot (5.54 fitted).",
        comment_zh="车辆成本模型：乘以在收集点与场站的车辆时间成本（已标定）。",
    ),
)

#: Parameters rows of the trucks collection cost model: a workbook without them takes their defaults
#: (the linear model) without a warning per row.
COLLECTION_COST_PARAMETER_KEYS = frozenset(
    {"collection_cost_model", "milk_run_line_haul_factor", "milk_run_local_factor", "milk_run_stop_factor"}
)

#: Parameters rows that only multi-year plans and the economics read (and the collection cost model's
#: rows): a workbook without them (from before they existed) takes their defaults without a warning per
#: row.
INVESTMENT_PARAMETER_KEYS = (
    frozenset(
        {
            "discount_rate",
            "residual_value",
            "vat_method",
            "vat_rate_simplified",
            "vat_rate_general",
            "vat_refund_share",
            "income_tax_rate",
            "avoided_co2_t_per_t_cu",
        }
    )
    | COLLECTION_COST_PARAMETER_KEYS
)

_BY_KEY = {s.key: s for s in SHEETS}


def sheet(key: str) -> SheetSpec:
    """The sheet with key ``key`` (e.g. ``"collection_points"``)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no sheet {key!r}; sheets are {', '.join(_BY_KEY)}") from None


def data_sheets() -> tuple[SheetSpec, ...]:
    """Every sheet that holds data (all but Instructions)."""
    return tuple(s for s in SHEETS if s.columns)


def parameter_row(key: str) -> ColumnSpec:
    for p in PARAMETER_ROWS:
        if p.key == key:
            return p
    raise KeyError(key)


@functools.cache
def entity_columns(entity: str) -> tuple[ColumnSpec, ...]:
    """The columns holding the fields of one kind of entity, as :class:`~optimizer.issues.Issue` names it
    ("grade", "site", "parameters", ...): its sheet's columns, or the Parameters rows."""
    if entity == PARAMETERS_SHEET.entity:
        return PARAMETER_ROWS
    for spec in SHEETS:
        if spec.entity == entity and spec.columns:
            return spec.columns
    raise KeyError(f"no sheet holds {entity!r} entities")


def ref_sheets(ref: str | None) -> tuple[str, ...]:
    """The real sheet keys a column's ``ref`` points at (pseudo keys expand to several sheets)."""
    if ref is None:
        return ()
    if ref == SITES_REF:
        return (DISMANTLING_SITES.key, SORTING_CENTERS.key)
    if ref == NODES_REF:
        return (COLLECTION_POINTS.key, DISMANTLING_SITES.key, SORTING_CENTERS.key, SMELTERS.key)
    return (ref,)


def header(col: ColumnSpec, lang: str = "en") -> str:
    """The column header as written in a workbook: label plus unit, e.g. "Supply (t/yr)"."""
    unit = col.unit_label(lang)
    return f"{col.label(lang)} ({unit})" if unit else col.label(lang)


_PAREN_SUFFIX = re.compile(r"\([^()]*\)$")


def normalize(text: object) -> str:
    """Text folded for matching headers and sheet names: NFKC (full-width to ASCII), lower case,
    without whitespace, underscores or hyphens."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s_\-]+", "", folded)


def strip_unit(normalized: str) -> str:
    """A normalized header without a trailing "(unit)"."""
    return _PAREN_SUFFIX.sub("", normalized)


def header_keys(col: ColumnSpec) -> set[str]:
    """Every normalized spelling the reader accepts for ``col``'s header."""
    keys = {normalize(col.key), normalize(col.header_en), normalize(col.header_zh)}
    keys |= {normalize(header(col, "en")), normalize(header(col, "zh"))}
    keys |= {normalize(alias) for alias in col.aliases}
    return keys


def sheet_keys(spec: SheetSpec) -> set[str]:
    """Every normalized spelling the reader accepts for ``spec``'s sheet name."""
    return {normalize(spec.key), normalize(spec.name_en), normalize(spec.name_zh)}
