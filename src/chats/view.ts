// The API shape of a hosted chat.

import type { HostedChatRow } from '../store/chat-records.js';

export interface ChatView {
  id: string;
  status: string;
  departmentId: string;
  agentId: string | null;
  lastAgentId: string | null;
  transferToAgentId: string | null;
  /** The pending transfer: who sent it to whom, whether the receiver accepted, when it expires. */
  transfer: { fromAgentId: string | null; toAgentId: string; requestedAt: string | null; acceptedAt: string | null; expiresAt: string | null } | null;
  /** The agent transfer-back returns the chat to (null when it did not come from a transfer). */
  transferBackToAgentId: string | null;
  client: HostedChatRow['client'];
  subject: string | null;
  advanceOpinion: string | null;
  rating: number | null;
  closeInvite: { number: number; sentAt: string; expiresAt: string | null } | null;
  startedAt: string;
  closedAt: string | null;
  updatedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toChatView(row: HostedChatRow): ChatView {
  return {
    id: row.id,
    status: row.status,
    departmentId: row.department_id,
    agentId: row.agent_id,
    lastAgentId: row.last_agent_id,
    transferToAgentId: row.transfer_to_agent_id,
    transfer: row.status === 'transfer_pending' && row.transfer_to_agent_id
      ? { fromAgentId: row.agent_id, toAgentId: row.transfer_to_agent_id, requestedAt: iso(row.transfer_requested_at), acceptedAt: iso(row.transfer_accepted_at), expiresAt: iso(row.transfer_expires_at) }
      : null,
    transferBackToAgentId: row.status === 'active' && row.transferred_from_agent_id !== row.agent_id ? row.transferred_from_agent_id : null,
    client: row.client,
    subject: row.subject,
    advanceOpinion: row.advance_opinion,
    rating: row.rating,
    closeInvite: row.status === 'closing' && row.close_invite_at
      ? { number: row.close_invites, sentAt: row.close_invite_at.toISOString(), expiresAt: iso(row.close_invite_expires_at) }
      : null,
    startedAt: row.started_at.toISOString(),
    closedAt: iso(row.closed_at),
    updatedAt: row.updated_at.toISOString(),
  };
}
