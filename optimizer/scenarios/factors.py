"""What a sweep factor changes in a network, and the values it takes.

A factor has a name and a value; :func:`apply_factor` returns the network the scenario solves. Names:

``copper_price``
    the network copper price (CNY/t Cu); every linked price moves with it (smelters with a linked
    price basis, buy-back coefficients, grade price coefficients), fixed prices do not
    (:func:`optimizer.prices.fixed_prices` lists them).
``supply``, ``supply.grade.<grade id>``, ``supply.province.<province>``
    a factor on supply: every supply row, those of one grade, or those of one province's points.
``carbon_price``, ``target_utilization``
    the network's carbon price (CNY/t CO2) and utilization target (0-1).
``capex_factor``
    a factor on what building costs: the fixed cost (and capex, where given) of every candidate
    site's modules and of existing sites' expansion modules.
``param.<field>``
    any numeric field of the Parameters sheet (tax and VAT rates, discount rate, transport cost...).

A network with a Periods sheet is planned over its years, and the per-year factors hold in every year:
``copper_price`` and ``carbon_price`` set the Parameters value (which every period with a blank price
follows) and scale a period's own price by the same ratio (value / base), so a price path keeps its shape
and moves as a whole (with a base of 0, a period's own carbon price is set to the value);
``target_utilization`` is the target of every year (a period's own target is replaced); ``supply``
factors scale the Supply rows, on which each period's supply factor then applies.
``unavailable``
    the id of a site (closed in that scenario) or smelter (buys nothing), or ``none``.
``smelter_capacity.<smelter id>``
    a factor on one smelter's capacity (0.5 = a cut to half).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from optimizer.messages import Msg, msg
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Network,
    Parameters,
    Period,
    SiteStatus,
    Supply,
)

#: Factor value: a number, or an id (``unavailable``).
FactorValue = float | str

#: The names without a suffix.
SIMPLE_FACTORS = (
    "copper_price",
    "supply",
    "carbon_price",
    "target_utilization",
    "capex_factor",
    "unavailable",
)
#: The prefixes of factors with a suffix (grade, province, smelter id or parameter field).
PREFIXED_FACTORS = ("supply.grade.", "supply.province.", "smelter_capacity.", "param.")

#: What "no disruption" is called in an ``unavailable`` list.
NO_DISRUPTION = "none"

_PARAMETER_OF = {
    "copper_price": "copper_price_cny_per_t",
    "carbon_price": "carbon_price_cny_per_t_co2",
    "target_utilization": "target_utilization",
}


class FactorError(ValueError):
    """A factor name or value that cannot be applied to the network, or a sweep definition that cannot
    run: ``message`` says why as a catalogue message (``str(error)`` is its English)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.message = message

    def text(self, lang: str = "en") -> str:
        """Why, in ``lang``."""
        return self.message.render(lang)

    def __reduce__(self) -> tuple[type[FactorError], tuple[Msg]]:  # pickles with its message
        return (type(self), (self.message,))


