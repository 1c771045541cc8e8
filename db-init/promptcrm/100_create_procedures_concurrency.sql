-- CR12: the procedures behind the concurrency demos, each as a broken version (suffix Unsafe) and a fixed
-- version that does the same work without the problem.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 100_create_procedures_concurrency.sql
--   then the demos 110-150 (each header says which window runs what, and when).
-- Stand-in: sqlserver-only — T-SQL procedures with WAITFOR and isolation hints; the same broken/fixed pairs
--   run on PostgreSQL from promptsales.crm_demos.scenarios (tests/crm/test_concurrency.py).
--
-- All of them work on crm.Clients.LoyaltyPoints: points are money-like (a CHECK keeps them >= 0), so a lost
-- or double-counted point is visible in one number. @DelaySeconds widens the window between the steps
-- so that two people at two keyboards can hit it; production callers pass 0.
--
-- | problem            | broken                                   | fixed                                        |
-- |--------------------|------------------------------------------|----------------------------------------------|
-- | lost update        | read, wait, write the value read + n     | UPDLOCK on the read: the second caller waits |
-- | incorrect summary  | two READ COMMITTED sums, a transfer      | both sums in one SNAPSHOT transaction        |
-- |                    | commits between them                     |                                              |
-- | dirty read         | READ UNCOMMITTED sees a debit that is    | READ COMMITTED waits for the outcome         |
-- |                    | later rolled back                        |                                              |
-- | deadlock (2 and 3) | rows locked in argument order            | rows locked in ClientId order                |

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- Argument checks every loyalty procedure runs first. They read no table, so running them before the
-- transaction takes no lock and changes no lock order.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_CheckLoyaltyArguments
    @Points INT,
    @DelaySeconds INT
AS
BEGIN
    SET NOCOUNT ON;
    IF @Points IS NULL OR @Points <= 0
        THROW 51202, N'Loyalty demo: @Points must be a positive number.', 1;
    IF @DelaySeconds IS NULL OR @DelaySeconds NOT BETWEEN 0 AND 60
        THROW 51203, N'Loyalty demo: @DelaySeconds must be between 0 and 60.', 1;
END;
GO

-- Lost update, broken: two callers read the same balance and the second write overwrites the first. The
-- read takes a shared lock only for the length of the statement, so nothing stops the other caller.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_AddLoyaltyPointsUnsafe
    @ClientId INT,
    @Points INT,
    @DelaySeconds INT = 0
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    EXEC crm.PRCRMSP_CheckLoyaltyArguments @Points, @DelaySeconds;
    DECLARE @Wait CHAR(8) = CONVERT(CHAR(8), DATEADD(SECOND, @DelaySeconds, CAST('00:00:00' AS TIME)), 108);
    DECLARE @Balance INT;
    BEGIN TRY
        BEGIN TRANSACTION;
        SELECT @Balance = LoyaltyPoints FROM crm.Clients WHERE ClientId = @ClientId;
        IF @@ROWCOUNT = 0
            THROW 51201, N'Loyalty demo: the client does not exist.', 1;
        WAITFOR DELAY @Wait;
        UPDATE crm.Clients SET LoyaltyPoints = @Balance + @Points WHERE ClientId = @ClientId;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
    SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = @ClientId;
END;
GO

-- Lost update, fixed: UPDLOCK makes the read itself take the row until the commit, so the second caller
-- reads only after the first has written.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_AddLoyaltyPoints
    @ClientId INT,
    @Points INT,
    @DelaySeconds INT = 0
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    EXEC crm.PRCRMSP_CheckLoyaltyArguments @Points, @DelaySeconds;
    DECLARE @Wait CHAR(8) = CONVERT(CHAR(8), DATEADD(SECOND, @DelaySeconds, CAST('00:00:00' AS TIME)), 108);
    DECLARE @Balance INT;
    BEGIN TRY
        BEGIN TRANSACTION;
        SELECT @Balance = LoyaltyPoints FROM crm.Clients WITH (UPDLOCK, ROWLOCK) WHERE ClientId = @ClientId;
        IF @@ROWCOUNT = 0
            THROW 51201, N'Loyalty demo: the client does not exist.', 1;
        WAITFOR DELAY @Wait;
        UPDATE crm.Clients SET LoyaltyPoints = @Balance + @Points WHERE ClientId = @ClientId;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
    SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = @ClientId;
