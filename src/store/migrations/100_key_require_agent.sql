-- Issue 20: a key can require every write to name its acting agent (X-Agent-Id or the body's
-- agentId), so history and audit say "agent:ana via key desk" instead of the key alone.

ALTER TABLE api_keys ADD COLUMN require_agent boolean NOT NULL DEFAULT false;
