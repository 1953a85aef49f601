"""The dashboards' SVG geometry (analytics/charts.py): scaled to the data, gaps kept, numbers written with a dot."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from analytics.charts import BarRow, Series, _nice_top, bar_chart, line_chart


def test_bars_scale_to_the_largest_value_and_leave_a_hidden_row_without_a_bar() -> None:
    chart = bar_chart([BarRow("Applied", 40, "40"), BarRow("Offer", 10, "10"), BarRow("Hidden", None, "fewer than 5")])
    applied, offer, hidden = chart["bars"]
    assert float(applied["width"]) == 4 * float(offer["width"])
    assert hidden["width"] is None
    assert hidden["value_text"] == "fewer than 5"


def test_lines_break_at_a_gap_and_the_axis_ends_on_a_round_number() -> None:
    chart = line_chart(["w1", "w2", "w3", "w4"], [Series("Active", [3, None, 7, 8.5])])
    (series,) = chart["series"]
    assert series["path"].count("M") == 2  # a new stroke after the gap
    assert len(series["points"]) == 3
    assert chart["y_ticks"][-1]["label"] == "10"
    assert [_nice_top(v) for v in (0, 0.3, 7, 12, 260)] == [1.0, 0.5, 10, 20, 500]


def test_columns_and_the_numbers_inside_the_svg_never_use_the_pages_decimal_comma() -> None:
    chart = line_chart(["Mo", "Di"], [Series("Aktiv", [1.5, 2.25])], columns=True)
    with translation.override("de"):
        svg = render_to_string("analytics/_lines.html", {"chart": chart, "title_id": "t", "title": "Aktivität"})
    assert len(chart["columns"]) == 2
    assert "<rect" in svg
    assert "," not in svg.split("<title")[0]  # the viewBox and geometry


def test_counts_get_whole_numbers_on_their_axis() -> None:
    labels = [tick["label"] for tick in line_chart(["a", "b"], [Series("Moves", [4, 1])], whole=True)["y_ticks"]]
    assert labels == ["0", "1", "2", "3", "4"]
    for highest, top in ((0, "4"), (5, "8"), (9, "20"), (29, "40"), (130, "200")):
        chart = line_chart(["a"], [Series("Events", [highest])], whole=True)
        assert chart["y_ticks"][-1]["label"] == top
        assert all(float(tick["label"]).is_integer() for tick in chart["y_ticks"])
