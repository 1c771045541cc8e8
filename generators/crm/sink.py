"""Writing generated CRM tables: COPY into the PostgreSQL stand-in, or pyodbc fast_executemany into SQL Server."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import psycopg
from promptsales import interrupts, progress
from promptsales.errors import Unavailable
from promptsales.generators.crm import pgbinary
from promptsales.generators.crm.build import Table

CHUNK_ROWS = 200_000
SMALL_TABLE_ROWS = 10_000  # reference tables: row by row is simpler and as fast
# Children first: the order in which the previous generated data is removed.
GENERATED_TABLES = (
    "crm.Sales",
    "crm.Interactions",
    "crm.Leads",
    "crm.ClientCampaigns",
    "crm.Clients",
    "crm.MarketHubs",
    "crm.Cities",
)
# Followed by crm.CampaignChanges (db-init/promptcrm/035_create_campaign_change_log_triggers.sql).
CHANGE_LOGGED_TABLES = ("crm.Sales", "crm.Leads", "crm.ClientCampaigns")
IDENTITY_COLUMNS = {
    "crm.Clients": "ClientId",
    "crm.Leads": "LeadId",
    "crm.Interactions": "InteractionId",
    "crm.Sales": "SaleId",
}


def _column_types(cur: psycopg.Cursor, table: Table) -> list[str]:
    schema, name = table.name.lower().split(".")
    rows = cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s",
        (schema, name),
    ).fetchall()
    types = dict(rows)
    missing = [c for c in table.columns if c.lower() not in types]
    if missing:
        raise Unavailable(
            f"{table.name} on the stand-in lacks {', '.join(missing)}: run `promptsales db init`"
        )
    return [types[c.lower()] for c in table.columns]


def _set_aside_indexes_and_foreign_keys(cur: psycopg.Cursor) -> list[str]:
    """Drop the secondary indexes and foreign keys of the generated tables; return the DDL that restores them.

    Building an index once over loaded rows, and checking a foreign key with one join, is many times faster
    than maintaining them row by row during COPY. The definitions come from the catalog, so they are
    exactly what `db init` created from the T-SQL; everything happens inside the load transaction.
    """
    tables = [name.lower() for name in GENERATED_TABLES]
    foreign_keys = cur.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname, "
        "pg_get_constraintdef(c.oid)), format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname) "
        "FROM pg_constraint AS c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
        (tables,),
    ).fetchall()
    indexes = cur.execute(
        "SELECT i.indexdef, format('DROP INDEX %%I.%%I', i.schemaname, i.indexname) FROM pg_indexes AS i "
        "WHERE i.schemaname || '.' || i.tablename = ANY(%s) AND NOT EXISTS ("
        "SELECT 1 FROM pg_constraint AS c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
        "quote_ident(i.indexname))::regclass)",
        (tables,),
    ).fetchall()
    for _, drop in foreign_keys + indexes:
        cur.execute(drop)
    return [create for create, _ in indexes] + [create for create, _ in foreign_keys]


def load_standin(conn: psycopg.Connection, tables: list[Table]) -> dict[str, int]:
    """Replace the generated data in one transaction: TRUNCATE, then COPY each table. Ctrl-C rolls it back,
    or waits for a commit under way (promptsales.interrupts)."""
    counts: dict[str, int] = {}
    with interrupts.atomic(conn, "promptcrm"), conn.cursor() as cur:
        restore = _set_aside_indexes_and_foreign_keys(cur)
        # TRUNCATE fires no trigger: the rows the change log follows are deleted first (no index or foreign
        # key left to maintain) so its triggers record their removal, as the SQL Server load's DELETE does.
        for name in CHANGE_LOGGED_TABLES:
            cur.execute(f"DELETE FROM {name}")
        cur.execute(f"TRUNCATE {', '.join(GENERATED_TABLES)} RESTART IDENTITY")
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index builds sort in memory
        progress.report("promptcrm: loading")
        for table in tables:
            progress.rows(table.name, 0, len(table))
            if len(table) < SMALL_TABLE_ROWS:
                with cur.copy(f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN") as copy:
                    for row in _python_rows(table, 0, len(table)):
                        copy.write_row(row)
            else:
                types = _column_types(cur, table)
                columns = [(t, v, c in table.cents) for t, v, c in zip(types, table.values, table.columns)]
                with cur.copy(
                    f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    for block in pgbinary.encode(columns):
                        copy.write(block)
            counts[table.name] = len(table)
            progress.rows(table.name, len(table), len(table))
        progress.report("promptcrm: rebuilding indexes and foreign keys, committing")
        for statement in restore:
            cur.execute(statement)
        # Rows came with explicit ids: move each identity past them so later inserts do not collide.
        for name, column in IDENTITY_COLUMNS.items():
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{name.lower()}', '{column.lower()}'), "
                f"GREATEST((SELECT MAX({column}) FROM {name}), 1))"
            )
    progress.report("promptcrm: ANALYZE")
    conn.execute("ANALYZE crm.Clients, crm.ClientCampaigns, crm.Leads, crm.Interactions, crm.Sales")
    return counts


def _python_rows(table: Table, start: int, stop: int) -> list[tuple]:
    columns = []
    for index, name in enumerate(table.columns):
        values = table.values[index][start:stop]
        if name in table.cents:
            columns.append([Decimal(c).scaleb(-2) for c in np.asarray(values).tolist()])
        else:
            columns.append(values.tolist() if isinstance(values, np.ndarray) else list(values))
    return list(zip(*columns))


def load_sqlserver(connection, tables: list[Table]) -> dict[str, int]:
    """The production path: DELETE the generated rows, then fast_executemany in chunks, one transaction."""
    counts: dict[str, int] = {}
    cursor = connection.cursor()
    cursor.fast_executemany = True
    try:
        for name in GENERATED_TABLES:
            cursor.execute(f"DELETE FROM {name}")  # TRUNCATE is refused on tables that foreign keys reference
        for table in tables:
            progress.rows(table.name, 0, len(table))
            identity = table.name in IDENTITY_COLUMNS
            if identity:
                cursor.execute(f"SET IDENTITY_INSERT {table.name} ON")
            insert = (
                f"INSERT INTO {table.name} ({', '.join(table.columns)}) "
                f"VALUES ({', '.join('?' for _ in table.columns)})"
            )
            for start in range(0, len(table), CHUNK_ROWS):
                cursor.executemany(insert, _python_rows(table, start, min(start + CHUNK_ROWS, len(table))))
                progress.rows(table.name, min(start + CHUNK_ROWS, len(table)), len(table))
            if identity:
                cursor.execute(f"SET IDENTITY_INSERT {table.name} OFF")
            counts[table.name] = len(table)
        with interrupts.held():
            connection.commit()
            interrupts.committed("promptcrm")
    except Exception:
        connection.rollback()
        raise
    return counts
