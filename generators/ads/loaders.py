"""Writing a generated PromptAds world: COPY into the PostgreSQL stand-in, fast_executemany into SQL Server.

Both replace the previous generated data in one transaction, so readers see the old world or the new
one, never half of each; Ctrl-C rolls it back, or waits for a commit under way (promptsales.interrupts).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import psycopg
from promptsales import interrupts, progress
from promptsales.generators.ads.tables import COLUMNS, Table
from psycopg import sql

IDENTITY_TABLES = ("Brands", "Campaigns", "Ads")
# Derived from the generated tables by the PA5 MERGE; emptied so it never describes an older world.
DERIVED_TABLES = ("CampaignPerformance",)
DECIMAL_COLUMNS = {"Budget", "UnitPrice", "ExposureHours", "Cost", "Revenue"}
SQLSERVER_CHUNK_ROWS = 10_000
PROGRESS_EVERY_ROWS = 20_000


def _python_column(values: object) -> list:
    """numpy columns as Python values the drivers understand (datetime64[D] -> date, int64 -> int)."""
    return values.tolist() if isinstance(values, np.ndarray) else list(values)  # type: ignore[arg-type]


def rows(table: Table, name: str) -> Iterator[tuple]:
    return zip(*(_python_column(table.columns[column]) for column in COLUMNS[name]))


def load_standin(conn: psycopg.Connection, world: dict[str, Table]) -> None:
    every_table = ", ".join(f"ads.{name}" for name in (*DERIVED_TABLES, *reversed(list(COLUMNS))))
    with interrupts.atomic(conn, "promptads"):
        # Row-by-row foreign-key checks make COPY about ten times slower; PostgreSQL's own advice for
        # bulk loads ("Populating a Database") is to drop them and the secondary indexes and add them
        # back, which checks and sorts every row at once. Same transaction, so a failed load puts them
        # back with the old data.
        foreign_keys = conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = 'ads'::regnamespace ORDER BY conname"
        ).fetchall()
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = 'ads'::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1"
        ).fetchall()
        for table, name, _ in foreign_keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name))
            )
        for index, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(index)))
        # TRUNCATE fires no trigger: the results are deleted first so the change-log trigger records their
        # removal (as the SQL Server load, which deletes, does), and the ETL's next delta subtracts them.
        conn.execute("DELETE FROM ads.adresults")
        conn.execute(f"TRUNCATE {every_table} RESTART IDENTITY")
        with conn.cursor() as cursor:
            for name, table in world.items():
                columns = ", ".join(COLUMNS[name])
                progress.report("promptads: loading")
                with cursor.copy(f"COPY ads.{name} ({columns}) FROM STDIN") as copy:
                    for count, row in enumerate(rows(table, name)):
                        if count % PROGRESS_EVERY_ROWS == 0:
                            progress.rows(f"ads.{name}", count, len(table))
                        copy.write_row(row)
        progress.report("promptads: rebuilding indexes and foreign keys, committing")
        for _, definition in indexes:
            conn.execute(sql.SQL(definition))
        for table, name, definition in foreign_keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.SQL(table), sql.Identifier(name), sql.SQL(definition)
                )
            )
        # Identity columns were written explicitly; move their generators past the loaded ids.
        for name in IDENTITY_TABLES:
            key = COLUMNS[name][0]
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('ads.{name.lower()}', '{key.lower()}'), "
                f"COALESCE((SELECT MAX({key}) FROM ads.{name}), 0) + 1, false)"
            )
    progress.report("promptads: ANALYZE")
    conn.execute("ANALYZE")


def load_sqlserver(connection, world: dict[str, Table]) -> None:
    """The production path: pyodbc with fast_executemany, in chunks, explicit ids via IDENTITY_INSERT."""
    cursor = connection.cursor()
    cursor.fast_executemany = True
    try:
        for name in (*DERIVED_TABLES, *reversed(list(COLUMNS))):
            cursor.execute(f"DELETE FROM ads.{name}")
        for name, table in world.items():
            progress.rows(f"ads.{name}", 0, len(table))
            columns = COLUMNS[name]
            statement = (
                f"INSERT INTO ads.{name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
            )
            decimals = [i for i, column in enumerate(columns) if column in DECIMAL_COLUMNS]
            if name in IDENTITY_TABLES:
                cursor.execute(f"SET IDENTITY_INSERT ads.{name} ON")
            chunk: list[tuple] = []
            for row in rows(table, name):
                if decimals:
                    row = tuple(Decimal(str(v)) if i in decimals else v for i, v in enumerate(row))
                chunk.append(row)
                if len(chunk) == SQLSERVER_CHUNK_ROWS:
                    cursor.executemany(statement, chunk)
                    chunk = []
            if chunk:
                cursor.executemany(statement, chunk)
            if name in IDENTITY_TABLES:
                cursor.execute(f"SET IDENTITY_INSERT ads.{name} OFF")
        with interrupts.held():
            connection.commit()
            interrupts.committed("promptads")
    except Exception:
        connection.rollback()
        raise
    finally:
        cursor.close()
