-- The agent's chat screen (seed 001): departments and their queues, agents, chat
-- attachments, and the close-invitation counter that identifies each invitation's timer.

CREATE TABLE departments (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  -- Systems whose client versions the details panel shows for chats of this department.
  systems     text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  department_ids  text[] NOT NULL DEFAULT '{}',
  online          boolean NOT NULL DEFAULT false,
  spellcheck      boolean NOT NULL DEFAULT false,
  profile_id      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_online ON agents (online);

CREATE TABLE attachments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_id       uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size          bigint NOT NULL,
  -- Relative to the upload directory: <chatId>/<attachmentId>.
  path          text NOT NULL,
  uploaded_by   text,
  uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_chat ON attachments (chat_id, uploaded_at);

-- Each close invitation gets the next number; its timeout job closes the chat only if the
-- chat still waits on that same invitation.
ALTER TABLE chats ADD COLUMN close_invites integer NOT NULL DEFAULT 0;
CREATE INDEX chats_agent ON chats (agent_id, status);
