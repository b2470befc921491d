-- Transfers as seed 001 tells them (issue 20): accepted then completed, cancelled by the
-- sender, expired back to the sender; transfer-back only for a chat that came from a transfer;
-- the close invitation's expiry shown on the chat.

ALTER TABLE chats
  ADD COLUMN transfers                  integer NOT NULL DEFAULT 0,
  ADD COLUMN transfer_requested_at      timestamptz,
  ADD COLUMN transfer_accepted_at       timestamptz,
  ADD COLUMN transfer_expires_at        timestamptz,
  ADD COLUMN transferred_from_agent_id  text,
  ADD COLUMN close_invite_expires_at    timestamptz;

-- The receiver's list of incoming transfers (GET /v1/chats?transferTo=).
CREATE INDEX chats_transfer_to ON chats (transfer_to_agent_id) WHERE transfer_to_agent_id IS NOT NULL;
