"""The hand-checked campaigns: every figure written out, so tests can compute expected answers by hand."""

from __future__ import annotations

from datetime import date

from promptsales.sales import synthetic

D = date


def cell(*values: float) -> dict:
    """One (channel, market, month) cell, in the order of synthetic.METRIC_COLUMNS."""
    return dict(zip(synthetic.METRIC_COLUMNS, values, strict=True))


def hand_checked() -> list[synthetic.Campaign]:
    def campaign(cid, name, brand, status, start, end, leads, cells):
        return synthetic.Campaign(campaign_id=cid, name=name, brand=brand, status=status, start_date=start,
                                  end_date=end, budget=10_000.0, leads=leads, clients=400, exposure_hours=12.5,
                                  content_used=["img-0001", "img-0042"], cells=cells)

    return [
        campaign(101, "Holiday Glow Aurora", "Aurora Foods", "finished", D(2024, 12, 1), D(2025, 1, 31), 38, {
            ("TikTok", "Mexico", D(2024, 12, 1)): cell(1000, 2000, 100, 50, 10, 500.0, 200.0),
            ("TikTok", "Mexico", D(2025, 1, 1)): cell(500, 900, 40, 10, 5, 250.0, 100.0),
            ("Instagram", "Mexico", D(2024, 12, 1)): cell(2000, 3000, 300, 100, 4, 400.0, 300.0)}),
        campaign(102, "Summer Splash Brisa", "Brisa Telecom", "active", D(2025, 6, 15), D(2025, 8, 15), 0, {
            ("Facebook", "Chile", D(2025, 6, 1)): cell(4000, 4000, 10, 10, 40, 4000.0, 1000.0),
            ("Facebook", "Peru", D(2025, 7, 1)): cell(1000, 1000, 5, 5, 10, 800.0, 1000.0),
            ("Facebook", "Chile", D(2025, 8, 1)): cell(3000, 3000, 5, 5, 30, 2100.0, 500.0)}),
        campaign(103, "Holiday Glow Brisa", "Brisa Telecom", "finished", D(2024, 12, 10), D(2024, 12, 31), 24, {
            ("TikTok", "Mexico", D(2024, 12, 1)): cell(600, 700, 20, 20, 12, 900.0, 300.0)}),
        campaign(104, "Holiday Glow Brisa", "Brisa Telecom", "finished", D(2025, 12, 1), D(2025, 12, 31), 10, {
            ("YouTube", "Spain", D(2025, 12, 1)): cell(10000, 12000, 50, 50, 5, 100.0, 2000.0)}),
    ]
