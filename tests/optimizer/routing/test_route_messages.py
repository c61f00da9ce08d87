"""What a route plan says is catalogue messages, never English text: its message, its notes, each
unserved visit's detail and fix. They render in English and Chinese at display time, survive JSON and
pickle, and a route plan file written before messages had codes (English sentences) still reads, in
Chinese too when the sentence came from the routing's catalogue entries.
"""

from __future__ import annotations

import json
import pickle
import re
from typing import Any

from optimizer.messages import EN, ZH, Msg, placeholders
from optimizer.routing import RoutePlan, build_routing_problem
from optimizer.routing.legacy import legacy_message
from optimizer.routing.result import UnservedReason
from tests.optimizer.test_messages import english_left_in

from .instances import FAST
from .networks import network, point, site, truck

_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Catalogue prefixes of what a route plan or a sweep's results say.
PREFIXES = ("route_plan.", "route_note.", "route_detail.", "route_fix.", "sweep_result.", "break_even.",
            "two_stage.")


def troubled_network() -> Any:
    """A point of each kind routing cannot serve as asked (and one it can): every message kind at once.

    OK is routed; SHORT is open 6 minutes for a 20-minute service; NIGHT closes before a truck can be
    there; PINNED is assigned to DS2, which has no trucks; OFTEN wants 9 visits in a 6-day week (a note);
    EMPTY has nothing to collect (a note)."""
    points = (
        point("OK", 10.0),
        point("SHORT", 10.0, opens_hour=8.0, closes_hour=8.1),
        point("NIGHT", 10.0, opens_hour=0.0, closes_hour=2.0),
        point("PINNED", 10.0, assigned_site_id="DS2"),
        point("OFTEN", 10.0, visits_per_week=9),
        point("EMPTY", 0.0),
    )
    km = {("DS1", "OK"): 10.0, ("DS1", "SHORT"): 10.0, ("DS1", "NIGHT"): 150.0, ("DS1", "OFTEN"): 10.0,
          ("OK", "OFTEN"): 5.0}
    return network(points, km, sites=(site("DS1"), site("DS2", lat=31.5)),
                   vehicles=(truck(depot_ids=("DS1",)),))


def troubled_plan() -> RoutePlan:
    from optimizer.routing import plan_routes

    return plan_routes(build_routing_problem(troubled_network()), FAST)


def said(plan: RoutePlan) -> list[Msg]:
    """Every message the route plan stores for a reader."""
    out: list[Msg] = [*plan.notes, *(u.detail for u in plan.unserved)]
    out += [u.fix for u in plan.unserved if u.fix is not None]
    return out + ([plan.message] if plan.message is not None else [])


def test_the_routing_and_sweep_messages_are_in_both_catalogues_with_the_same_placeholders() -> None:
    codes = [c for c in EN if c.startswith(PREFIXES)]
    assert len(codes) >= 40
    for code in codes:
        assert code in ZH, code
        assert placeholders(ZH[code]) == placeholders(EN[code]), code
        words = re.sub(r"\{[^}]*\}", "", ZH[code])
        assert _CJK.search(words), f"{code}: {ZH[code]!r} is not Chinese"
        assert english_left_in(words) == [], f"{code}: {ZH[code]!r}"


def test_a_route_plan_says_everything_in_messages_that_render_in_chinese() -> None:
    plan = troubled_plan()
    reasons = {u.point_id: u.reason for u in plan.unserved}
    assert reasons == {
        "SHORT": UnservedReason.WINDOW_TOO_SHORT,
        "NIGHT": UnservedReason.WINDOW_UNREACHABLE,
        "PINNED": UnservedReason.NO_TRUCKS,
    }
    messages = said(plan)
    assert len(messages) >= 9
    codes = {m.code for m in messages}
    assert {"route_note.no_supply", "route_note.visits_capped", "route_plan.visits"} <= codes
    for m in messages:
        assert isinstance(m, Msg) and m.code in EN
        zh = m.render("zh")
        assert _CJK.search(zh) and english_left_in(zh) == [], (m, zh)
    # exact Chinese of a note, a detail and its fix
    assert "OFTEN：每周 9 次访问超出 6 个工作日；按 6 规划" in [n.render("zh") for n in plan.notes]
    short = next(u for u in plan.unserved if u.point_id == "SHORT")
    assert short.detail.render("zh") == "营业时间 08:00-08:06，短于其 20 分钟的作业时间"
    assert short.fix is not None
    assert short.fix.render("zh") == "营业时间至少 20 分钟（回收点：开门/关门时间），或缩短作业时间"
    assert short.fix.render("en") == (
        "opening hours of at least 20 min (CollectionPoints: opens/closes), or a shorter service time"
    )
    # the English summary renders them in English
    summary = plan.summary()
    assert "open 08:00-08:06, shorter than its 20 min service" in summary
    assert "OFTEN: 9 visits a week do not fit 6 working days; planned 6" in summary


