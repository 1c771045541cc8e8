"""PromptAds generator (PA3, PA4): seeded campaigns, channels, markets, ads and their daily results.

`load(settings, options)` replaces the generated data of the configured PromptAds database (the
PostgreSQL stand-in, or SQL Server when settings.sources == "sqlserver") and returns the row counts.
Same seed, same data. `options.reference_date` is "today" of the generated world: campaigns running on
it are active (30%), the rest finished (70%); no result is dated on or after it.
"""

from __future__ import annotations

from promptsales import clients, progress
from promptsales.errors import InvalidInput
from promptsales.generators.ads.loaders import load_sqlserver, load_standin
from promptsales.generators.ads.world import check_options, generate
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings


def load(settings: Settings, options: SeedOptions) -> dict[str, int]:
    try:
        check_options(options)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    progress.report(f"promptads: generating {options.campaigns:,} campaigns and their results")
    world = generate(options)
    if settings.sources == "sqlserver":
        connection = clients.sqlserver(settings, "ads")
        try:
            load_sqlserver(connection, world)
        finally:
            connection.close()
    else:
        with clients.ads_standin(settings, autocommit=True) as conn:
            load_standin(conn, world)
    return {name.lower(): len(table) for name, table in world.items()}


__all__ = ["generate", "load"]
