-- PromptCrm: removes the change-log entries the ETL has loaded (RowVer at or below its watermark), so
-- crm.CampaignChanges holds about a day of changes. Run after a full re-read has closed: no later read
-- needs them (a delta reads above the watermark; a read in full, above its own high mark). $1 = the watermark.
-- The newest entry stays: an empty log would read as a log restarted below the watermark (MAX(RowVer) 0),
-- which makes the next run read the source in full.
DELETE FROM crm.CampaignChanges
WHERE RowVer <= CAST($1 AS BIGINT)
  AND RowVer < (SELECT MAX(RowVer) FROM crm.CampaignChanges)