@dataclass(frozen=True, slots=True)
class Factor:
    """A factor and the values a sweep gives it.

    ``values`` are in the order given (a list) or ascending (a range); ``is_range`` says the values came
    from ``start:stop:step``, whose ends bound Latin-hypercube samples.
    """

    name: str
    values: tuple[FactorValue, ...]
    is_range: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.name != "unavailable"

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value (numeric factors)."""
        numbers = [float(v) for v in self.values]
        return min(numbers), max(numbers)


def parse_factor(text: str) -> Factor:
    """A factor from ``name=a,b,c`` (a list), ``name=start:stop:step`` (a range with both ends) or
    ``name=value``. Raises :class:`FactorError` with what was expected."""
    name, sep, spec = text.partition("=")
    name, spec = name.strip(), spec.strip()
    if not sep or not name or not spec:
        forms = {"list_form": "name=a,b,c", "range_form": "name=start:stop:step"}
        raise FactorError(msg("factor.syntax", text=text, **forms))
    check_name(name)
    if name == "unavailable":
        ids = tuple(v.strip() for v in spec.split(",") if v.strip())
        if not ids:
            raise FactorError(msg("factor.no_ids", text=text))
        return Factor(name, ids)
    if ":" in spec:
        return Factor(name, _range(text, spec), is_range=True)
    return Factor(name, tuple(_number(text, v) for v in spec.split(",") if v.strip()))


def check_name(name: str) -> None:
    """Raise :class:`FactorError` when ``name`` is no factor."""
    if name in SIMPLE_FACTORS:
        return
    for prefix in PREFIXED_FACTORS:
        if name.startswith(prefix) and len(name) > len(prefix):
            if prefix == "param." and not _is_numeric_parameter(name[len(prefix) :]):
                raise FactorError(msg("factor.not_parameter", name=name, field=name[len(prefix) :]))
            return
    known = ", ".join([*SIMPLE_FACTORS, *(p + "..." for p in PREFIXED_FACTORS)])
    raise FactorError(msg("factor.unknown", name=name, known=known))


def _is_numeric_parameter(field: str) -> bool:
    fields = {f.name: f for f in dataclasses.fields(Parameters)}
    if field not in fields:
        return False
    return isinstance(getattr(Parameters(), field), int | float) or field in (
        "target_utilization",
        "annual_budget_cny",
    )


def _number(text: str, value: str) -> float:
    try:
        number = float(value.replace("_", ""))
    except ValueError:
        raise FactorError(msg("factor.not_number", text=text, value=value.strip())) from None
    if not math.isfinite(number):
        raise FactorError(msg("factor.not_finite", text=text, value=value.strip()))
    return number


def _range(text: str, spec: str) -> tuple[float, ...]:
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise FactorError(msg("factor.range_syntax", text=text))
    start, stop = _number(text, parts[0]), _number(text, parts[1])
    if len(parts) == 2:
        return (start, stop) if start != stop else (start,)
    step = _number(text, parts[2])
    if step <= 0:
        raise FactorError(msg("factor.step", text=text, step=parts[2]))
    if stop < start:
        raise FactorError(msg("factor.range_down", text=text))
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > 100_000:
        raise FactorError(msg("factor.too_many", text=text, count=count, limit=100_000))
    values = [round(start + k * step, 10) for k in range(count)]
    if not math.isclose(values[-1], stop, rel_tol=1e-9, abs_tol=1e-9):
        values.append(stop)  # both ends are included even when the step does not divide the range
    return tuple(values)


def base_value(network: Network, name: str) -> float | None:
    """The factor's value in ``network`` itself (``None``: none, e.g. no utilization target)."""
    p = network.parameters
    if name in _PARAMETER_OF:
        value = getattr(p, _PARAMETER_OF[name])
        return None if value is None else float(value)
    if name.startswith("param."):
        value = getattr(p, name[len("param.") :])
        return None if value is None else float(value)
    if name == "unavailable":
        return None
    return 1.0  # supply, capex and capacity factors


def apply_factor(network: Network, name: str, value: FactorValue) -> Network:
    """``network`` with factor ``name`` at ``value``. Raises :class:`FactorError` for an unknown id."""
    check_name(name)
    p = network.parameters
    if name in _PARAMETER_OF:
        field_name = _PARAMETER_OF[name]
        changes: dict[str, Any] = {field_name: float(value)}
        periods = _periods_with(network, field_name, getattr(p, field_name), float(value))
        return network.replace(parameters=dataclasses.replace(p, **changes), periods=periods)
    if name.startswith("param."):
        field = name[len("param.") :]
        current = getattr(p, field)
        new: dict[str, Any] = {field: round(float(value)) if isinstance(current, int) else float(value)}
        return network.replace(parameters=dataclasses.replace(p, **new))
    if name == "supply":
        return _scale_supply(network, float(value), lambda cp, s: True)
    if name.startswith("supply.grade."):
        grade = name[len("supply.grade.") :]
        if grade not in {g.id for g in network.grades}:
            raise FactorError(msg("factor.no_grade", name=name, grade=grade))
        return _scale_supply(network, float(value), lambda cp, s: s.grade_id == grade)
    if name.startswith("supply.province."):
        province = name[len("supply.province.") :]
        if province not in {cp.province for cp in network.collection_points}:
            raise FactorError(msg("factor.no_province", name=name, province=province))
        return _scale_supply(network, float(value), lambda cp, s: cp.province == province)
    if name == "capex_factor":
        return _scale_capex(network, float(value))
    if name == "unavailable":
        return _unavailable(network, str(value))
    smelter_id = name[len("smelter_capacity.") :]
    if smelter_id not in {m.id for m in network.smelters}:
        raise FactorError(msg("factor.no_smelter", name=name, smelter=smelter_id))
    return network.replace(
        smelters=tuple(
            dataclasses.replace(m, capacity_t_per_year=m.capacity_t_per_year * float(value))
            if m.id == smelter_id
            else m
            for m in network.smelters
        )
    )


