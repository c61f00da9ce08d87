"""Which prices a copper-price scenario moves, and which stay fixed.

In the shared core (it reads only the model), so the scenario comparison of :mod:`optimizer.io` and the
sweeps of :mod:`optimizer.scenarios` say the same thing.

A linked price follows the network copper price: a smelter with price basis ``linked`` (copper price
minus its discount), a buy-back coefficient (coefficient x copper price x copper content) and a grade's
price coefficient (a share of the smelter's copper price). A fixed price does not: a smelter with price
basis ``fixed`` and a supply row with its own purchase price per tonne. A sweep's comparison lists the
fixed ones, so nobody reads a copper-price sensitivity without knowing what it held still.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.model import Network


@dataclass(frozen=True, slots=True)
class FixedPrice:
    """A price that no copper-price scenario moves: what it is, whose it is, and its value."""

    kind: str  # "smelter price" or "purchase price"
    subject_id: str  # smelter id, or "collection point id/grade id"
    value: float
    unit: str

    def describe(self) -> str:
        return f"{self.kind} of {self.subject_id}: {self.value:,.0f} {self.unit} (fixed)"


def fixed_prices(network: Network) -> tuple[FixedPrice, ...]:
    """Every fixed price of ``network``: fixed smelter prices first, then fixed purchase prices."""
    out = [
        FixedPrice("smelter price", m.id, float(m.price_cny_per_t_cu), "CNY/t Cu")
        for m in network.smelters
        if not m.price_is_linked and m.price_cny_per_t_cu is not None
    ]
    for cp in network.collection_points:
        for s in cp.supplies:
            if s.purchase_price_cny_per_t is not None and s.supply_t_per_year > 0:
                price = float(s.purchase_price_cny_per_t)
                out.append(FixedPrice("purchase price", f"{cp.id}/{s.grade_id}", price, "CNY/t"))
    return tuple(out)


def fixed_price_summary(network: Network) -> str:
    """One sentence: which fixed prices a copper-price change leaves where they are, e.g. "a copper-price
    change does not move the fixed price of smelter M-TL (73,300 CNY/t Cu) nor 12 fixed purchase prices
    (MOT 5,800 CNY/t)"."""
    fixed = fixed_prices(network)
    if not fixed:
        return "every price moves with the copper price (none is fixed)"
    parts = [f"the fixed price of smelter {f.subject_id} ({f.value:,.0f} {f.unit})" for f in fixed
             if f.kind == "smelter price"]
    purchases = [f for f in fixed if f.kind == "purchase price"]
    if purchases:
        by_grade: dict[str, list[float]] = {}
        for f in purchases:
            by_grade.setdefault(f.subject_id.split("/")[-1], []).append(f.value)
        grades = ", ".join(
            f"{g} {min(v):,.0f} CNY/t" if min(v) == max(v) else f"{g} {min(v):,.0f}-{max(v):,.0f} CNY/t"
            for g, v in by_grade.items()
        )
        parts.append(f"{len(purchases)} fixed purchase price(s) ({grades})")
    return "a copper-price change does not move " + " nor ".join(parts)
