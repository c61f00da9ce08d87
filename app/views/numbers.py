"""One number format per unit, in every table, card, chart and axis.

Tonnes and plain counts are grouped by thousands (8,000 beside 20,000), money is scaled to a unit a
planner reads at a glance (12.5 M CNY, 9.5 B CNY; in Chinese 万元 and 亿元, so 9.5 billion reads
95 亿元), and axes never fall back to pyqtgraph's "(x1e+09)" prefix: their tick labels say the number
in full.
"""

from __future__ import annotations

import math

import pyqtgraph as pg

from app.i18n import language, tr


def money(v: float, digits: int = 2) -> str:
    """CNY for cards and tables: 1.20 M CNY, 1.30 B CNY (万元 / 亿元 in Chinese)."""
    for factor, key in _money_scales():
        if abs(v) >= factor:
            return tr(key, v=f"{v / factor:,.{digits}f}")
    return tr("money.plain", v=f"{v:,.0f}")


def money_short(v: float) -> str:
    """CNY for axis ticks: the fewest digits that tell ticks apart (9.5 B CNY, 95 亿元, 500 M CNY)."""
    if v == 0:
        return "0"
    for factor, key in _money_scales():
        if abs(v) >= factor:
            return tr(key, v=_short(v / factor))
    return tr("money.plain", v=f"{v:,.0f}")


def _money_scales() -> tuple[tuple[float, str], ...]:
    if language() == "zh":
        return ((1e8, "money.big"), (1e4, "money.mid"))
    return ((1e9, "money.big"), (1e6, "money.mid"))


def _short(x: float) -> str:
    """At most three significant digits, no trailing zeros: 9.5, 95, 12.3, 1,250."""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    text = f"{x:.3g}"
    return text if "e" not in text else f"{x:,.0f}"


def tonnes(v: float) -> str:
    return f"{v:,.0f} t"


def grouped(v: float, digits: int = 0) -> str:
    return f"{v:,.{digits}f}"


def hours(v: float) -> str:
    """Hours with one decimal: 17.5 h (never "17.")."""
    return f"{v:,.1f} h"


class GroupedAxis(pg.AxisItem):
    """Tick labels with thousands separators (20,000) and no "(x1e+04)" prefix."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        digits = max(0, -math.floor(math.log10(spacing))) if spacing > 0 else 0
        return [f"{v:,.{min(digits, 3)}f}" for v in values]


class MoneyAxis(GroupedAxis):
    """Tick labels as money: 9.5 B CNY, 95 亿元 (pyqtgraph's SI prefix would say 10 CNY (x1e+09))."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [money_short(v) for v in values]
