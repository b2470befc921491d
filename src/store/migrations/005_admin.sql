-- Indexes for the admin views: the integration list is read newest first (keyset on
-- created_at, id) and filtered by connector or client code; the audit log by action.

CREATE INDEX integrations_created ON integrations (created_at DESC, id DESC);
CREATE INDEX integrations_connector ON integrations (connector, created_at DESC, id DESC);
CREATE INDEX integrations_client_code ON integrations (client_code, created_at DESC, id DESC);
CREATE INDEX integrations_error_created ON integrations (error_code, created_at DESC, id DESC);
CREATE INDEX audit_events_action ON audit_events (action, id DESC);
