"""The sales server through the MCP SDK's client in memory: tool metadata, structured output, bad input."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from promptsales.sales.server import build_server

pytestmark = pytest.mark.stack

INJECTION = "'; DROP TABLE analytics.campaign_summary; --"


def run(settings, action):
    async def main():
        async with Client(build_server(settings)) as client:
            return await action(client)

    return anyio.run(main)


def call(settings, tool: str, arguments: dict[str, Any]):
    return run(settings, lambda client: client.call_tool(tool, arguments))


def text_of(result) -> str:
    return " ".join(block.text for block in result.content if getattr(block, "text", None))


def test_every_tool_is_read_only_with_an_output_schema(sales_settings):
    tools = run(sales_settings, lambda client: client.list_tools()).tools
    assert {t.name for t in tools} == {
        "sales_overview",
        "find_campaigns",
        "campaign_performance",
        "compare_campaigns",
        "top_campaigns",
        "breakdown",
        "trends",
    }
    for tool in tools:
        assert tool.annotations.read_only_hint is True and tool.annotations.destructive_hint is False
        assert tool.output_schema and tool.description
    limit = next(t for t in tools if t.name == "top_campaigns").input_schema["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (1, 100)


def test_structured_output_over_mcp(sales_settings):
    result = call(sales_settings, "campaign_performance", {"campaign": "Holiday Glow Aurora"})
    assert not result.is_error
    assert result.structured_content["metrics"]["reach"] == 3500
    assert result.structured_content["metrics"]["success_rate_pct"] == 50.0
    assert "success_rate" in result.structured_content["metric_notes"]


def test_resources_and_prompt_explain_the_metrics(sales_settings):
    async def read(client):
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        metrics = await client.read_resource("sales://metrics")
        prompt = await client.get_prompt("ask_about_campaigns", {"question": "Which campaigns sold most?"})
        return listed, metrics.contents[0].text, prompt.messages[0].content.text

    listed, metrics, prompt = run(sales_settings, read)
    assert {"sales://metrics", "sales://guide"} <= listed
    assert "| success_rate | ratio 0..1" in metrics and "converted_leads / leads" in metrics
    assert "| leads | leads |" in metrics and "campaign x day" in metrics
    assert "top_campaigns" in prompt and "Which campaigns sold most?" in prompt


@pytest.mark.parametrize(
    "tool, arguments, expected",
    [
        ("campaign_performance", {"campaign": "Holyday Glw Auror"}, "Closest names: Holiday Glow Aurora"),
        ("campaign_performance", {"campaign": "Holiday Glow Brisa"}, "ambiguous"),
        ("campaign_performance", {"campaign": "999999"}, "No campaign has campaign_id 999999"),
        ("campaign_performance", {"campaign": INJECTION}, "Unknown campaign"),
        ("find_campaigns", {"name_contains": INJECTION}, None),  # a literal fragment: zero matches, no error
        ("find_campaigns", {"brand": "Robert'); DROP TABLE analytics.campaign_summary;--"}, "Unknown brand"),
        ("find_campaigns", {"channel": "TikTk"}, "Closest known channels: TikTok"),
        ("find_campaigns", {"active_from": "2025-12-31", "active_to": "2025-01-01"}, "reversed"),
        ("top_campaigns", {"metric": "sales_count", "period_from": "1900-01-01"}, "out of range"),
        (
            "top_campaigns",
            {"metric": "sales_count", "period_to": "2025-02-30"},
            "period_to: must be a date as YYYY-MM-DD",
        ),
        ("top_campaigns", {"metric": "happiness"}, "metric: must be one of reach, views"),
        ("top_campaigns", {"metric": "revenue", "limit": 0}, "limit: must be at least 1 (got 0)"),
        (
            "top_campaigns",
            {"metric": "revenue", "limit": 1_000_000},
            "limit: must be at most 100 (got 1000000)",
        ),
        ("find_campaigns", {"limit": 0}, "limit: must be at least 1"),
        ("breakdown", {"dimension": "planet"}, "dimension: must be one of channel"),
        ("trends", {"metric": "budget"}, "metric: must be one of reach"),  # a plan: no figure per day
        ("compare_campaigns", {"campaigns": ["Holiday Glow Aurora"]}, "at least 2"),
        (
            "compare_campaigns",
            {"campaigns": ["Holiday Glow Aurora", "Nope Nothing"]},
            "Unknown campaign 'Nope Nothing'",
        ),
        ("find_campaigns", {"name_contains": "x" * 201}, "at most 200"),
        ("find_campaigns", {"name_contains": "a\x00b"}, "control characters"),
        ("top_campaigns", {"metric": "revenue", "channel": "Tik\x07Tok"}, "control characters"),
        ("top_campaigns", {"metric": "revenue", "brand": 5}, "brand: must be text (got 5)"),
        ("breakdown", {"dimension": "channel", "limit": "lots"}, "limit: must be a whole number"),
        ("breakdown", {"dimension": "market", "market": "Mexco"}, "Closest known markets: Mexico"),
        ("trends", {"metric": "revenue", "period_from": "2025-12-31", "period_to": "2025-01-01"}, "reversed"),
        (
            "campaign_performance",
            {"campaign": "Holiday Glow Aurora", "period_from": "2025-02-30"},
            "period_from: must be a date",
        ),
        ("campaign_performance", {"campaign": [101]}, "campaign: must be"),
        ("compare_campaigns", {"campaigns": [101, 999999]}, "No campaign has campaign_id 999999"),
        (
            "compare_campaigns",
            {"campaigns": [101, 102], "period_from": "2026-01-01", "period_to": "2025-01-01"},
            "reversed",
        ),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    sales_settings, fingerprint, tool, arguments, expected
):
    before = fingerprint()
    result = call(sales_settings, tool, arguments)
    message = text_of(result)
    assert "Traceback" not in message and 'File "' not in message
    assert "errors.pydantic.dev" not in message
    if message.startswith("Invalid arguments"):  # schema errors: one short line per problem
        assert all(len(line) <= 300 for line in message.splitlines())
    if expected is None:
        assert not result.is_error and result.structured_content["total_matches"] == 0
    else:
        assert result.is_error, message
        assert expected in message
    assert fingerprint() == before


@pytest.mark.parametrize(
    "tool, arguments, rows, why",
    [
        (
            "top_campaigns",
            {"metric": "revenue", "period_from": "2030-01-01", "period_to": "2030-12-31"},
            "campaigns",
            "nothing matched",
        ),
        (
            "breakdown",
            {"dimension": "channel", "campaign": 101, "channel": "YouTube"},
            "rows",
            "ran 2024-12-01..2025-01-31 on Instagram, TikTok",
        ),
        (
            "trends",
            {"metric": "revenue", "brand": "Aurora Foods", "market": "Spain"},
            "points",
            "nothing matched",
        ),
        (
            "top_campaigns",
            {"metric": "leads", "channel": "TikTok"},
            "campaigns",
            "leads cannot be split by channel",
        ),
        (
            "trends",
            {"metric": "success_rate", "market": "Mexico"},
            "points",
            "success_rate cannot be split by market",
        ),
    ],
)
def test_a_question_with_no_answer_is_empty_and_says_why(
    sales_settings, fingerprint, tool, arguments, rows, why
):
    before = fingerprint()
    result = call(sales_settings, tool, arguments)
    assert not result.is_error, text_of(result)
    answer = result.structured_content
    assert answer[rows] == [] and why in answer.get("basis", "")
    assert fingerprint() == before


def test_a_channel_the_campaign_never_used_gives_zeros_and_says_so(sales_settings):
    answer = call(
        sales_settings, "campaign_performance", {"campaign": 101, "channel": "YouTube"}
    ).structured_content
    assert (answer["metrics"]["reach"], answer["metrics"]["revenue"], answer["metrics"]["roi"]) == (
        0,
        0,
        None,
    )
    assert "nothing matched" in answer["basis"] and "on Instagram, TikTok" in answer["basis"]
