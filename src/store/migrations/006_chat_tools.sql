-- The chat screen's remaining tools (seed 001): remote-access sessions and their state
-- history, version releases through the updater, and the spell-checker's custom dictionary.

CREATE TABLE remote_sessions (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_id              uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  agent_id             text NOT NULL,
  provider             text NOT NULL,
  -- Known once the provider created it; the access code and link come with it.
  provider_session_id  text UNIQUE,
  access_code          text,
  link                 text,
  state                text NOT NULL CHECK (state IN ('waiting', 'connected', 'ended', 'failed')),
  attempts             integer NOT NULL DEFAULT 0,
  error_code           text,
  error_message        text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX remote_sessions_chat ON remote_sessions (chat_id, created_at);
-- The poll reads only sessions that can still change.
CREATE INDEX remote_sessions_open ON remote_sessions (state) WHERE state IN ('waiting', 'connected');

-- Every state a session went through, oldest first.
CREATE TABLE remote_session_states (
  id          bigserial PRIMARY KEY,
  session_id  uuid NOT NULL REFERENCES remote_sessions(id) ON DELETE CASCADE,
  state       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX remote_session_states_session ON remote_session_states (session_id, id);

CREATE TABLE version_releases (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_id             uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  client_code         text NOT NULL,
  system              text NOT NULL,
  version             text NOT NULL,
  -- The entitled version the request was checked against.
  entitled            text NOT NULL,
  agent_id            text NOT NULL,
  -- The API key that asked: the actor of the outcome's audit line.
  requested_by        text NOT NULL,
  status              text NOT NULL CHECK (status IN ('pending', 'released', 'failed')),
  updater_release_id  text,
  attempts            integer NOT NULL DEFAULT 0,
  error_code          text,
  error_message       text,
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz
);
CREATE INDEX version_releases_chat ON version_releases (chat_id, created_at);

-- The account's custom spell-check dictionary (seed 001 "Cadastro/Dicionário").
CREATE TABLE spellcheck_words (
  word      text PRIMARY KEY,
  added_by  text NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now()
);

-- One row: bumped with every dictionary change, so each process can tell its copy is stale
-- (max(added_at) would miss deletions).
CREATE TABLE spellcheck_dictionary (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  version  bigint NOT NULL
);
INSERT INTO spellcheck_dictionary (id, version) VALUES (true, 0);
