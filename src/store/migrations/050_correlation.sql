-- Correlation (issue 21): each attempt records the request that caused its job (X-Request-Id)
-- and the trace id of the attempt, so an admin can go from an attempt to the logs and traces.
ALTER TABLE integration_attempts ADD COLUMN request_id text, ADD COLUMN trace_id text;
ALTER TABLE webhook_attempts ADD COLUMN request_id text, ADD COLUMN trace_id text;
