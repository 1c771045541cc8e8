"""What the client's model reads before it picks a tool: the metric glossary and a short tool guide."""

from __future__ import annotations

from promptsales.sales.models import METRICS

TOOL_GUIDE = """\
# PromptSales campaign performance: how to pick a tool

Data: one summary per PromptAds campaign (July 2024 onwards), refreshed by the ETL every 11 minutes,
with breakdowns per channel, per market and per calendar month. Every tool is read-only.

1. sales_overview — start here when unsure: counts, date coverage, and the exact brand, channel and
   market names the other tools accept.
2. find_campaigns — campaigns by name fragment, brand, status, run dates (overlapping a range),
   channel, market. Returns ids to use in the other tools.
3. campaign_performance — everything about ONE campaign (name, unique fragment, or campaign_id):
   reach, success rate, sales, revenue, ROI, reactions, channels, markets, content used.
4. compare_campaigns — 2 to 10 campaigns side by side on chosen metrics, with the leader per metric.
5. top_campaigns — "which campaigns sold most last quarter?": top-N by a metric. With a period,
   per-month metrics (reach, views, likes, interactions, reactions, sales_count, revenue, cost, roi,
   conversion_rate) are summed over the whole calendar months of the period; other metrics rank
   lifetime values of the campaigns that ran during the period (the answer's `basis` says which).
6. breakdown — metrics per channel, market or month, for one campaign or for all campaigns matching
   brand/status/channel/market filters ("how did brand X's December campaigns do on TikTok?":
   breakdown dimension=channel, brand=X, period in December).
7. trends — a month-by-month series of one metric with month-over-month change and a direction.

Rules: dates are ISO (YYYY-MM-DD) between 2000-01-01 and 2099-12-31, from <= to. Brand, channel and
market names are matched ignoring case; an unknown one is answered with the closest known names.
A campaign name that matches several campaigns is answered with the candidates and their ids: ask
again with a campaign_id. Limits are 1..100 rows. Ratios are fractions (0.25 = 25 %).
Every answer carries `metric_notes` (unit and definition) and `cache` (whether it came from Redis).
"""


def metrics_glossary() -> str:
    lines = ["# PromptSales metrics", "", "| metric | unit | definition |", "|---|---|---|"]
    lines += [f"| {name} | {unit} | {definition} |" for name, (unit, definition) in METRICS.items()]
    lines += ["", "Breakdowns (per channel, market, month) carry reach, views, likes, interactions, reactions,",
              "sales_count, revenue and cost; roi and conversion_rate are recomputed from their sums, never",
              "averaged. leads, clients, success_rate, exposure_hours and budget exist per campaign only."]
    return "\n".join(lines)


def question_prompt(question: str) -> str:
    return (f"{TOOL_GUIDE}\n\n{metrics_glossary()}\n\nAnswer this question about campaign performance with the "
            f"tools above, citing the figures and their units, and say which period and campaigns they cover:\n\n"
            f"{question}")
