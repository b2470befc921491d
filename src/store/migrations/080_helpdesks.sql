-- Helpdesk adapters (Chatwoot, Zammad, ...): the deliveries they post (deduplicated by the
-- helpdesk's delivery id), which ponte chat each conversation became, and the internal notes
-- ponte adds back to the conversation with every attempt, like outbound webhook deliveries.

CREATE TABLE helpdesk_deliveries (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  helpdesk          text NOT NULL,
  delivery_id       text NOT NULL,
  external_id       text NOT NULL,
  -- completing: waits for the helpdesk API's full message list; ingested: became the chat;
  -- existing: the conversation was already a chat, nothing written.
  status            text NOT NULL CHECK (status IN ('completing', 'ingested', 'existing')),
  -- The payload is kept only while the message list is read, then dropped.
  payload           jsonb,
  conversation      jsonb NOT NULL DEFAULT '{}'::jsonb,
  chat_id           uuid REFERENCES chats(id) ON DELETE SET NULL,
  attempts          integer NOT NULL DEFAULT 0,
  last_error        text,
  -- Set when the chat was written without the full message list (the helpdesk API failed).
  completion_error  text,
  received_at       timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (helpdesk, delivery_id)
);
CREATE INDEX helpdesk_deliveries_list ON helpdesk_deliveries (received_at DESC, id DESC);
CREATE INDEX helpdesk_deliveries_external ON helpdesk_deliveries (helpdesk, external_id);

CREATE TABLE helpdesk_conversations (
  chat_id       uuid PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
  helpdesk      text NOT NULL,
  -- The placeholders of the helpdesk API's paths ({id}, {accountId}, ...).
  conversation  jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE helpdesk_notes (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  helpdesk         text NOT NULL,
  chat_id          uuid REFERENCES chats(id) ON DELETE SET NULL,
  integration_id   uuid REFERENCES integrations(id) ON DELETE SET NULL,
  conversation     jsonb NOT NULL,
  -- What caused it (integration.succeeded, integration.failed, integration.dead, integration.missing)
  -- and a key that makes it once (the domain event's id, or the chat's for a missing integration).
  kind             text NOT NULL,
  source_key       text NOT NULL UNIQUE,
  text             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'retrying', 'delivered', 'failed', 'cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  replays          integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX helpdesk_notes_list ON helpdesk_notes (created_at DESC, id DESC);
CREATE INDEX helpdesk_notes_chat ON helpdesk_notes (chat_id);

CREATE TABLE helpdesk_note_attempts (
  id                bigserial PRIMARY KEY,
  note_id           uuid NOT NULL REFERENCES helpdesk_notes(id) ON DELETE CASCADE,
  attempt           integer NOT NULL,
  replay            integer NOT NULL DEFAULT 0,
  started_at        timestamptz NOT NULL,
  duration_ms       integer NOT NULL,
  status_code       integer,
  response_excerpt  text,
  error_code        text,
  error_message     text,
  outcome           text NOT NULL CHECK (outcome IN ('delivered', 'found', 'retrying', 'failed'))
);
CREATE INDEX helpdesk_note_attempts_note ON helpdesk_note_attempts (note_id, id);
