-- PromptAds: removes the campaign tombstones the ETL has loaded (RowVer at or below its Campaigns
-- watermark), after a full re-read has closed: that re-read read every one of them and dropped their
-- summaries, and a delta reads above the watermark. $1 = the Campaigns watermark.
-- The newest tombstone stays: the Campaigns high mark is the highest RowVer of ads.Campaigns and of this
-- table, and would otherwise fall below the watermark and read as a rebuilt source (read in full again).
DELETE FROM ads.DeletedCampaigns
WHERE RowVer <= CAST($1 AS BIGINT)
  AND RowVer < (SELECT MAX(RowVer) FROM ads.DeletedCampaigns)
