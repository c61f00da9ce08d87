"""Both catalogues hold every key the code uses, and switching language re-labels the window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import i18n
from app.i18n import en, tr, zh
from optimizer.design.options import Objective
from optimizer.design.plan import Echelon, PlanStatus
from optimizer.routing.result import RouteStatus, StopKind, UnservedReason

APP = Path(__file__).resolve().parents[2] / "app"
LITERAL_KEY = re.compile(r"\btr\(\s*\"([a-z_]+\.[a-z0-9_]+)\"")
FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def test_catalogues_have_the_same_keys_and_fields() -> None:
    assert set(en.MESSAGES) == set(zh.MESSAGES)
    for key, text in en.MESSAGES.items():
        assert set(FIELD.findall(text)) == set(FIELD.findall(zh.MESSAGES[key])), key


def test_every_literal_key_in_the_code_exists() -> None:
    used = {m for path in APP.rglob("*.py") for m in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used, "the pattern finds the keys"
    assert sorted(used - set(en.MESSAGES)) == []


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("plan_status", [s.value for s in PlanStatus]),
        ("objective", [o.value for o in Objective]),
        ("echelon", [e.value for e in Echelon]),
        ("route_status", [s.value for s in RouteStatus]),
        ("stop", [s.value for s in StopKind]),
        ("unserved", [r.value for r in UnservedReason]),
        (
            "requirement",
            [
                "utilization_target",
                "budget",
                "max_new_sites",
                "smelter_blend",
                "smelter_capacity",
                "site_capacity",
                "reachability",
            ],
        ),
        (
            "phase",
            ["validating", "building", "solving", "explaining", "extracting", "routing", "open", "export"],
        ),
        ("job", ["open", "solve", "pareto", "routing", "export"]),
        ("tab", ["map", "tables", "results", "routes", "scenarios"]),
    ],
)
def test_keys_built_from_values_exist(prefix: str, values: list[str]) -> None:
    missing = [f"{prefix}.{v}" for v in values if f"{prefix}.{v}" not in en.MESSAGES]
    assert missing == []


def test_tr_fills_fields_and_switches() -> None:
    i18n.set_language("zh")
    try:
        assert tr("map.day_n", n=3) == "第 3 天"
    finally:
        i18n.set_language("en")
    assert tr("map.day_n", n=3) == "Day 3"
