-- Returns to clients (seeds 000, 002, 003): the return itself with its portal token hash,
-- its ticket-style timeline, files attached to replies, and the standard reply templates.

CREATE TABLE returns (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type                 text NOT NULL CHECK (type IN ('notice', 'question', 'custom')),
  status               text NOT NULL CHECK (status IN ('open', 'awaiting_client', 'awaiting_agent', 'closed')),
  client_email         text NOT NULL,
  client_code          text,
  chat_id              uuid REFERENCES chats(id),
  crm_process_number   text,
  contact_person       text,
  valid_until          timestamptz NOT NULL,
  responsible_user_id  text,
  department_id        text,
  subject              text NOT NULL,
  description          text NOT NULL,
  next_action_at       timestamptz,
  -- SHA-256 (hex) of the portal token; NULL once revoked. The token itself is never stored.
  portal_token_hash    text,
  created_by           text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  closed_at            timestamptz
);
CREATE INDEX returns_status ON returns (status, closed_at);
CREATE INDEX returns_listing ON returns (created_at DESC, id DESC);
CREATE INDEX returns_client_email ON returns (client_email);
CREATE INDEX returns_responsible ON returns (responsible_user_id);

-- Every message, event and interaction of a return, in order (id order is the timeline order).
CREATE TABLE return_timeline (
  id                 bigserial PRIMARY KEY,
  return_id          uuid NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('message', 'event', 'interaction')),
  author_kind        text NOT NULL CHECK (author_kind IN ('agent', 'client', 'system')),
  author             text,
  -- event: what happened (created, closed, ...); message/interaction: where it came from.
  event              text,
  channel            text,
  text               text NOT NULL DEFAULT '',
  -- Sanitized HTML (allow-list); NULL for entries that are plain text only.
  html               text,
  -- Inbound e-mail: the quoted history, kept but collapsed.
  quoted             text,
  visible_to_client  boolean NOT NULL,
  await_reply        boolean,
  next_action_at     timestamptz,
  template_id        uuid,
  integration_id     uuid,
  attachments        jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Details of an event (e.g. the chat a client opened, the fields an agent changed).
  data               jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX return_timeline_return ON return_timeline (return_id, id);

-- Files uploaded for a return; entry_id is set once a reply or interaction carries them.
CREATE TABLE return_attachments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  return_id     uuid NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
  entry_id      bigint REFERENCES return_timeline(id) ON DELETE SET NULL,
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size          bigint NOT NULL,
  -- Relative to the upload directory: returns/<returnId>/<attachmentId>.
  path          text NOT NULL,
  uploaded_by   text,
  uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX return_attachments_return ON return_attachments (return_id, uploaded_at);

CREATE TABLE reply_templates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  text        text NOT NULL,
  format      text NOT NULL CHECK (format IN ('html', 'markdown', 'text')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A return's ERP work (client answers added as opinions) is read with the return.
CREATE INDEX integrations_return ON integrations (return_id, created_at) WHERE return_id IS NOT NULL;
