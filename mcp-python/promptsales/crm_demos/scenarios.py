"""The CR12 procedures on PostgreSQL: each broken version and its fix, one connection per session.

They mirror the T-SQL of db-init/promptcrm/100_create_procedures_concurrency.sql step for step; the pause
between steps plays the role of WAITFOR DELAY. What PostgreSQL does differently, and honestly so:
- Lost update, incorrect summary and deadlocks happen here as on SQL Server, and the same fixes remove them
  (FOR UPDATE for UPDLOCK, REPEATABLE READ for SNAPSHOT, locking rows in ClientId order).
- A dirty read cannot happen: PostgreSQL runs READ UNCOMMITTED as READ COMMITTED, and a reader never waits
  for the writer either, it reads the last committed version. `read_points` shows it.
"""

from __future__ import annotations

import time

import psycopg

ISOLATION = {
    "read uncommitted": psycopg.IsolationLevel.READ_UNCOMMITTED,
    "read committed": psycopg.IsolationLevel.READ_COMMITTED,
    "repeatable read": psycopg.IsolationLevel.REPEATABLE_READ,
}


class PlannedRollback(Exception):
    """The transfer of the dirty-read demo fails on purpose after its pause."""


def _check(points: int, pause: float) -> None:
    if points <= 0:
        raise ValueError("points must be a positive number")
    if not 0 <= pause <= 60:
        raise ValueError("pause must be between 0 and 60 seconds")


def add_points(conn: psycopg.Connection, client_id: int, points: int, pause: float, fixed: bool) -> int:
    """Lost update. Broken: read, pause, write the value read + points. Fixed: the read locks the row."""
    _check(points, pause)
    lock = " FOR UPDATE" if fixed else ""
    with conn.transaction():
        row = conn.execute(f"SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = %s{lock}", (client_id,)).fetchone()
        if row is None:
            raise ValueError(f"client {client_id} does not exist")
        time.sleep(pause)
        conn.execute("UPDATE crm.Clients SET LoyaltyPoints = %s WHERE ClientId = %s", (row[0] + points, client_id))
    return row[0] + points


def transfer_points(conn: psycopg.Connection, from_client: int, to_client: int, points: int, pause: float,
                    fixed: bool, roll_back_at_end: bool = False) -> None:
    """Deadlocks. Broken: rows locked in the order named. Fixed: both rows locked first, lowest ClientId first."""
    _check(points, pause)
    if from_client == to_client:
        raise ValueError("a transfer needs two different clients")
    with conn.transaction():
        if fixed:
            for client_id in sorted((from_client, to_client)):
                conn.execute("SELECT 1 FROM crm.Clients WHERE ClientId = %s FOR UPDATE", (client_id,))
        conn.execute("UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints - %s WHERE ClientId = %s",
                     (points, from_client))
        time.sleep(pause)
        conn.execute("UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints + %s WHERE ClientId = %s",
                     (points, to_client))
        if roll_back_at_end:
            raise PlannedRollback("the transfer failed at the end and was rolled back")


def report_total(conn: psycopg.Connection, split_client: int, pause: float, fixed: bool) -> int:
    """Incorrect summary. Broken: two READ COMMITTED sums. Fixed: both sums in one REPEATABLE READ snapshot."""
    _check(1, pause)
    conn.isolation_level = ISOLATION["repeatable read" if fixed else "read committed"]
    try:
        with conn.transaction():
            low = conn.execute("SELECT COALESCE(SUM(LoyaltyPoints), 0) FROM crm.Clients WHERE ClientId <= %s",
                               (split_client,)).fetchone()[0]
            time.sleep(pause)
            high = conn.execute("SELECT COALESCE(SUM(LoyaltyPoints), 0) FROM crm.Clients WHERE ClientId > %s",
                                (split_client,)).fetchone()[0]
    finally:
        conn.isolation_level = None
    return int(low + high)


def read_points(conn: psycopg.Connection, client_id: int, isolation: str) -> int:
    """Dirty read: what a reader sees of a client's points at the given isolation level."""
    conn.isolation_level = ISOLATION[isolation]
    try:
        with conn.transaction():
            return conn.execute("SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = %s", (client_id,)).fetchone()[0]
    finally:
        conn.isolation_level = None