def test_the_days_in_a_left_out_visit_s_detail_are_in_the_reader_s_words() -> None:
    from optimizer.routing import plan_routes

    # one 2 t truck, one working day, three 1.5 t pick-ups and no multi-trip: two are left out
    points = tuple(point(p, 75.0, lat=31.0 + 0.02 * k) for k, p in enumerate("ABC"))
    km = {("DS1", "A"): 10.0, ("DS1", "B"): 12.0, ("DS1", "C"): 14.0, ("A", "B"): 5.0, ("A", "C"): 6.0,
          ("B", "C"): 5.0}
    from optimizer.routing import RoutingOptions

    options = RoutingOptions(time_limit_s=FAST.time_limit_s, multi_trip=False)
    plan = plan_routes(build_routing_problem(network(points, km, working_days=1), options=options), options)
    left = [u for u in plan.unserved if u.reason is UnservedReason.NOT_ENOUGH_TRUCKS]
    assert len(left) == 2
    for u in left:
        assert u.detail.code == "route_detail.no_room"
        assert "on Mon:" in u.detail.render("en") and "周一" in u.detail.render("zh")
        assert u.fix is not None and "周一" in u.fix.render("zh")


def test_a_route_plan_round_trips_through_json_and_pickle_with_its_messages() -> None:
    plan = troubled_plan()
    text = plan.to_json()
    data = json.loads(text)
    # written as code, parameters and the English text, like a network-design plan's messages
    assert data["message"]["code"].startswith("route_plan.") and data["message"]["text"]
    assert all({"code", "params", "text"} <= set(n) for n in data["notes"])
    assert all(u["detail"]["code"].startswith("route_detail.") for u in data["unserved"])
    again = RoutePlan.from_json(text)
    assert again == plan
    assert [m.render("zh") for m in said(again)] == [m.render("zh") for m in said(plan)]
    assert pickle.loads(pickle.dumps(plan)) == plan


def _as_old_file(plan: RoutePlan) -> dict[str, Any]:
    """``plan``'s JSON as a file from before messages had codes wrote it: every message its English."""
    data = plan.to_dict()
    data["notes"] = [n["text"] for n in data["notes"]]
    data["message"] = data["message"]["text"]
    for u in data["unserved"]:
        u["detail"] = u["detail"]["text"]
        u["fix"] = "" if u["fix"] is None else u["fix"]["text"]
    return data


def test_an_old_route_plan_file_with_english_texts_reads_and_renders_in_chinese() -> None:
    plan = troubled_plan()
    old = RoutePlan.from_dict(_as_old_file(plan))
    # every English sentence is found to be the catalogue message it was made from
    assert [m.render("en") for m in said(old)] == [m.render("en") for m in said(plan)]
    assert [m.render("zh") for m in said(old)] == [m.render("zh") for m in said(plan)]
    assert {m.code for m in said(old)} == {m.code for m in said(plan)}
    # a text no routing entry made stays as it is, in every language; an empty fix is no fix
    data = _as_old_file(plan)
    data["notes"] = ["a note typed by hand"]
    data["unserved"][0]["fix"] = ""
    odd = RoutePlan.from_dict(data)
    assert [n.render("zh") for n in odd.notes] == ["a note typed by hand"]
    assert odd.unserved[0].fix is None


def test_legacy_sentences_with_nested_phrases_are_found_with_them() -> None:
    from optimizer.messages import msg

    nested = msg(
        "route_detail.pickup_too_big", kg="4,000", t="200.0", visits=1, depot="DS1", largest="2,000",
        remedy=msg("route_fix.more_visits", n=2),
    )
    found = legacy_message(nested.render("en"))
    assert found is not None and found.code == "route_detail.pickup_too_big"
    assert found.render("zh") == nested.render("zh")
    assert dict(found.params)["remedy"] == msg("route_fix.more_visits", n="2")
    day = msg("route_detail.cancelled", depot="DS1", day=msg("weekday.2"))
    assert (legacy_message(day.render("en")) or day).render("zh") == "路线规划取消时尚未安排路线（DS1，周三）"
    assert legacy_message("the plan is optimal") is None and legacy_message("") is None


def test_the_routes_workbook_writes_its_labels_days_and_sentences_in_its_language() -> None:
    from optimizer.report.routes_workbook import routes_workbook

    plan = troubled_plan()
    ids = {"OK", "SHORT", "NIGHT", "PINNED", "OFTEN", "EMPTY", "DS1", "DS2", "T2"}
    for lang in ("en", "zh"):
        wb = routes_workbook(plan, lang)
        unserved = {row[0]: row for row in wb["Unserved"].iter_rows(min_row=2, values_only=True)}
        assert set(unserved) == {"SHORT", "NIGHT", "PINNED"}
        short = next(u for u in plan.unserved if u.point_id == "SHORT")
        assert short.fix is not None
        assert unserved["SHORT"][6:] == (short.detail.render(lang), short.fix.render(lang))
        notes = [row[0] for row in wb["Notes"].iter_rows(min_row=2, values_only=True)]
        assert notes == [n.render(lang) for n in plan.notes]
        summary = dict(wb["Summary"].iter_rows(min_row=2, values_only=True))
        assert plan.message is not None
        assert summary["说明" if lang == "zh" else "message"] == plan.message.render(lang)
        days = {row[1] for row in wb["Routes"].iter_rows(min_row=2, values_only=True)}
        assert days <= ({"周一", "周二", "周三", "周四", "周五", "周六"} if lang == "zh" else
                        {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}) and days
        if lang == "zh":  # no English sentence: headers are field names, values ids and codes
            texts = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=2, values_only=True)
                     for c in row if isinstance(c, str) and c not in ids]
            assert texts and all(english_left_in(t) == [] for t in texts), texts
