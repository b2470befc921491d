-- Case work on returns (seed 003): permission profiles, subjects with their sub-subjects,
-- required fields and workflow of situations; the return's case fields, links between
-- returns, tasks, invited third parties; and every e-mail ponte sends (or keeps).

CREATE TABLE profiles (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  permissions  text[] NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subjects (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  -- [{id, name, requiredFields[]}]: a sub-subject belongs to one subject.
  sub_subjects     jsonb NOT NULL DEFAULT '[]'::jsonb,
  required_fields  text[] NOT NULL DEFAULT '{}',
  -- The workflow: the first situation is the initial one; moves are [{from, to}].
  situations       text[] NOT NULL DEFAULT '{}',
  moves            jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE returns
  ADD COLUMN subject_id      text REFERENCES subjects(id),
  ADD COLUMN sub_subject_id  text,
  ADD COLUMN situation       text,
  ADD COLUMN priority        text CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  ADD COLUMN product_id      text,
  ADD COLUMN cloned_from     uuid REFERENCES returns(id);
CREATE INDEX returns_subject ON returns (subject_id, situation);

-- One row per linked pair, stored once (return_a < return_b) and read from both sides.
CREATE TABLE return_links (
  return_a    uuid NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
  return_b    uuid NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
  -- manual (linked by an agent) or clone (a clone and its source).
  origin      text NOT NULL CHECK (origin IN ('manual', 'clone')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (return_a, return_b),
  CHECK (return_a < return_b)
);
CREATE INDEX return_links_b ON return_links (return_b);

CREATE TABLE return_tasks (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  return_id    uuid NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
  title        text NOT NULL,
  assignee_id  text NOT NULL,
  due_at       timestamptz NOT NULL,
  done         boolean NOT NULL DEFAULT false,
  done_at      timestamptz,
  done_by      text,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX return_tasks_return ON return_tasks (return_id, created_at);

CREATE TABLE return_third_parties (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  return_id   uuid NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
  email       text NOT NULL,
  name        text,
  invited_by  text NOT NULL,
  invited_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (return_id, email)
);

-- Every e-mail: queued, then sent through SMTP_URL, kept in the local outbox when no SMTP
-- server is configured, or failed once its retries are spent.
CREATE TABLE mail_messages (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind         text NOT NULL,
  return_id    uuid REFERENCES returns(id) ON DELETE SET NULL,
  to_address   text NOT NULL,
  to_name      text,
  subject      text NOT NULL,
  text         text NOT NULL,
  html         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'kept')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  message_id   text,
  sent_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_messages_listing ON mail_messages (created_at DESC, id DESC);
CREATE INDEX mail_messages_return ON mail_messages (return_id);
