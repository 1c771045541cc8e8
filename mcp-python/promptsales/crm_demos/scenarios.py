"""The CR12 procedures on PostgreSQL: each procedure of
db-init/promptcrm/100_create_procedures_concurrency.sql as a function that sends the same statements in the
same order, one connection per session.

How a T-SQL step reads here (tests/crm/test_twins.py extracts both step lists and compares them):
- `SELECT ... WITH (UPDLOCK, ROWLOCK)` is `SELECT ... FOR UPDATE`; `@Name` is `%(name)s`;
- `BEGIN TRANSACTION ... COMMIT TRANSACTION` with its CATCH rollback is `with conn.transaction()`;
- `THROW n, N'message', 1` is `raise LoyaltyError(n, "message")`, same number, same message;
- `WAITFOR DELAY` is `time.sleep`; `EXEC` of another procedure is a call of its twin;
- `SET TRANSACTION ISOLATION LEVEL x` is `SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL x`,
  SNAPSHOT being REPEATABLE READ (PostgreSQL's snapshot isolation). A procedure gives its caller back the
  caller's level when it returns; a twin does the same in `finally`.
Connections are in autocommit mode, as a sqlcmd session is: a statement outside a transaction commits alone.

What PostgreSQL does differently, and honestly so: lost update, incorrect summary and deadlocks happen here
as on SQL Server and the same fixes remove them, but a dirty read cannot happen: PostgreSQL runs READ
UNCOMMITTED as READ COMMITTED, and a reader never waits for a writer, it reads the last committed version.
"""

from __future__ import annotations

import time

import psycopg

from promptsales.errors import PromptSalesError

# The statements, one constant each where two twins send the same one (as their T-SQL procedures do).
READ_BALANCE = "SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = %(client_id)s"
LOCK_BALANCE = READ_BALANCE + " FOR UPDATE"
SET_BALANCE = "UPDATE crm.Clients SET LoyaltyPoints = %(balance)s + %(points)s WHERE ClientId = %(client_id)s"
DEBIT = (
    "UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints - %(points)s WHERE ClientId = %(from_client_id)s"
)
CREDIT = "UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints + %(points)s WHERE ClientId = %(to_client_id)s"
SUM_LOW = "SELECT SUM(CAST(LoyaltyPoints AS BIGINT)) FROM crm.Clients WHERE ClientId <= %(split_client_id)s"
SUM_HIGH = "SELECT SUM(CAST(LoyaltyPoints AS BIGINT)) FROM crm.Clients WHERE ClientId > %(split_client_id)s"
READ_POINTS = "SELECT ClientId, LoyaltyPoints FROM crm.Clients WHERE ClientId = %(client_id)s"
ISOLATION = "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
DEFAULT_ISOLATION = "RESET default_transaction_isolation"
NO_SUCH_CLIENT = "Loyalty demo: the client does not exist."
SAME_CLIENT = "Loyalty demo: a transfer needs two different clients."
BAD_DELAY = "Loyalty demo: @DelaySeconds must be between 0 and 60."
FAILED_LATE = "Loyalty demo: the transfer failed at the end and was rolled back."


class LoyaltyError(PromptSalesError):
    """A rejection the T-SQL twin THROWs, with its error number and message: the number, as on SQL Server,
    is what a caller tells the rejections apart by (a bad argument, an unknown client, a late failure)."""

    def __init__(self, number: int, message: str):
        super().__init__(f"{number}: {message}")
        self.number = number
        self.message = message


def check_loyalty_arguments(points: int, delay_seconds: float) -> None:
    if points is None or points <= 0:
        raise LoyaltyError(51202, "Loyalty demo: @Points must be a positive number.")
    if delay_seconds is None or not 0 <= delay_seconds <= 60:
        raise LoyaltyError(51203, BAD_DELAY)


def add_points_unsafe(conn: psycopg.Connection, client_id: int, points: int, delay_seconds: float = 0) -> int:
    """Lost update, broken: read, wait, write the value read + points."""
    check_loyalty_arguments(points, delay_seconds)
    with conn.transaction():
        row = conn.execute(READ_BALANCE, {"client_id": client_id}).fetchone()
        if row is None:
            raise LoyaltyError(51201, NO_SUCH_CLIENT)
        time.sleep(delay_seconds)
        conn.execute(SET_BALANCE, {"balance": row[0], "points": points, "client_id": client_id})
    return conn.execute(READ_BALANCE, {"client_id": client_id}).fetchone()[0]


def add_points(conn: psycopg.Connection, client_id: int, points: int, delay_seconds: float = 0) -> int:
    """Lost update, fixed: the read locks the row until the commit."""
    check_loyalty_arguments(points, delay_seconds)
    with conn.transaction():
        row = conn.execute(LOCK_BALANCE, {"client_id": client_id}).fetchone()
        if row is None:
            raise LoyaltyError(51201, NO_SUCH_CLIENT)
        time.sleep(delay_seconds)
        conn.execute(SET_BALANCE, {"balance": row[0], "points": points, "client_id": client_id})
    return conn.execute(READ_BALANCE, {"client_id": client_id}).fetchone()[0]


