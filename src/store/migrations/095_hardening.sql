-- Hardening (issue 19): queue-board sessions kept server-side, so a session's expiry is fixed
-- when it is issued and signing out ends it; the cookie only names the row, signed with a key
-- derived from PONTE_SECRET_KEY (never from anything in the database).

CREATE TABLE admin_sessions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_id      uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX admin_sessions_key ON admin_sessions (key_id) WHERE revoked_at IS NULL;
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
