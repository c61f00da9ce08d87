"""The orientation layer's data, shared by the app's map and the plan report's map."""

from __future__ import annotations

from optimizer.geography import Outlines, geography_path, load_outlines, outlines_within


def test_the_shipped_layer_has_provinces_and_coast_with_its_attribution() -> None:
    outlines = load_outlines()
    assert outlines is not None and geography_path().stat().st_size < 2_000_000
    assert outlines.points > 20_000
    assert "DCW-GMT" in outlines.attribution and "GSHHS" in outlines.attribution
    # every point is a plausible lon/lat of the region drawn
    assert all(-180 <= x <= 180 and -90 <= y <= 90 for line in outlines.lines for x, y in line)


def test_only_lines_reaching_the_box_are_kept_and_thinned_to_the_budget() -> None:
    square = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    far = ((50.0, 50.0), (51.0, 51.0))
    long_line = tuple((0.5, 0.01 * k) for k in range(101))
    outlines = Outlines((square, far, long_line), "test")
    kept = outlines_within(outlines, -0.5, 1.5, -0.5, 1.5, max_points=20)
    assert far not in kept and len(kept) == 2
    assert sum(len(line) for line in kept) <= 20 + 5 * len(kept)  # each line keeps its last point
    assert all(line[-1] in (square[-1], long_line[-1]) for line in kept)
    # a box that no line reaches (a network far from China) gets no outline
    assert outlines_within(outlines, 100.0, 101.0, 100.0, 101.0, max_points=20) == ()


def test_the_shipped_city_names_are_the_projects_table_ranked_for_zoom() -> None:
    """The 336 prefecture seats of sample_networks/data/cities.csv, rebuilt by the build script exactly as
    shipped: English and Chinese names, municipalities rank 0, the 27 provincial capitals rank 1."""
    import json

    from app.resources.build_geography import read_cities

    shipped = json.loads(geography_path().read_text(encoding="utf-8"))["cities"]
    assert shipped == read_cities()
    assert len(shipped) == 336
    by_name = {c[2]: c for c in shipped}
    assert by_name["Shanghai"][3] == "上海" and by_name["Shanghai"][4] == 0
    assert by_name["Wuhan"][3] == "武汉" and by_name["Wuhan"][4] == 1
    assert sum(1 for c in shipped if c[4] == 1) == 27
    assert all(73_000 <= c[0] <= 135_000 and 18_000 <= c[1] <= 54_000 for c in shipped)
    assert [c[4] for c in shipped] == sorted(c[4] for c in shipped)  # the map reads them in rank order
