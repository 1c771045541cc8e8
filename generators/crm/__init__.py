"""PromptCrm generator (CR2-CR4): clients, links, leads, interactions and sales consistent with PromptAds.

`load(settings, options)` reads the campaigns from PromptAds through settings (the stand-in or SQL Server),
builds every table with numpy from `options.seed` and replaces the previous generated data:
- `options.clients` clients (>= 500,000 by default), each linked to at least one campaign;
- every campaign gets 400 to 1,000 distinct clients, never more than its reach (SUM of AudienceReached);
- one sale row per PromptAds sale of each campaign, channel, market and day, amounts adding up to that
  day's revenue to the cent, so counts and sums agree with PromptAds per campaign and per breakdown;
- one lead per client-campaign link ('converted' when that client bought in that campaign) and 1-3
  interactions per link on the campaign's channels.
National IDs and context data are left NULL here: they are encrypted on SQL Server by
crm.PRCRMSP_SetClientPii with the certificate key (042_create_procedures_pii.sql), which the stand-in lacks.
"""

from __future__ import annotations

from promptsales import clients, progress
from promptsales.generators.crm.build import build
from promptsales.generators.crm.sink import load_sqlserver, load_standin
from promptsales.generators.crm.source import read_ads_facts
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings


def load(settings: Settings, options: SeedOptions) -> dict[str, int]:
    progress.report("promptcrm: reading the PromptAds campaigns and results")
    facts = read_ads_facts(settings)
    progress.report(f"promptcrm: generating {options.clients:,} clients, their links, leads and sales")
    tables = build(facts, options.clients, options.seed)
    if settings.sources == "sqlserver":
        connection = clients.sqlserver(settings, "crm")
        try:
            counts = load_sqlserver(connection, tables)
        finally:
            connection.close()
    else:
        with clients.crm_standin(settings) as conn:
            counts = load_standin(conn, tables)
    return {name.split(".")[1].lower(): count for name, count in counts.items()}
