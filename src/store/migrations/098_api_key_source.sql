-- Which API keys come from PONTE_API_KEYS, so admins listing keys know that revoking one holds
-- only until its entry gets a new secret.

ALTER TABLE api_keys ADD COLUMN seeded boolean NOT NULL DEFAULT false;