def _periods_with(network: Network, field_name: str, base: float | None, value: float) -> tuple[Period, ...]:
    """The Periods rows with the per-year factor ``field_name`` at ``value`` (see the module docstring):
    a blank stays blank (it follows the Parameters); a target is replaced; a price is scaled by
    value / base (set to the value when the base is 0 or blank)."""
    out = []
    for period in network.periods:
        own = getattr(period, field_name)
        if own is None:
            out.append(period)
            continue
        new = value if field_name == "target_utilization" or not base else own * value / base
        change: dict[str, Any] = {field_name: new}
        out.append(dataclasses.replace(period, **change))
    return tuple(out)


def apply_factors(network: Network, values: dict[str, FactorValue]) -> Network:
    """``network`` with every factor of ``values`` applied, in order."""
    for name, value in values.items():
        network = apply_factor(network, name, value)
    return network


def _scale_supply(
    network: Network, factor: float, selected: Callable[[CollectionPoint, Supply], bool]
) -> Network:
    if factor < 0:
        raise FactorError(msg("factor.supply_negative", factor=f"{factor:g}"))
    points = []
    for cp in network.collection_points:
        supplies = tuple(
            dataclasses.replace(s, supply_t_per_year=s.supply_t_per_year * factor) if selected(cp, s) else s
            for s in cp.supplies
        )
        points.append(dataclasses.replace(cp, supplies=supplies))
    return network.replace(collection_points=tuple(points))


def _scale_module(module: CapacityModule, factor: float) -> CapacityModule:
    changes: dict[str, Any] = {"fixed_cost_cny_per_year": module.fixed_cost_cny_per_year * factor}
    capex = getattr(module, "capex_cny", None)
    if capex is not None:
        changes["capex_cny"] = capex * factor
    return dataclasses.replace(module, **changes)


def _scale_capex(network: Network, factor: float) -> Network:
    if factor < 0:
        raise FactorError(msg("factor.capex_negative", factor=f"{factor:g}"))
    sites = []
    for site in network.sites:
        if site.status is SiteStatus.CANDIDATE:
            modules = tuple(_scale_module(m, factor) for m in site.modules)
        elif site.status is SiteStatus.EXISTING:
            modules = site.modules[:1] + tuple(_scale_module(m, factor) for m in site.modules[1:])
        else:
            modules = site.modules
        sites.append(dataclasses.replace(site, modules=modules))
    return network.replace(sites=tuple(sites))


def _unavailable(network: Network, node_id: str) -> Network:
    if node_id == NO_DISRUPTION:
        return network
    if node_id in {s.id for s in network.sites}:
        return network.replace(
            sites=tuple(
                dataclasses.replace(s, status=SiteStatus.CLOSED) if s.id == node_id else s
                for s in network.sites
            )
        )
    if node_id in {m.id for m in network.smelters}:
        return network.replace(
            smelters=tuple(
                dataclasses.replace(m, capacity_t_per_year=0.0) if m.id == node_id else m
                for m in network.smelters
            )
        )
    raise FactorError(msg("factor.no_node", node=node_id))
