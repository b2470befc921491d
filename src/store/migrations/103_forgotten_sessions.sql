-- A chat that retention or a data-subject erasure deletes, or whose helpdesk id an anonymization
-- rewrites, leaves the digest of that id (externalId) behind: the same session posted or
-- delivered again is refused (409 SESSION_FORGOTTEN) instead of being written again with a
-- second ERP case. Only a SHA-256 digest stays, never the id itself; the row is kept for good
-- (it is what keeps "one ERP case per conversation" true after the chat is gone).

CREATE TABLE forgotten_sessions (
  digest        text PRIMARY KEY,
  forgotten_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION ponte_session_digest(external_id text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT encode(sha256(convert_to('externalId:' || external_id, 'UTF8')), 'hex') $$;

CREATE FUNCTION ponte_forget_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO forgotten_sessions (digest) VALUES (ponte_session_digest(OLD.external_id)) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION ponte_refuse_forgotten_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM forgotten_sessions WHERE digest = ponte_session_digest(NEW.external_id)) THEN
    RAISE EXCEPTION 'the chat of this externalId was deleted' USING ERRCODE = 'PT409';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER chats_forget_deleted AFTER DELETE ON chats
  FOR EACH ROW WHEN (OLD.external_id IS NOT NULL) EXECUTE FUNCTION ponte_forget_session();
CREATE TRIGGER chats_forget_rewritten AFTER UPDATE OF external_id ON chats
  FOR EACH ROW WHEN (OLD.external_id IS NOT NULL AND OLD.external_id IS DISTINCT FROM NEW.external_id) EXECUTE FUNCTION ponte_forget_session();
CREATE TRIGGER chats_refuse_forgotten BEFORE INSERT ON chats
  FOR EACH ROW WHEN (NEW.external_id IS NOT NULL) EXECUTE FUNCTION ponte_refuse_forgotten_session();
