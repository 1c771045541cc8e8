"""CR2-CR4 on the stand-in, at full scale: 500,000 clients generated against a freshly generated PromptAds."""

from __future__ import annotations

import pytest
from promptsales import clients
from promptsales.dbinit.crm import SQL_DIR
from promptsales.standin import query_for_standin

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def _crm(world, query: str):
    with clients.crm_standin(world.settings) as conn:
        return conn.execute(query).fetchall()


def _ads(world, query: str):
    with clients.ads_standin(world.settings) as conn:
        return conn.execute(query).fetchall()


def test_at_least_500000_clients(crm_world) -> None:
    assert world_count(crm_world, "crm.Clients") >= 500_000
    assert crm_world.counts["clients"] == world_count(crm_world, "crm.Clients")


def world_count(world, table: str) -> int:
    return _crm(world, f"SELECT COUNT(*) FROM {table}")[0][0]


def test_every_campaign_has_400_to_1000_clients_within_its_reach(crm_world) -> None:
    linked = dict(
        _crm(
            crm_world,
            "SELECT CampaignId, COUNT(DISTINCT ClientId) FROM crm.ClientCampaigns GROUP BY CampaignId",
        )
    )
    reach = dict(
        _ads(
            crm_world,
            "SELECT a.CampaignId, SUM(r.AudienceReached) FROM ads.AdResults AS r "
            "JOIN ads.Ads AS a ON a.AdId = r.AdId GROUP BY a.CampaignId",
        )
    )
    campaigns = {row[0] for row in _ads(crm_world, "SELECT CampaignId FROM ads.Campaigns")}
    assert set(linked) == campaigns
    assert all(400 <= n <= 1000 for n in linked.values())
    assert all(n <= reach[c] for c, n in linked.items())


def test_sales_count_and_amount_equal_promptads_per_campaign(crm_world) -> None:
    crm = {
        c: (n, amount)
        for c, n, amount in _crm(
            crm_world, "SELECT CampaignId, COUNT(*), SUM(Amount) FROM crm.Sales GROUP BY CampaignId"
        )
    }
    ads = {
        c: (n, revenue)
        for c, n, revenue in _ads(
            crm_world,
            "SELECT a.CampaignId, SUM(r.Sales), SUM(r.Revenue) FROM ads.AdResults AS r "
            "JOIN ads.Ads AS a ON a.AdId = r.AdId GROUP BY a.CampaignId HAVING SUM(r.Sales) > 0",
        )
    }
    assert len(ads) > 900
    assert crm == ads  # counts and Decimal amounts, to the cent


def test_sales_agree_with_promptads_per_channel_market_and_month(crm_world) -> None:
    crm = set(
        _crm(
            crm_world,
            "SELECT CampaignId, ChannelId, MarketId, date_trunc('month', SaleDate), COUNT(*), "
            "SUM(Amount) FROM crm.Sales GROUP BY 1, 2, 3, 4",
        )
    )
    ads = set(
        _ads(
            crm_world,
            "SELECT a.CampaignId, r.ChannelId, a.MarketId, date_trunc('month', r.ResultDate), "
            "SUM(r.Sales), SUM(r.Revenue) FROM ads.AdResults AS r JOIN ads.Ads AS a "
            "ON a.AdId = r.AdId GROUP BY 1, 2, 3, 4 HAVING SUM(r.Sales) > 0",
        )
    )
    assert crm == ads


def test_no_client_without_a_valid_campaign_link(crm_world) -> None:
    assert (
        _crm(
            crm_world,
            "SELECT COUNT(*) FROM crm.Clients AS c WHERE NOT EXISTS "
            "(SELECT 1 FROM crm.ClientCampaigns AS l WHERE l.ClientId = c.ClientId)",
        )[0][0]
        == 0
    )
    linked = {row[0] for row in _crm(crm_world, "SELECT DISTINCT CampaignId FROM crm.ClientCampaigns")}
    campaigns = {row[0] for row in _ads(crm_world, "SELECT CampaignId FROM ads.Campaigns")}
    assert linked <= campaigns


def test_sales_fall_inside_their_campaign_and_leads_convert_only_with_a_sale(crm_world) -> None:
    with clients.ads_standin(crm_world.settings) as conn:
        windows = {
            c: (s, e) for c, s, e in conn.execute("SELECT CampaignId, StartDate, EndDate FROM ads.Campaigns")
        }
    for campaign, first, last in _crm(
        crm_world, "SELECT CampaignId, MIN(SaleDate), MAX(SaleDate) FROM crm.Sales GROUP BY CampaignId"
    ):
        assert windows[campaign][0] <= first and last <= windows[campaign][1]
    assert (
        _crm(
            crm_world,
            "SELECT COUNT(*) FROM crm.Leads AS l LEFT JOIN (SELECT DISTINCT ClientId, CampaignId "
            "FROM crm.Sales) AS s ON s.ClientId = l.ClientId AND s.CampaignId = l.CampaignId "
            "WHERE (l.Status = 'converted') <> (s.ClientId IS NOT NULL)",
        )[0][0]
        == 0
    )


def test_new_rows_get_ids_after_the_generated_ones(crm_world) -> None:
    """The loader moves every identity past the ids it wrote, so the application can insert right away."""
    with clients.crm_standin(crm_world.settings) as conn:
        new_id = conn.execute(
            "INSERT INTO crm.Logs (Severity, Source, Message) VALUES ('INFO', 'test', 'x') RETURNING LogId"
        ).fetchone()[0]
        sale_id = conn.execute(
            "INSERT INTO crm.Sales (ClientId, CampaignId, ChannelId, MarketId, Amount, SaleDate) "
            "SELECT ClientId, CampaignId, ChannelId, MarketId, 1.00, SaleDate FROM crm.Sales "
            "LIMIT 1 RETURNING SaleId"
        ).fetchone()[0]
        conn.rollback()
    assert new_id >= 1 and sale_id == crm_world.counts["sales"] + 1


def test_cr8_analytics_run_on_the_standin_and_agree_with_the_tables(crm_world) -> None:
    """070 runs transpiled; its month x channel revenue adds up to all sales, its distance bands cover every
    sale, and every channel gets a correlation between -1 and 1."""
    script = query_for_standin(SQL_DIR / "070_query_campaign_purchase_analytics.sql")
    with clients.crm_standin(crm_world.settings) as conn:
        monthly, distance, correlation, leads = (
            conn.execute(statement, script.parameters).fetchall() for statement in script.statements
        )
        sales, revenue = conn.execute("SELECT COUNT(*), SUM(Amount) FROM crm.Sales").fetchone()
        lead_count = conn.execute("SELECT COUNT(*) FROM crm.Leads").fetchone()[0]
    assert sum(row[4] for row in monthly) == sales and sum(row[5] for row in monthly) == revenue
    assert all(row[7] >= 1 for row in monthly)
    assert sum(row[2] for row in distance) == sales and sum(row[4] for row in distance) == revenue
    assert {row[1][:1] for row in distance} >= {"1", "2"}
    assert correlation and all(-1 <= row[2] <= 1 for row in correlation)
    assert sum(row[2] for row in leads) == lead_count
