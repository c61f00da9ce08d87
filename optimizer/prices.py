"""Which prices a copper-price scenario moves, and which stay fixed.

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


def fixed_price_summary(network: Network, limit: int = 6) -> str:
    """One sentence: which fixed prices a copper-price change leaves where they are."""
    fixed = fixed_prices(network)
    if not fixed:
        return "every price is linked to the copper price"
    smelters = [f.subject_id for f in fixed if f.kind == "smelter price"]
    purchases = [f for f in fixed if f.kind == "purchase price"]
    parts = []
    if smelters:
        parts.append(f"the fixed prices of smelter(s) {', '.join(smelters)}")
    if purchases:
        grades = sorted({f.subject_id.split("/")[-1] for f in purchases})
        shown = ", ".join(f.describe() for f in purchases[:limit])
        more = f" and {len(purchases) - limit} more" if len(purchases) > limit else ""
        grade_list = ", ".join(grades)
        parts.append(f"{len(purchases)} fixed purchase price(s) of grade(s) {grade_list} ({shown}{more})")
    return "a copper-price change does not move " + "; ".join(parts)