END;
GO

-- Deadlocks and dirty read, broken: debit then credit, each row locked (exclusive, until the commit) when
-- its UPDATE reaches it, in the order the caller named them. The client checks are the UPDATEs' own row
-- counts, inside the transaction: a check that read the second client before BEGIN TRANSACTION would
-- wait there holding nothing, and no deadlock could form. @RollBackAtEnd = 1 undoes everything after the
-- wait (a transfer that fails late), which is what a READ UNCOMMITTED reader must never have seen.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_TransferLoyaltyPointsUnsafe
    @FromClientId INT,
    @ToClientId INT,
    @Points INT,
    @DelaySeconds INT = 0,
    @RollBackAtEnd BIT = 0
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    EXEC crm.PRCRMSP_CheckLoyaltyArguments @Points, @DelaySeconds;
    IF @FromClientId = @ToClientId
        THROW 51204, N'Loyalty demo: a transfer needs two different clients.', 1;
    DECLARE @Wait CHAR(8) = CONVERT(CHAR(8), DATEADD(SECOND, @DelaySeconds, CAST('00:00:00' AS TIME)), 108);
    BEGIN TRY
        BEGIN TRANSACTION;
        UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints - @Points WHERE ClientId = @FromClientId;
        IF @@ROWCOUNT = 0
            THROW 51201, N'Loyalty demo: the client does not exist.', 1;
        WAITFOR DELAY @Wait;
        UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints + @Points WHERE ClientId = @ToClientId;
        IF @@ROWCOUNT = 0
            THROW 51201, N'Loyalty demo: the client does not exist.', 1;
        IF @RollBackAtEnd = 1
            THROW 51205, N'Loyalty demo: the transfer failed at the end and was rolled back.', 1;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO

-- Deadlocks, fixed: the same debit and credit, but both rows are locked first (UPDLOCK, held until the
-- commit), lowest ClientId first, and each lock is the existence check of its client. Every caller
-- queues on the same first row, so no cycle can form, whatever the direction of the transfers.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_TransferLoyaltyPoints
    @FromClientId INT,
    @ToClientId INT,
    @Points INT,
    @DelaySeconds INT = 0,
    @RollBackAtEnd BIT = 0
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    EXEC crm.PRCRMSP_CheckLoyaltyArguments @Points, @DelaySeconds;
    IF @FromClientId = @ToClientId
        THROW 51204, N'Loyalty demo: a transfer needs two different clients.', 1;
    DECLARE @Wait CHAR(8) = CONVERT(CHAR(8), DATEADD(SECOND, @DelaySeconds, CAST('00:00:00' AS TIME)), 108);
    DECLARE @LowClientId INT = IIF(@FromClientId < @ToClientId, @FromClientId, @ToClientId);
    DECLARE @HighClientId INT = IIF(@FromClientId < @ToClientId, @ToClientId, @FromClientId);
    DECLARE @Locked INT;
    BEGIN TRY
        BEGIN TRANSACTION;
        SELECT @Locked = ClientId FROM crm.Clients WITH (UPDLOCK, ROWLOCK) WHERE ClientId = @LowClientId;
        IF @@ROWCOUNT = 0
            THROW 51201, N'Loyalty demo: the client does not exist.', 1;
        SELECT @Locked = ClientId FROM crm.Clients WITH (UPDLOCK, ROWLOCK) WHERE ClientId = @HighClientId;
        IF @@ROWCOUNT = 0
            THROW 51201, N'Loyalty demo: the client does not exist.', 1;
        UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints - @Points WHERE ClientId = @FromClientId;
        WAITFOR DELAY @Wait;
        UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints + @Points WHERE ClientId = @ToClientId;
        IF @RollBackAtEnd = 1
            THROW 51205, N'Loyalty demo: the transfer failed at the end and was rolled back.', 1;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO

