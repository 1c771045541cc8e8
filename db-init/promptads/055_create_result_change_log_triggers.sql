-- PromptAds: the triggers that keep ads.ResultChanges (050_) in step with ads.AdResults and ads.Ads,
-- the one that marks a campaign that lost an ad as changed, and the one that keeps the tombstones of
-- deleted campaigns (ads.DeletedCampaigns, 050_).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER TRIGGER).
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/055_create_result_change_log_triggers.sql
--   (also applied by `promptsales db init`).
-- Stand-in: postgres-file standin/055_create_result_change_log_triggers.sql — T-SQL triggers read the
--   inserted/deleted pseudo-tables; PostgreSQL needs a PL/pgSQL function and transition tables instead.
--
-- The invariant both triggers keep, per (CampaignId, ChannelId, MarketId, ResultDate): the SUM of
-- every column over the whole log equals the same aggregate over the valid live rows of ads.AdResults
-- joined to ads.Ads. Valid: every measure zero or more (NULL is not), a ResultDate, an ad with a market.
-- * One INSERT per statement, netted per group: a statement that touches a million rows writes one log
--   row per group it changed, and an UPDATE that changes no measure (HAVING) writes nothing.
-- * Results are logged under their ad's current CampaignId/MarketId, so when an ad changes either,
--   TR_Ads_LogResultMoves moves its results: out of the old group, into the new one.
-- * Ads needs no INSERT or DELETE trigger for the log: a new ad has no results yet, and the foreign key
--   only lets an ad go after its results, whose deletion TR_AdResults_LogChanges has already logged.
-- * TR_Ads_TouchCampaignLeft is not about the log: a campaign that loses an ad (deleted, or moved to
--   another campaign) may lose an image code, and a row that left has no RowVer to show it, so the
--   campaign row is touched (its RowVer moves) and the next ETL run reads its attributes again.
-- * TR_Campaigns_LogDeletes: a deleted campaign has no row left at all, so its id is written to
--   ads.DeletedCampaigns, whose RowVer the next ETL run reads (and drops the campaign's summary).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

CREATE OR ALTER TRIGGER ads.TR_AdResults_LogChanges
ON ads.AdResults
AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO ads.ResultChanges (CampaignId, ChannelId, MarketId, ResultDate, Results, AudienceReached,
        Views, Likes, Interactions, Sales, ExposureHours, Cost, Revenue)
    SELECT c.CampaignId, c.ChannelId, c.MarketId, c.ResultDate, SUM(c.Results), SUM(c.AudienceReached),
        SUM(c.Views), SUM(c.Likes), SUM(c.Interactions), SUM(c.Sales), SUM(c.ExposureHours), SUM(c.Cost),
        SUM(c.Revenue)
    FROM (
        -- BIGINT before summing: the INT measures of a busy group can outgrow INT.
        SELECT a.CampaignId, r.ChannelId, a.MarketId, r.ResultDate,
            r.Sign AS Results, r.Sign * CAST(r.AudienceReached AS BIGINT) AS AudienceReached,
            r.Sign * CAST(r.Views AS BIGINT) AS Views, r.Sign * CAST(r.Likes AS BIGINT) AS Likes,
            r.Sign * CAST(r.Interactions AS BIGINT) AS Interactions, r.Sign * CAST(r.Sales AS BIGINT) AS Sales,
            r.Sign * r.ExposureHours AS ExposureHours, r.Sign * r.Cost AS Cost, r.Sign * r.Revenue AS Revenue
        FROM (
            SELECT 1 AS Sign, AdId, ChannelId, ResultDate, AudienceReached, Views, Likes, Interactions, Sales,
                ExposureHours, Cost, Revenue
            FROM inserted
            UNION ALL
            SELECT -1 AS Sign, AdId, ChannelId, ResultDate, AudienceReached, Views, Likes, Interactions, Sales,
                ExposureHours, Cost, Revenue
            FROM deleted
        ) AS r
        INNER JOIN ads.Ads AS a ON a.AdId = r.AdId
        WHERE r.ResultDate IS NOT NULL AND r.Revenue >= 0 AND r.Cost >= 0 AND r.Sales >= 0 AND r.Views >= 0
            AND r.Likes >= 0 AND r.Interactions >= 0 AND r.AudienceReached >= 0 AND r.ExposureHours >= 0
            AND a.MarketId IS NOT NULL
    ) AS c
    GROUP BY c.CampaignId, c.ChannelId, c.MarketId, c.ResultDate
    HAVING SUM(c.Results) <> 0 OR SUM(c.AudienceReached) <> 0 OR SUM(c.Views) <> 0 OR SUM(c.Likes) <> 0
        OR SUM(c.Interactions) <> 0 OR SUM(c.Sales) <> 0 OR SUM(c.ExposureHours) <> 0 OR SUM(c.Cost) <> 0
        OR SUM(c.Revenue) <> 0;
END;
GO

CREATE OR ALTER TRIGGER ads.TR_Ads_LogResultMoves
ON ads.Ads
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO ads.ResultChanges (CampaignId, ChannelId, MarketId, ResultDate, Results, AudienceReached,
        Views, Likes, Interactions, Sales, ExposureHours, Cost, Revenue)
    SELECT c.CampaignId, c.ChannelId, c.MarketId, c.ResultDate, SUM(c.Results), SUM(c.AudienceReached),
        SUM(c.Views), SUM(c.Likes), SUM(c.Interactions), SUM(c.Sales), SUM(c.ExposureHours), SUM(c.Cost),
        SUM(c.Revenue)
    FROM (
        SELECT a.CampaignId, r.ChannelId, a.MarketId, r.ResultDate,
            a.Sign AS Results, a.Sign * CAST(r.AudienceReached AS BIGINT) AS AudienceReached,
            a.Sign * CAST(r.Views AS BIGINT) AS Views, a.Sign * CAST(r.Likes AS BIGINT) AS Likes,
            a.Sign * CAST(r.Interactions AS BIGINT) AS Interactions, a.Sign * CAST(r.Sales AS BIGINT) AS Sales,
            a.Sign * r.ExposureHours AS ExposureHours, a.Sign * r.Cost AS Cost, a.Sign * r.Revenue AS Revenue
        FROM (
            -- Only ads whose CampaignId or MarketId changed (EXCEPT treats NULLs as equal): an UPDATE
            -- of titles or prices reads no results.
            SELECT 1 AS Sign, i.AdId, i.CampaignId, i.MarketId
            FROM inserted AS i INNER JOIN deleted AS d ON d.AdId = i.AdId
            WHERE EXISTS (SELECT i.CampaignId, i.MarketId EXCEPT SELECT d.CampaignId, d.MarketId)
            UNION ALL
            SELECT -1 AS Sign, d.AdId, d.CampaignId, d.MarketId
            FROM inserted AS i INNER JOIN deleted AS d ON d.AdId = i.AdId
            WHERE EXISTS (SELECT i.CampaignId, i.MarketId EXCEPT SELECT d.CampaignId, d.MarketId)
        ) AS a
        INNER JOIN ads.AdResults AS r ON r.AdId = a.AdId
        WHERE r.ResultDate IS NOT NULL AND r.Revenue >= 0 AND r.Cost >= 0 AND r.Sales >= 0 AND r.Views >= 0
            AND r.Likes >= 0 AND r.Interactions >= 0 AND r.AudienceReached >= 0 AND r.ExposureHours >= 0
            AND a.MarketId IS NOT NULL
    ) AS c
    GROUP BY c.CampaignId, c.ChannelId, c.MarketId, c.ResultDate
    HAVING SUM(c.Results) <> 0 OR SUM(c.AudienceReached) <> 0 OR SUM(c.Views) <> 0 OR SUM(c.Likes) <> 0
        OR SUM(c.Interactions) <> 0 OR SUM(c.Sales) <> 0 OR SUM(c.ExposureHours) <> 0 OR SUM(c.Cost) <> 0
        OR SUM(c.Revenue) <> 0;
END;
GO

CREATE OR ALTER TRIGGER ads.TR_Ads_TouchCampaignLeft
ON ads.Ads
AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE that keeps the ad in its campaign touches nothing: the ad's own RowVer moved, and the
    -- campaign it moved to is found through it.
    UPDATE c
    SET c.Name = c.Name
    FROM ads.Campaigns AS c
    WHERE c.CampaignId IN (
        SELECT d.CampaignId FROM deleted AS d
        WHERE NOT EXISTS (SELECT 1 FROM inserted AS i WHERE i.AdId = d.AdId AND i.CampaignId = d.CampaignId)
    );
END;
GO

CREATE OR ALTER TRIGGER ads.TR_Campaigns_LogDeletes
ON ads.Campaigns
AFTER DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO ads.DeletedCampaigns (CampaignId)
    SELECT d.CampaignId FROM deleted AS d;
END;
GO
