-- Issue 20: a mail's outcome as the return's timeline shows it (sent, bounced, failed), the
-- reply's files sent with the e-mail, and links to files too large to attach.

ALTER TABLE mail_messages DROP CONSTRAINT mail_messages_status_check;
ALTER TABLE mail_messages ADD CONSTRAINT mail_messages_status_check CHECK (status IN ('queued', 'sent', 'failed', 'bounced', 'kept'));
-- Files of the return attached to this mail (return_attachments ids), read when it is sent.
ALTER TABLE mail_messages ADD COLUMN attachment_ids uuid[] NOT NULL DEFAULT '{}';
CREATE INDEX mail_messages_message_id ON mail_messages (message_id) WHERE message_id IS NOT NULL;

-- A file mailed as a link (too large to attach) opens with its own token; only its hash is kept.
ALTER TABLE return_attachments ADD COLUMN link_token_hash text;
