-- A delivery still waiting for its message list whose job was lost (the job backend's memory,
-- or every attempt failed for a reason other than the helpdesk) is replayed by an admin: each
-- replay is a new `complete` job, counted here so its job id is new.
ALTER TABLE helpdesk_deliveries ADD COLUMN replays integer NOT NULL DEFAULT 0;
