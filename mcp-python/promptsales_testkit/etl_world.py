"""An isolated ETL world on the local stack: fresh central, stand-in and MongoDB databases (an
`isolated_world`), with the n8n credentials pointed at them while it is open and restored from settings
afterwards.

The ETL tests and `bench/etl_runs.py` use it, so neither disturbs the stack's own data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import psycopg
from promptsales import clients
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import central
from promptsales.dbinit import crm as crm_init
from promptsales.etl.workflow import ON_ERROR_PATH, WORKFLOW_PATH
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_client import N8nClient
from promptsales.n8n_credentials import credentials_from_settings
from promptsales.settings import Settings
from promptsales.standin import postgres_file
from promptsales.standin.transform import STANDIN_PRELUDE

from promptsales_testkit.world import POSTGRES_DATABASES, isolated_world

# Shipped inside this package, so it is found wherever the package is installed.
CONTRACT_DDL = resources.files("promptsales_testkit") / "standin_contract.sql"
# The change-log triggers as `db init` puts them on the real stand-ins. CONTRACT_DDL builds both schemas
# on both connections, so both files run on both and the two contract databases stay alike.
CHANGE_LOG_TRIGGERS = (
    postgres_file(ads_init.SQL_DIR / "055_create_result_change_log_triggers.sql"),
    postgres_file(crm_init.SQL_DIR / "035_create_campaign_change_log_triggers.sql"),
)
# What each n8n (by its folder) was given in this process: importing restarts n8n (~30 s), and the files
# do not change while this process runs.
_imported: set[tuple[Path, tuple[Path, ...]]] = set()


@dataclass
class EtlWorld:
    settings: Settings
    central: psycopg.Connection
    ads: psycopg.Connection
    crm: psycopg.Connection
    mongo_db: object
    n8n: N8nClient
    redis_key: str


def apply_contract_schema(conn: psycopg.Connection) -> None:
    """The contract subset of both stand-in schemas, with the change-log triggers; safe to re-run."""
    # The rowversion functions, STRING_SPLIT and the trigger helpers, as every transpiled file with a
    # ROWVERSION column gets them.
    for statement in STANDIN_PRELUDE:
        conn.execute(statement)
    conn.execute(CONTRACT_DDL.read_text())
    for path in CHANGE_LOG_TRIGGERS:
        conn.execute(path.read_text())


@contextmanager
def isolated_etl(
    stack: Settings,
    real_schemas: bool = False,
    restore_to: Settings | None = None,
    n8n: N8nService | None = None,
    workflows: tuple[Path, ...] = (ON_ERROR_PATH, WORKFLOW_PATH),
) -> Iterator[EtlWorld]:
    """real_schemas: build the stand-ins with promptsales.dbinit.ads/crm (for the real generators);
    otherwise with the contract subset that promptsales_testkit.etl_sample fills. restore_to: whose
    databases the n8n credentials point at afterwards (default: the stack's own, from settings). n8n: the
    n8n to run in (default: the stack's own) and workflows: the ETL files imported into it (default: the
    committed ones)."""
    service = n8n or N8nService(stack)
    with (
        isolated_world(stack, "etl", postgres=POSTGRES_DATABASES, mongodb=True) as settings,
        clients.mongo(settings) as mongo_client,
        closing(N8nClient(service.full_settings, timeout=600)) as client,
        ExitStack() as opened,
    ):
        try:
            central.apply(settings)
            central_conn = opened.enter_context(clients.postgres(settings, autocommit=True))
            ads = opened.enter_context(clients.ads_standin(settings, autocommit=True))
            crm = opened.enter_context(clients.crm_standin(settings, autocommit=True))
            redis_prefix = settings.redis.key_prefix
            central_conn.execute(
                "UPDATE etl.config SET value = %s WHERE key = 'redis_key_prefix'", (redis_prefix,)
            )
            # The 11-minute tick must not race the runs a test or benchmark starts and measures.
            central_conn.execute("UPDATE etl.config SET value = 'false' WHERE key = 'schedule_enabled'")
            if real_schemas:
                ads_init.apply(settings)
                crm_init.apply(settings)
            else:
                for conn in (ads, crm):
                    apply_contract_schema(conn)
            service.import_credentials(credentials_from_settings(settings))
            if (service.state_dir, workflows) not in _imported:
                service.import_workflows(list(workflows))
                _imported.add((service.state_dir, workflows))
            yield EtlWorld(
                settings,
                central_conn,
                ads,
                crm,
                mongo_client[settings.mongodb.database],
                client,
                f"{redis_prefix}:dataver:sales",
            )
        finally:
            service.import_credentials(credentials_from_settings(restore_to or stack))


def as_before_the_first_run(world: EtlWorld) -> None:
    """Empty the summaries and reset the watermarks, so the next run is a true first run again."""
    world.central.execute(
        "TRUNCATE analytics.campaign_summary, analytics.campaign_channel_summary, "
        "analytics.campaign_market_summary, analytics.campaign_month_summary, "
        "analytics.campaign_summary_audit, analytics.content_images, analytics.ad_facts_daily, "
        "analytics.ad_facts_monthly, analytics.ad_facts_dekad, analytics.crm_facts_daily, "
        "analytics.crm_facts_monthly, "
        "analytics.dimension_names, etl.dirty_campaigns CASCADE"
    )
    world.central.execute("UPDATE etl.watermarks SET mark = 0")