def transfer_points_unsafe(
    conn: psycopg.Connection,
    from_client_id: int,
    to_client_id: int,
    points: int,
    delay_seconds: float = 0,
    roll_back_at_end: bool = False,
) -> None:
    """Deadlocks and dirty read, broken: each row locked when its UPDATE reaches it, in the order named."""
    check_loyalty_arguments(points, delay_seconds)
    if from_client_id == to_client_id:
        raise LoyaltyError(51204, SAME_CLIENT)
    arguments = {"points": points, "from_client_id": from_client_id, "to_client_id": to_client_id}
    with conn.transaction():
        if conn.execute(DEBIT, arguments).rowcount == 0:
            raise LoyaltyError(51201, NO_SUCH_CLIENT)
        time.sleep(delay_seconds)
        if conn.execute(CREDIT, arguments).rowcount == 0:
            raise LoyaltyError(51201, NO_SUCH_CLIENT)
        if roll_back_at_end:
            raise LoyaltyError(51205, FAILED_LATE)


def transfer_points(
    conn: psycopg.Connection,
    from_client_id: int,
    to_client_id: int,
    points: int,
    delay_seconds: float = 0,
    roll_back_at_end: bool = False,
) -> None:
    """Deadlocks, fixed: both rows locked first, lowest ClientId first, each lock its client's check."""
    check_loyalty_arguments(points, delay_seconds)
    if from_client_id == to_client_id:
        raise LoyaltyError(51204, SAME_CLIENT)
    low_client_id, high_client_id = sorted((from_client_id, to_client_id))
    arguments = {
        "points": points,
        "from_client_id": from_client_id,
        "to_client_id": to_client_id,
        "low_client_id": low_client_id,
        "high_client_id": high_client_id,
    }
    with conn.transaction():
        if (
            conn.execute(
                "SELECT ClientId FROM crm.Clients WHERE ClientId = %(low_client_id)s FOR UPDATE", arguments
            ).rowcount
            == 0
        ):
            raise LoyaltyError(51201, NO_SUCH_CLIENT)
        if (
            conn.execute(
                "SELECT ClientId FROM crm.Clients WHERE ClientId = %(high_client_id)s FOR UPDATE", arguments
            ).rowcount
            == 0
        ):
            raise LoyaltyError(51201, NO_SUCH_CLIENT)
        conn.execute(DEBIT, arguments)
        time.sleep(delay_seconds)
        conn.execute(CREDIT, arguments)
        if roll_back_at_end:
            raise LoyaltyError(51205, FAILED_LATE)


def report_total_unsafe(conn: psycopg.Connection, split_client_id: int, delay_seconds: float = 0) -> int:
    """Incorrect summary, broken: two READ COMMITTED sums, each statement its own transaction."""
    if delay_seconds is None or not 0 <= delay_seconds <= 60:
        raise LoyaltyError(51203, BAD_DELAY)
    split = {"split_client_id": split_client_id}
    try:
        conn.execute(ISOLATION + "READ COMMITTED")
        low = conn.execute(SUM_LOW, split).fetchone()[0]
        time.sleep(delay_seconds)
        high = conn.execute(SUM_HIGH, split).fetchone()[0]
    finally:
        conn.execute(DEFAULT_ISOLATION)
    return int(low + high)


def report_total(conn: psycopg.Connection, split_client_id: int, delay_seconds: float = 0) -> int:
    """Incorrect summary, fixed: both sums in one snapshot (REPEATABLE READ here, SNAPSHOT on SQL Server)."""
    if delay_seconds is None or not 0 <= delay_seconds <= 60:
        raise LoyaltyError(51203, BAD_DELAY)
    split = {"split_client_id": split_client_id}
    try:
        conn.execute(ISOLATION + "REPEATABLE READ")
        with conn.transaction():
            low = conn.execute(SUM_LOW, split).fetchone()[0]
            time.sleep(delay_seconds)
            high = conn.execute(SUM_HIGH, split).fetchone()[0]
    finally:
        conn.execute(DEFAULT_ISOLATION)
    return int(low + high)


def get_points_unsafe(conn: psycopg.Connection, client_id: int) -> int | None:
    """Dirty read, broken on SQL Server: READ UNCOMMITTED (which PostgreSQL runs as READ COMMITTED)."""
    try:
        conn.execute(ISOLATION + "READ UNCOMMITTED")
        row = conn.execute(READ_POINTS, {"client_id": client_id}).fetchone()
    finally:
        conn.execute(DEFAULT_ISOLATION)
    return None if row is None else row[1]


def get_points(conn: psycopg.Connection, client_id: int) -> int | None:
    """Dirty read, fixed: READ COMMITTED."""
    try:
        conn.execute(ISOLATION + "READ COMMITTED")
        row = conn.execute(READ_POINTS, {"client_id": client_id}).fetchone()
    finally:
        conn.execute(DEFAULT_ISOLATION)
    return None if row is None else row[1]


# Each T-SQL procedure and its PostgreSQL twin.
TWINS = {
    "crm.PRCRMSP_CheckLoyaltyArguments": check_loyalty_arguments,
    "crm.PRCRMSP_AddLoyaltyPointsUnsafe": add_points_unsafe,
    "crm.PRCRMSP_AddLoyaltyPoints": add_points,
    "crm.PRCRMSP_TransferLoyaltyPointsUnsafe": transfer_points_unsafe,
    "crm.PRCRMSP_TransferLoyaltyPoints": transfer_points,
    "crm.PRCRMSP_ReportLoyaltyTotalUnsafe": report_total_unsafe,
    "crm.PRCRMSP_ReportLoyaltyTotal": report_total,
    "crm.PRCRMSP_GetLoyaltyPointsUnsafe": get_points_unsafe,
    "crm.PRCRMSP_GetLoyaltyPoints": get_points,
}
