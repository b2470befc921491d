-- Core tables: API keys, idempotency, audit, the transactional outbox, chats and their
-- messages, integrations and their attempts. Table names are plural so they never collide
-- with BullMQ's own (job, event, meta, ...) when both share a search_path.

CREATE TABLE api_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL UNIQUE,
  roles       text[] NOT NULL,
  hash        text NOT NULL UNIQUE,
  profile_id  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE idempotency_keys (
  owner        text NOT NULL,
  key          text NOT NULL,
  method       text NOT NULL,
  path         text NOT NULL,
  body_hash    text NOT NULL,
  status_code  integer,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, key)
);

CREATE TABLE audit_events (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text NOT NULL,
  changes      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id);

-- Jobs to add to BullMQ once the transaction that wrote them has committed.
CREATE TABLE outbox (
  id             bigserial PRIMARY KEY,
  queue          text NOT NULL,
  name           text NOT NULL,
  job_id         text NOT NULL UNIQUE,
  payload        jsonb NOT NULL DEFAULT '{}'::jsonb,
  delay_ms       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL;

CREATE TABLE chats (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_id           text UNIQUE,
  status                text NOT NULL,
  department_id         text NOT NULL,
  agent_id              text,
  last_agent_id         text,
  transfer_to_agent_id  text,
  client                jsonb NOT NULL,
  client_email          text,
  client_code           text,
  subject               text,
  advance_opinion       text,
  rating                integer,
  close_invite_at       timestamptz,
  started_at            timestamptz NOT NULL DEFAULT now(),
  closed_at             timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chats_status ON chats (status, department_id);
CREATE INDEX chats_client_email ON chats (client_email);
CREATE INDEX chats_client_code ON chats (client_code);

CREATE TABLE messages (
  id           bigserial PRIMARY KEY,
  chat_id      uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  sender       text NOT NULL CHECK (sender IN ('client', 'agent', 'system')),
  author_name  text,
  agent_id     text,
  text         text NOT NULL,
  private      boolean NOT NULL DEFAULT false
);
CREATE INDEX messages_chat ON messages (chat_id, id);

CREATE TABLE integrations (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_id             uuid REFERENCES chats(id),
  return_id           text,
  kind                text NOT NULL DEFAULT 'case' CHECK (kind IN ('case', 'opinion')),
  status              text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
  connector           text NOT NULL,
  client_code         text,
  request             jsonb NOT NULL,
  opinion             text NOT NULL DEFAULT '',
  erp_process_number  text,
  notified_at         timestamptz,
  attempts            integer NOT NULL DEFAULT 0,
  replays             integer NOT NULL DEFAULT 0,
  error_code          text,
  error_message       text,
  error_retryable     boolean,
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz
);
CREATE INDEX integrations_chat ON integrations (chat_id, created_at);
CREATE INDEX integrations_status ON integrations (status, created_at, id);
CREATE INDEX integrations_error ON integrations (error_code);

CREATE TABLE integration_attempts (
  id              bigserial PRIMARY KEY,
  integration_id  uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  attempt         integer NOT NULL,
  replay          integer NOT NULL DEFAULT 0,
  started_at      timestamptz NOT NULL,
  duration_ms     integer NOT NULL,
  outcome         text NOT NULL,
  error_code      text,
  error_message   text,
  exchanges       jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX integration_attempts_integration ON integration_attempts (integration_id, id);
