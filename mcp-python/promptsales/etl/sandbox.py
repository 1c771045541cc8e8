"""An isolated ETL world on the local stack: fresh central, stand-in and MongoDB databases, with the
n8n credentials pointed at them while it is open and restored from settings afterwards.

The ETL tests and `bench/etl_runs.py` use it, so neither disturbs the stack's own data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from promptsales import clients
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import central
from promptsales.dbinit import crm as crm_init
from promptsales.etl.workflow import ON_ERROR_PATH, WORKFLOW_PATH
from promptsales.localstack.n8n import N8nService
from promptsales.localstack.postgres import PostgresService
from promptsales.n8n_client import N8nClient
from promptsales.n8n_credentials import credentials_from_settings
from promptsales.settings import Settings
from promptsales.standin import postgres_file
from promptsales.standin.transform import STANDIN_PRELUDE

CONTRACT_DDL = Path(__file__).with_name("standin_contract.sql")
# The change-log triggers as `db init` puts them on the real stand-ins. CONTRACT_DDL builds both schemas
# on both connections, so both files run on both and the two contract databases stay alike.
CHANGE_LOG_TRIGGERS = (postgres_file(ads_init.SQL_DIR / "055_create_result_change_log_triggers.sql"),
                       postgres_file(crm_init.SQL_DIR / "035_create_campaign_change_log_triggers.sql"))
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
def isolated_etl(stack: Settings, real_schemas: bool = False, restore_to: Settings | None = None,
                 n8n: N8nService | None = None,
                 workflows: tuple[Path, ...] = (ON_ERROR_PATH, WORKFLOW_PATH)) -> Iterator[EtlWorld]:
    """real_schemas: build the stand-ins with promptsales.dbinit.ads/crm (for the real generators);
    otherwise with the contract subset that promptsales.etl.sample fills. restore_to: whose databases
    the n8n credentials point at afterwards (default: the stack's own, from settings). n8n: the n8n to run
    in (default: the stack's own) and workflows: the ETL files imported into it (default: the committed ones)."""
    admin = PostgresService(stack)
    suffix = uuid.uuid4().hex[:8]
    names = {"database": f"etl_central_{suffix}", "ads_standin_database": f"etl_ads_{suffix}",
             "crm_standin_database": f"etl_crm_{suffix}"}
    for name in names.values():
        admin.create_database(name)
    mongo_name = f"etl_content_{suffix}"
    settings = stack.model_copy(update={
        "postgres": stack.postgres.model_copy(update=names),
        "mongodb": stack.mongodb.model_copy(update={"database": mongo_name}),
    })
    service = n8n or N8nService(stack)
    mongo_client = clients.mongo(settings)
    opened: list[psycopg.Connection] = []
    client = N8nClient(service.full_settings, timeout=600)
    try:
        central.apply(settings)
        central_conn = clients.postgres(settings, autocommit=True)
        ads = clients.ads_standin(settings, autocommit=True)
        crm = clients.crm_standin(settings, autocommit=True)
        opened += [central_conn, ads, crm]
        redis_prefix = f"etltest{suffix}"
        central_conn.execute("UPDATE etl.config SET value = %s WHERE key = 'redis_key_prefix'", (redis_prefix,))
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
        yield EtlWorld(settings, central_conn, ads, crm, mongo_client[mongo_name], client,
                       f"{redis_prefix}:dataver:sales")
    finally:
        client.close()
        service.import_credentials(credentials_from_settings(restore_to or stack))
        for conn in opened:
            conn.close()
        mongo_client.drop_database(mongo_name)
        mongo_client.close()
        for name in names.values():
            admin.drop_database(name)
