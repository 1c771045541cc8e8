"""The charts beside `trends` and `breakdown`: drawn right, sized as stated, cached with their answer.

Expected values come from the hand-checked campaigns' literal cells (sales_data.py), summed here, and from
hand-written answers; the pictures are checked through their PNG metadata and, for bars, by measuring the
bars' pixels, which no chart code computes.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from datetime import date

import pytest
from mcp_types import ImageContent, TextContent
from PIL import Image
from promptsales import clients
from promptsales.cache import Cache
from promptsales.sales import charts
from promptsales.sales.service import SalesService, open_pool
from sales_data import hand_checked
from test_sales_server import call

CAMPAIGNS = hand_checked()
BAR_RGB = tuple(int(charts.BAR_COLOUR[i : i + 2], 16) for i in (1, 3, 5))


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # a truncated or corrupt PNG fails here
    return image


def image_of(result) -> bytes | None:
    images = [block for block in result.content if isinstance(block, ImageContent)]
    assert len(images) <= 1
    if not images:
        return None
    assert images[0].mime_type == "image/png"
    return base64.b64decode(images[0].data)


def notes_of(result) -> list[str]:
    return [block.text for block in result.content[1:] if isinstance(block, TextContent)]


def bar_lengths(png: bytes) -> list[int]:
    """The horizontal bars' lengths in pixels, top to bottom: runs of the bar colour, measured on the image."""
    image = decoded(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    lengths, current = [], 0
    for y in range(height):
        run = sum(1 for x in range(width) if pixels[x, y] == BAR_RGB)
        if run:
            current = max(current, run)
        elif current:
            lengths.append(current)
            current = 0
    return lengths


def revenue_by(key) -> dict:
    sums: dict = defaultdict(float)
    for campaign in CAMPAIGNS:
        for cell_key, values in campaign.cells.items():
            sums[key(campaign, cell_key)] += values["revenue"]
    return dict(sums)


# -- the drawing, from hand-written answers -------------------------------------------------------------------
def test_a_trend_chart_decodes_at_the_stated_size_and_plots_the_answer():
    answer = {
        "metric": "revenue",
        "scope": "all campaigns, days 2025-01-16..2025-04-30",
        "points": [
            {"month": "2025-01-01", "days": 16, "value": 1200.5},
            {"month": "2025-02-01", "days": 28, "value": None},
            {"month": "2025-03-01", "days": 31, "value": 0.0},
            {"month": "2025-04-01", "days": 30, "value": 980.0},
        ],
    }
    chart = charts.trend_chart(answer)
    image = decoded(chart.png)
    assert image.format == "PNG" and image.size == (charts.WIDTH, charts.HEIGHT) == (800, 450)
    assert charts.plotted_values(chart.png) == {
        "kind": "line",
        "metric": "revenue",
        "labels": ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"],
        "values": [1200.5, None, 0.0, 980.0],
    }
    assert chart.note.splitlines() == [
        "Revenue per month (money)",
        "all campaigns, days 2025-01-16..2025-04-30",
    ]


def test_bar_lengths_on_the_image_are_proportional_to_the_values():
    answer = {
        "dimension": "channel",
        "scope": "all campaigns, every day",
        "rows": [
            {"key": "TikTok", "revenue": 400.0},
            {"key": "Instagram", "revenue": 200.0},
            {"key": "Facebook", "revenue": 100.0},
        ],
    }
    chart = charts.breakdown_chart(answer)
    assert charts.plotted_values(chart.png)["values"] == [400.0, 200.0, 100.0]
    longest, middle, shortest = bar_lengths(chart.png)
    # First row on top; lengths within a pixel or two (antialiased ends are not the exact bar colour).
    assert longest / middle == pytest.approx(2, rel=0.02) and longest / shortest == pytest.approx(4, rel=0.04)


@pytest.mark.parametrize(
    "answer, nothing",
    [
        ({"metric": "revenue", "scope": "s", "points": []}, "has no points"),
        (
            {
                "metric": "roi",
                "scope": "s",
                "points": [{"month": "2025-01-01", "days": 31, "value": None}] * 3,
            },
            "is null",
        ),
    ],
)
def test_a_trend_with_nothing_to_plot_says_so(answer, nothing):
    chart = charts.trend_chart(answer)
    assert chart.png is None and chart.note.startswith("nothing to draw: ") and nothing in chart.note


@pytest.mark.parametrize(
    "answer, metric, nothing",
    [
        ({"dimension": "market", "scope": "s", "rows": []}, "revenue", "has no rows"),
        (
            {"dimension": "channel", "scope": "s", "rows": [{"key": "TikTok", "leads": None}]},
            "leads",
            "no value",
        ),
    ],
)
def test_a_breakdown_with_nothing_to_plot_says_so(answer, metric, nothing):
    chart = charts.breakdown_chart(answer, metric)
    assert chart.png is None and chart.note.startswith("nothing to draw: ") and nothing in chart.note


def test_one_point_and_all_zeros_still_draw_a_readable_chart():
    one = charts.trend_chart(
        {
            "metric": "conversion_rate",
            "scope": "campaign 7 (X)",
            "points": [{"month": "2025-03-01", "days": 31, "value": 0.0137}],
        }
    )
    assert decoded(one.png).size == (800, 450)
    assert charts.plotted_values(one.png)["values"] == [0.0137]
    zeros = charts.breakdown_chart(
        {
            "dimension": "month",
            "scope": "s",
            "rows": [{"key": f"2025-{m:02d}-01", "revenue": 0.0} for m in range(1, 13)],
        }
    )
    assert charts.plotted_values(zeros.png)["values"] == [0.0] * 12
    assert decoded(zeros.png).size == (800, 450)


def test_long_names_are_cut_to_fit_and_the_values_stay_whole():
    long_name = "Holiday Glow " + "Aurora Borealis Extravaganza " * 6 + "#42"
    rows = [{"key": f"{long_name} variant {i}", "revenue": 10.0 * (i + 1)} for i in range(40)]
    chart = charts.breakdown_chart(
        {"dimension": "market", "scope": f"campaign 42 ({long_name}), every day", "rows": rows}, "revenue"
    )
    plotted = charts.plotted_values(chart.png)
    assert len(plotted["values"]) == charts.MAX_BARS and plotted["values"] == [
        10.0 * (i + 1) for i in range(30)
    ]
    assert plotted["labels"][0] == rows[0]["key"]  # the metadata keeps the whole name
    lines = chart.note.splitlines()
    assert len(lines) <= charts.TITLE_LINES and all(len(line) <= charts.TITLE_LINE_CHARS for line in lines)
    assert lines[-1].endswith("…") and decoded(chart.png).size == (800, 450)
    short = charts._middle_cut(rows[0]["key"], charts.LABEL_CHARS)
    assert len(short) == charts.LABEL_CHARS and short.endswith("variant 0")  # names told apart by their ends


# -- through the MCP server, against the hand-checked campaigns ----------------------------------------------
@pytest.mark.stack
def test_trends_over_mcp_carries_a_line_chart_of_the_literal_cells(sales_settings):
    # Brisa Telecom's cells of June-August 2025, summed by month here from sales_data.py.
    by_month = revenue_by(lambda c, k: (c.brand, k[2].replace(day=1)))
    expected = [by_month[("Brisa Telecom", date(2025, month, 1))] for month in (6, 7, 8)]
    result = call(
        sales_settings,
        "trends",
        {
            "metric": "revenue",
            "brand": "brisa telecom",
            "period_from": "2025-06-01",
            "period_to": "2025-08-31",
        },
    )
    assert not result.is_error
    png = image_of(result)
    assert decoded(png).size == (800, 450)
    plotted = charts.plotted_values(png)
    assert plotted["values"] == expected == [p["value"] for p in result.structured_content["points"]]
    assert plotted["labels"] == ["2025-06-01", "2025-07-01", "2025-08-01"]


@pytest.mark.stack
def test_breakdown_over_mcp_carries_a_bar_chart_of_the_literal_cells(sales_settings):
    expected = revenue_by(lambda c, k: k[0])
    result = call(sales_settings, "breakdown", {"dimension": "channel"})
    plotted = charts.plotted_values(image_of(result))
    assert dict(zip(plotted["labels"], plotted["values"])) == expected
    assert plotted["labels"] == [row["key"] for row in result.structured_content["rows"]]
    reach = call(sales_settings, "breakdown", {"dimension": "channel", "chart_metric": "reach"})
    assert charts.plotted_values(image_of(reach))["values"] == [
        r["reach"] for r in reach.structured_content["rows"]
    ]


@pytest.mark.stack
@pytest.mark.parametrize(
    "tool, arguments, note",
    [
        ("trends", {"metric": "revenue", "period_from": "2030-01-01"}, "has no points"),
        ("trends", {"metric": "leads", "channel": "TikTok"}, "has no points"),
        ("breakdown", {"dimension": "channel", "chart_metric": "leads"}, "no value per channel"),
        ("breakdown", {"dimension": "market", "period_from": "2030-01-01"}, "has no rows"),
    ],
)
def test_nothing_to_draw_is_one_line_beside_the_answer(sales_settings, tool, arguments, note):
    result = call(sales_settings, tool, arguments)
    assert not result.is_error and image_of(result) is None
    (line,) = notes_of(result)
    assert line.startswith("chart: nothing to draw: ") and note in line and "\n" not in line


@pytest.mark.stack
def test_chart_false_sends_the_structured_answer_only(sales_settings):
    result = call(sales_settings, "trends", {"metric": "reach", "chart": False})
    assert not result.is_error and len(result.content) == 1 and result.structured_content["points"]


@pytest.mark.stack
def test_a_chart_metric_that_is_not_a_metric_is_refused_in_one_line(sales_settings):
    result = call(sales_settings, "breakdown", {"dimension": "channel", "chart_metric": "budget"})
    assert result.is_error and "chart_metric" in result.content[0].text
    assert "Traceback" not in result.content[0].text


# -- caching: the chart lives beside its answer ---------------------------------------------------------------
@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The charts drawn during a test (the real drawing, counted)."""
    calls: list[str] = []

    def counted(name: str):
        real = getattr(charts, name)

        def draw(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return draw

    for name in ("trend_chart", "breakdown_chart"):
        monkeypatch.setattr(charts, name, counted(name))
    return calls


@pytest.mark.stack
def test_a_cached_answer_brings_its_cached_chart_without_drawing(
    service: SalesService, drawn, sales_settings
):
    service.cache.bump_data_version("sales")
    ask = {"metric": "sales_count", "brand": "Aurora Foods", "chart": True}
    assert service.trends(**ask, reply="if cached") is None  # nothing cached yet: the server uses a thread
    first = service.trends(**ask, reply=True)
    cached = service.trends(**ask, reply="if cached")  # what the server answers on its event loop
    assert drawn == ["trend_chart"]
    assert cached.structured_content == {
        **first.structured_content,
        "cache": cached.structured_content["cache"],
    }
    assert cached.structured_content["cache"]["hit"] and image_of(cached) == image_of(first)
    version = service.cache.data_version("sales")
    prefix = sales_settings.redis.key_prefix
    answer_keys = {
        k.decode().rsplit(":", 1)[1]
        for k in service.cache.client.scan_iter(f"{prefix}:sales:query:v{version}:*")
    }
    chart_keys = [k.decode() for k in service.cache.client.scan_iter(f"{prefix}:sales:chart:v{version}:*")]
    assert len(chart_keys) == 1 and chart_keys[0].split(":")[4] in answer_keys  # same hash, same version
    assert 0 < service.cache.client.ttl(chart_keys[0]) <= 11 * 60
    service.cache.bump_data_version("sales")  # the ETL changed the data: answer and chart are both stale
    assert service.trends(**ask, reply="if cached") is None
    service.trends(**ask, reply=True)
    assert drawn == ["trend_chart", "trend_chart"]


@pytest.mark.stack
def test_an_answer_cached_without_its_chart_gets_one_without_postgres(
    service: SalesService, drawn, sales_settings
):
    service.cache.bump_data_version("sales")
    plain = service.breakdown(dimension="market", reply=True)  # chart=False: the answer alone is cached
    assert len(plain.content) == 1 and drawn == []
    # Same Redis, PostgreSQL unreachable: the chart can only come from the cached answer's JSON.
    dead = sales_settings.model_copy(
        update={"postgres": sales_settings.postgres.model_copy(update={"port": 1})}
    )
    pool = open_pool(dead)
    try:
        charted = SalesService(pool, service.cache).breakdown(dimension="market", chart=True, reply=True)
    finally:
        pool.close()
    assert charted.structured_content["cache"]["hit"] and drawn == ["breakdown_chart"]
    plotted = charts.plotted_values(image_of(charted))
    assert plotted["values"] == [row["revenue"] for row in plain.structured_content["rows"]]


@pytest.mark.stack
def test_redis_down_still_sends_the_chart(service: SalesService, sales_settings):
    dead = sales_settings.model_copy(update={"redis": sales_settings.redis.model_copy(update={"port": 1})})
    uncached = SalesService(service.pool, Cache(clients.redis_client(dead), dead.redis.key_prefix))
    assert uncached.trends(metric="revenue", chart=True, reply="if cached") is None
    result = uncached.trends(metric="revenue", chart=True, reply=True)
    assert result.structured_content["cache"]["cached"] is False
    assert charts.plotted_values(image_of(result))["values"] == [
        p["value"] for p in result.structured_content["points"]
    ]
