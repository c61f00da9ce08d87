"""Pure edits of a network that the GUI needs beyond ``dataclasses.replace``: fresh ids, id renames.

Kept free of Qt so they can be reasoned about (and tested) as plain functions. Renaming an id follows
every reference to it, so renaming a site in its table does not silently orphan its trucks, distances
or pinned collection points.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from optimizer.model import Network

_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def next_id(existing: Iterable[str], prefix: str, width: int = 2) -> str:
    """A new id ``prefix`` + number, one above the highest number already used with that prefix.

    ``next_id(["CP-001", "CP-007"], "CP-")`` is ``"CP-008"`` (the width of existing numbers is kept).
    """
    taken = set(existing)
    highest, digits = 0, width
    for item in taken:
        if item.startswith(prefix):
            tail = item[len(prefix) :]
            if tail.isdigit():
                highest = max(highest, int(tail))
                digits = max(digits, len(tail))
    candidate = f"{prefix}{highest + 1:0{digits}d}"
    while candidate in taken:  # pragma: no cover - only with exotic ids such as "CP-01" and "CP-1"
        highest += 1
        candidate = f"{prefix}{highest + 1:0{digits}d}"
    return candidate


def copy_id(existing: Iterable[str], original: str) -> str:
    """An id for a duplicate of ``original``: its number incremented past every id in use."""
    match = _TRAILING_NUMBER.match(original)
    if match:
        return next_id(existing, match.group(1), len(match.group(2)))
    return next_id(existing, f"{original}-", 1)


def node_ids(network: Network) -> set[str]:
    return {n.id for n in network.nodes()}


def rename_node(network: Network, old: str, new: str) -> Network:
    """Follow a collection point, site or smelter id change into every reference to it."""
    if old == new:
        return network
    cps = tuple(
        dataclasses.replace(cp, assigned_site_id=new) if cp.assigned_site_id == old else cp
        for cp in network.collection_points
    )
    vehicles = tuple(
        dataclasses.replace(v, depot_ids=tuple(new if d == old else d for d in v.depot_ids))
        if old in v.depot_ids
        else v
        for v in network.vehicle_types
    )
    distances = tuple(
        dataclasses.replace(
            d, from_id=new if d.from_id == old else d.from_id, to_id=new if d.to_id == old else d.to_id
        )
        if old in (d.from_id, d.to_id)
        else d
        for d in network.distances
    )
    return network.replace(collection_points=cps, vehicle_types=vehicles, distances=distances)


def rename_grade(network: Network, old: str, new: str) -> Network:
    """Follow a grade id change into supplies, yields and smelters' accepted grades."""
    if old == new:
        return network

    def swap(grade_id: str) -> str:
        return new if grade_id == old else grade_id

    cps = tuple(
        dataclasses.replace(
            cp, supplies=tuple(dataclasses.replace(s, grade_id=swap(s.grade_id)) for s in cp.supplies)
        )
        for cp in network.collection_points
    )
    sites = tuple(
        dataclasses.replace(
            site,
            yields=tuple(
                dataclasses.replace(
                    y, input_grade_id=swap(y.input_grade_id), output_grade_id=swap(y.output_grade_id)
                )
                for y in site.yields
            ),
        )
        for site in network.sites
    )
    smelters = tuple(
        dataclasses.replace(sm, accepted_grade_ids=tuple(swap(g) for g in sm.accepted_grade_ids))
        for sm in network.smelters
    )
    return network.replace(collection_points=cps, sites=sites, smelters=smelters)


def id_pattern(ids: Iterable[str]) -> tuple[str, int] | None:
    """The (prefix, digits) most of ``ids`` follow, e.g. ("CP", 2) for CP01, CP02, CP17; None if none do.

    A new node then gets "CP18" beside them rather than the default "CP-001".
    """
    counts: dict[tuple[str, int], int] = {}
    for item in ids:
        match = re.fullmatch(r"(.*?)(\d+)", item)
        if match:
            key = (match.group(1), len(match.group(2)))
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]
