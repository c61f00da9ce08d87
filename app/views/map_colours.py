"""What colour a site is on the map: by its type (the default), the year it is built, or how full it runs.

Build years come from the plan's ``builds`` (a multi-year plan says in which year each module is
built; a single-year plan's builds all fall in its one year); sites the network already runs are
"existing". Utilization is of the year shown on the map (the last year of a multi-year plan unless the
map's year selector says otherwise), in four classes so a glance tells the full sites from the idle ones.
Colours are from colour-blind-safe sequential ramps (viridis for years, a blue-to-red ramp for use).
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer import Plan

#: The choices of "Colour sites by" (keys of ``map.colour_<key>`` in the catalogue).
COLOUR_BY = ("type", "build_year", "utilization")

#: Viridis, sampled: the first build year darkest, later years lighter.
YEAR_RAMP = ("#440154", "#414487", "#2A788E", "#22A884", "#7AD151", "#FDE725")

#: Sites the network already runs (no build in the plan).
EXISTING_COLOUR = "#6E6E6E"

#: Utilization classes: (upper limit in %, colour); a site at or above 95 % is "full".
UTILIZATION_CLASSES = ((50.0, "#4575B4"), (80.0, "#91BFDB"), (95.0, "#FC8D59"), (1e9, "#D73027"))


@dataclass(frozen=True)
class ColourKey:
    """One line of the colour legend: ``colour`` and what it means (a year, or a utilization range
    from ``low`` to ``high`` percent; ``year`` None with ``low`` None is the existing sites)."""

    colour: str
    year: int | None = None
    low: float | None = None
    high: float | None = None


def build_years(plan: Plan) -> dict[str, int]:
    """Site id -> the first year the plan builds a module there."""
    years: dict[str, int] = {}
    for b in plan.builds:
        years[b.site_id] = min(b.year, years.get(b.site_id, b.year))
    return years


def year_colours(years: list[int]) -> dict[int, str]:
    """A colour per build year, spread over the ramp (the first and the last year at its ends)."""
    ordered = sorted(set(years))
    if len(ordered) == 1:
        return {ordered[0]: YEAR_RAMP[1]}
    last = len(YEAR_RAMP) - 1
    return {y: YEAR_RAMP[round(i * last / (len(ordered) - 1))] for i, y in enumerate(ordered)}


def utilization_colour(pct: float) -> str:
    return next(colour for limit, colour in UTILIZATION_CLASSES if pct < limit)


def site_colours(plan: Plan, shown: Plan, by: str) -> dict[str, str]:
    """Node id -> colour for ``by`` ("build_year" or "utilization"); ``shown`` is the year on the map.

    By build year every site the shown year runs gets its build year's colour (or the existing one);
    by utilization every site and smelter the shown year uses gets its class's colour. Nodes left out
    keep their type's colour.
    """
    if by == "build_year":
        years = build_years(plan)
        colours = year_colours(list(years.values())) if years else {}
        return {
            s.site_id: colours[years[s.site_id]] if s.site_id in years else EXISTING_COLOUR
            for s in shown.sites
        }
    if by == "utilization":
        out = {s.site_id: utilization_colour(s.utilization_pct) for s in shown.sites}
        out.update(
            {m.smelter_id: utilization_colour(m.utilization_pct) for m in shown.smelters if m.intake_t > 0}
        )
        return out
    return {}


def legend_keys(plan: Plan, by: str) -> list[ColourKey]:
    """The legend of ``by``: each build year (and "existing"), or each utilization class."""
    if by == "build_year":
        years = build_years(plan)
        colours = year_colours(list(years.values())) if years else {}
        keys = [ColourKey(colours[y], year=y) for y in sorted(colours)]
        if any(s.site_id not in years for s in plan.sites):
            keys.append(ColourKey(EXISTING_COLOUR))
        return keys
    if by == "utilization":
        keys, low = [], 0.0
        for limit, colour in UTILIZATION_CLASSES:
            keys.append(ColourKey(colour, low=low, high=None if limit > 100 else limit))
            low = limit
        return keys
    return []