-- Incorrect summary, broken: the total is read in two READ COMMITTED statements, each its own
-- transaction; a transfer that commits between them from an already-counted client to a not-yet-counted
-- one is counted twice.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_ReportLoyaltyTotalUnsafe
    @SplitClientId INT,
    @DelaySeconds INT = 0,
    @Total BIGINT = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    IF @DelaySeconds IS NULL OR @DelaySeconds NOT BETWEEN 0 AND 60
        THROW 51203, N'Loyalty demo: @DelaySeconds must be between 0 and 60.', 1;
    DECLARE @Wait CHAR(8) = CONVERT(CHAR(8), DATEADD(SECOND, @DelaySeconds, CAST('00:00:00' AS TIME)), 108);
    DECLARE @Low BIGINT;
    DECLARE @High BIGINT;
    SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
    SELECT @Low = SUM(CAST(LoyaltyPoints AS BIGINT)) FROM crm.Clients WHERE ClientId <= @SplitClientId;
    WAITFOR DELAY @Wait;
    SELECT @High = SUM(CAST(LoyaltyPoints AS BIGINT)) FROM crm.Clients WHERE ClientId > @SplitClientId;
    SET @Total = @Low + @High;
    SELECT @Total AS TotalLoyaltyPoints;
END;
GO

-- Incorrect summary, fixed: the same two sums inside one SNAPSHOT transaction read one point in time
-- (needs ALLOW_SNAPSHOT_ISOLATION ON, 000_create_database.sql) and block no writer. The total also comes
-- back as an OUTPUT parameter: INSERT ... EXEC would wrap the call in a transaction that did not start
-- under SNAPSHOT, which SQL Server refuses (error 3951).
CREATE OR ALTER PROCEDURE crm.PRCRMSP_ReportLoyaltyTotal
    @SplitClientId INT,
    @DelaySeconds INT = 0,
    @Total BIGINT = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    IF @DelaySeconds IS NULL OR @DelaySeconds NOT BETWEEN 0 AND 60
        THROW 51203, N'Loyalty demo: @DelaySeconds must be between 0 and 60.', 1;
    DECLARE @Wait CHAR(8) = CONVERT(CHAR(8), DATEADD(SECOND, @DelaySeconds, CAST('00:00:00' AS TIME)), 108);
    DECLARE @Low BIGINT;
    DECLARE @High BIGINT;
    SET TRANSACTION ISOLATION LEVEL SNAPSHOT;
    BEGIN TRY
        BEGIN TRANSACTION;
        SELECT @Low = SUM(CAST(LoyaltyPoints AS BIGINT)) FROM crm.Clients WHERE ClientId <= @SplitClientId;
        WAITFOR DELAY @Wait;
        SELECT @High = SUM(CAST(LoyaltyPoints AS BIGINT)) FROM crm.Clients WHERE ClientId > @SplitClientId;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
    SET @Total = @Low + @High;
    SELECT @Total AS TotalLoyaltyPoints;
END;
GO

-- Dirty read, broken: READ UNCOMMITTED returns whatever is in the row now, committed or not.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_GetLoyaltyPointsUnsafe
    @ClientId INT
AS
BEGIN
    SET NOCOUNT ON;
    SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;
    SELECT ClientId, LoyaltyPoints FROM crm.Clients WHERE ClientId = @ClientId;
END;
GO

-- Dirty read, fixed: READ COMMITTED waits until the writer commits or rolls back, then returns the real value.
CREATE OR ALTER PROCEDURE crm.PRCRMSP_GetLoyaltyPoints
    @ClientId INT
AS
BEGIN
    SET NOCOUNT ON;
    SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
    SELECT ClientId, LoyaltyPoints FROM crm.Clients WHERE ClientId = @ClientId;
END;
GO

-- Upgrade: databases made before the client checks moved inside the transactions still hold the old
-- checker, which read crm.Clients before BEGIN TRANSACTION; nothing calls it any more.
IF OBJECT_ID(N'crm.PRCRMSP_ValidateLoyaltyArguments', N'P') IS NOT NULL
    DROP PROCEDURE crm.PRCRMSP_ValidateLoyaltyArguments;
GO
