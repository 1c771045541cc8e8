"""The hand-checked campaigns: every figure written out, so tests can compute expected answers by hand.

Each PromptAds cell is one (channel, market, day); each campaign's first cell carries its 12.5 exposure
hours. The PromptCrm days carry leads, converted leads and client links.
"""

from __future__ import annotations

from datetime import date

from promptsales_testkit import sales_synthetic

D = date


def cell(*values: float, exposure: float = 0.0) -> dict:
    """One (channel, market, day) cell: reach, views, likes, interactions, sales_count, revenue, cost."""
    return dict(zip(sales_synthetic.METRIC_COLUMNS, (*values, exposure), strict=True))


def crm(leads: int, converted: int, clients: int) -> dict:
    return {"leads": leads, "converted_leads": converted, "clients": clients}


def hand_checked() -> list[sales_synthetic.Campaign]:
    def campaign(cid, name, brand, status, start, end, cells, crm_days):
        return sales_synthetic.Campaign(
            campaign_id=cid,
            name=name,
            brand=brand,
            status=status,
            start_date=start,
            end_date=end,
            budget=10_000.0,
            content_used=["img-0001", "img-0042"],
            cells=cells,
            crm_days=crm_days,
        )

    return [
        campaign(
            101,
            "Holiday Glow Aurora",
            "Aurora Foods",
            "finished",
            D(2024, 12, 1),
            D(2025, 1, 31),
            {
                ("TikTok", "Mexico", D(2024, 12, 5)): cell(
                    1000, 2000, 100, 50, 10, 500.0, 200.0, exposure=12.5
                ),
                ("TikTok", "Mexico", D(2025, 1, 20)): cell(500, 900, 40, 10, 5, 250.0, 100.0),
                ("Instagram", "Mexico", D(2024, 12, 24)): cell(2000, 3000, 300, 100, 4, 400.0, 300.0),
            },
            {D(2024, 12, 1): crm(0, 0, 400), D(2024, 12, 5): crm(20, 10, 0), D(2025, 1, 10): crm(18, 9, 0)},
        ),
        campaign(
            102,
            "Summer Splash Brisa",
            "Brisa Telecom",
            "active",
            D(2025, 6, 15),
            D(2025, 8, 15),
            {
                ("Facebook", "Chile", D(2025, 6, 18)): cell(
                    4000, 4000, 10, 50, 40, 4000.0, 1000.0, exposure=12.5
                ),
                ("Facebook", "Peru", D(2025, 7, 1)): cell(1000, 1000, 5, 15, 10, 800.0, 1000.0),
                ("Facebook", "Chile", D(2025, 8, 14)): cell(3000, 3000, 5, 40, 30, 2100.0, 500.0),
            },
            {D(2025, 6, 15): crm(0, 0, 400)},
        ),
        campaign(
            103,
            "Holiday Glow Brisa",
            "Brisa Telecom",
            "finished",
            D(2024, 12, 10),
            D(2024, 12, 31),
            {("TikTok", "Mexico", D(2024, 12, 12)): cell(600, 700, 20, 20, 12, 900.0, 300.0, exposure=12.5)},
            {D(2024, 12, 10): crm(24, 12, 400)},
        ),
        campaign(
            104,
            "Holiday Glow Brisa",
            "Brisa Telecom",
            "finished",
            D(2025, 12, 1),
            D(2025, 12, 31),
            {
                ("YouTube", "Spain", D(2025, 12, 1)): cell(
                    10000, 12000, 50, 50, 5, 100.0, 2000.0, exposure=12.5
                )
            },
            {D(2025, 12, 1): crm(10, 5, 400)},
        ),
    ]
