-- Idempotency keys: a lease for requests in progress (a crash frees the key after 60 s), an
-- expiry per row (swept), and no stored answers from before this version: they could hold
-- secrets shown once (API keys, portal links, webhook secrets), which are no longer kept.

DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys ADD COLUMN locked_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE idempotency_keys ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours';
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
