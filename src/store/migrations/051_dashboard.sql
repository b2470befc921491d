-- The admin dashboard (issue 21) counts integrations finished per hour over the last 24 h:
-- an index on when they finished keeps that a range scan however long the history is.
CREATE INDEX integrations_finished ON integrations (finished_at) WHERE finished_at IS NOT NULL;
