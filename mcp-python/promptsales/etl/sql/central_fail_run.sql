-- Records why a run failed: the n8n error workflow (etl-promptsales-on-error.json) runs this when a step of
-- the ETL workflow failed, for scheduled and webhook runs alike, and when n8n starts again after dying
-- mid-run (its crash recovery fails the unfinished execution and runs the error workflow). It closes the
-- run its execution opened as failed with the failing step and its error; `promptsales etl run` may have
-- closed it already with n8n's bare "Error in workflow" or "n8n is not reachable", which this replaces.
-- Nothing after the failing step ran: the watermarks it had not reached stay where they were, and campaigns
-- the apply step marked stay marked, so the next run reads or re-derives them. Parameters: the n8n
-- execution id, the reason.
UPDATE etl.run_log
SET status = 'failed', ended_at = COALESCE(ended_at, clock_timestamp()), error = LEFT($2, 2000)
WHERE n8n_execution_id = $1 AND status IN ('running', 'failed')
RETURNING run_id, error
