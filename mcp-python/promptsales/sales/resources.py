"""What the client's model reads before it picks a tool: the metric glossary and a short tool guide."""

from __future__ import annotations

from promptsales.sales.models import GRAINS, METRICS

TOOL_GUIDE = """\
# PromptSales campaign performance: how to pick a tool

Data: the PromptAds campaigns (July 2024 onwards), refreshed by the ETL every 11 minutes. Figures are
kept at the grain the sources have: PromptAds results per campaign x channel x market x day, PromptCrm
leads, converted leads and client links per campaign x day. Every tool is read-only.

1. sales_overview — start here when unsure: counts, date coverage, the exact brand, channel and market
   names the other tools accept, and the grain of every metric.
2. find_campaigns — campaigns by name fragment, brand, status, run dates (overlapping a range),
   channel, market. Returns ids to use in the other tools.
3. campaign_performance — everything about ONE campaign (name, unique fragment, or campaign_id as a
   number or string): lifetime, or inside a period, on a channel, in a market.
4. compare_campaigns — 2 to 10 campaigns side by side (lifetime or inside a period), with the best
   campaign per metric (cost: lowest is best).
5. top_campaigns — "which campaigns sold most last quarter on TikTok?": top-N by a metric, counting only
   the activity inside the period, on that channel, in that market.
6. breakdown — figures per channel, market or month, for one campaign or for all campaigns matching
   brand/status/channel/market filters ("how did brand X's December campaigns do on TikTok?":
   breakdown dimension=channel, brand=X, period_from=2025-12-01, period_to=2025-12-31). Rows hold only
   the activity inside the period; `total` is the whole scope.
7. trends — one metric month by month with month-over-month change and a direction; a month cut by the
   period counts only its days inside it.

Rules: a period is any range of days (YYYY-MM-DD, between 2000-01-01 and 2099-12-31, from <= to), and
means the activity inside it. A channel or market filter keeps only that channel's or market's share.
Leads, converted leads, clients and success_rate have no channel or market (PromptCrm records none): with
such a filter they are left out and the answer's `basis` says why; budget is one figure per campaign.
Brand, channel and market names are matched ignoring case; an unknown one is answered with the closest
known names. A campaign name that matches several campaigns is answered with the candidates and their ids:
ask again with a campaign_id. Limits are 1..100 rows. Rates are fractions in [0, 1] (0.25 = 25 %).
Every answer carries `basis` or `scope` (exactly what was summed), `metric_notes` (unit, definition and
grain) and `cache` (whether it came from Redis).
"""


def metrics_glossary() -> str:
    lines = [
        "# PromptSales metrics",
        "",
        "| metric | unit | definition | grain | better |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {info.unit} | {info.definition} | {GRAINS[info.source]} | "
        f"{ {True: 'higher', False: 'lower', None: 'neither'}[info.higher_is_better] } |"
        for name, info in METRICS.items()
    ]
    lines += [
        "",
        "Every sum over a period, channel or market adds the facts of exactly those days, channels and",
        "markets; ratios (roi, conversion_rate, success_rate) are recomputed from those sums, never averaged.",
        "conversion_rate and success_rate are shares within [0, 1]; roi is at least -1.",
        "A metric of grain campaign x day cannot be split by channel or market: the answer leaves it out",
        "and says so in its basis.",
    ]
    return "\n".join(lines)


def question_prompt(question: str) -> str:
    return (
        f"{TOOL_GUIDE}\n\n{metrics_glossary()}\n\nAnswer this question about campaign performance with the "
        f"tools above, citing the figures and their units, and say which period and campaigns they cover:\n\n"
        f"{question}"
    )
