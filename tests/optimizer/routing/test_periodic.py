"""Visit-day patterns: evenly spread, honouring each point's visits per week, balanced across days."""

from __future__ import annotations

import math
import random

import pytest

from optimizer.routing.periodic import (
    PeriodicPoint,
    assign_days,
    day_names,
    day_workloads,
    visit_patterns,
)


def test_patterns_over_a_six_day_week() -> None:
    assert visit_patterns(1, 6) == ((0,), (1,), (2,), (3,), (4,), (5,))
    assert visit_patterns(2, 6) == ((0, 3), (1, 4), (2, 5))  # Mon+Thu, Tue+Fri, Wed+Sat
    assert visit_patterns(3, 6) == ((0, 2, 4), (1, 3, 5))
    assert visit_patterns(6, 6) == ((0, 1, 2, 3, 4, 5),)


def test_patterns_over_a_five_day_week_alternate_two_and_three_day_gaps() -> None:
    assert visit_patterns(2, 5) == ((0, 2), (0, 3), (1, 3), (1, 4), (2, 4))
    assert all(len(p) == 4 for p in visit_patterns(4, 5))


@pytest.mark.parametrize("days", range(1, 8))
def test_every_pattern_spreads_its_visits_evenly(days: int) -> None:
    for f in range(1, days + 1):
        patterns = visit_patterns(f, days)
        assert patterns, (f, days)
        for p in patterns:
            assert len(set(p)) == f
            gaps = [((p[(k + 1) % f] - p[k]) % days) or days for k in range(f)]
            assert max(gaps) - min(gaps) <= 1


def test_impossible_frequencies_are_refused() -> None:
    with pytest.raises(ValueError, match="visits per week"):
        visit_patterns(7, 6)
    with pytest.raises(ValueError, match="working days"):
        visit_patterns(1, 8)


def test_day_names() -> None:
    assert day_names(6) == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


def test_six_equal_weekly_points_take_one_day_each() -> None:
    points = [PeriodicPoint(f"P{i}", 1, 1.0, bearing=i) for i in range(6)]
    days = assign_days(points, 6)
    assert sorted(d for (d,) in days.values()) == [0, 1, 2, 3, 4, 5]


def test_twice_weekly_points_fill_the_three_patterns_equally() -> None:
    points = [PeriodicPoint(f"P{i}", 2, 1.0) for i in range(12)]
    days = assign_days(points, 6)
    assert all(days[p.key] in visit_patterns(2, 6) for p in points)
    assert day_workloads(points, days, 6) == [4.0] * 6


def test_weekly_points_are_grouped_by_bearing() -> None:
    # Twelve points in four tight clusters on 4 days: each day gets one whole cluster.
    points = [
        PeriodicPoint(f"C{c}-{k}", 1, 1.0, bearing=c * math.pi / 2 + 0.01 * k)
        for c in range(4)
        for k in range(3)
    ]
    days = assign_days(points, 4)
    for c in range(4):
        assert len({days[f"C{c}-{k}"] for k in range(3)}) == 1
    assert day_workloads(points, days, 4) == [3.0] * 4


def test_mixed_frequencies_honour_visits_and_stay_balanced() -> None:
    rng = random.Random(11)
    points = [
        PeriodicPoint(f"P{i}", rng.choice([1, 1, 1, 2, 3, 6]), rng.uniform(0.1, 1.0), rng.uniform(-3, 3))
        for i in range(120)
    ]
    days = assign_days(points, 6)
    for p in points:
        assert days[p.key] in visit_patterns(p.visits_per_week, 6)
    loads = day_workloads(points, days, 6)
    largest = max(p.workload for p in points)
    # Balanced to within about one visit's workload.
    assert max(loads) - min(loads) <= 2 * largest
