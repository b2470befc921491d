// The API shape of a hosted chat.

import type { HostedChatRow } from '../store/chat-records.js';

export interface ChatView {
  id: string;
  status: string;
  departmentId: string;
  agentId: string | null;
  lastAgentId: string | null;
  transferToAgentId: string | null;
  client: HostedChatRow['client'];
  subject: string | null;
  advanceOpinion: string | null;
  rating: number | null;
  closeInvite: { number: number; sentAt: string } | null;
  startedAt: string;
  closedAt: string | null;
  updatedAt: string;
}

export function toChatView(row: HostedChatRow): ChatView {
  return {
    id: row.id,
    status: row.status,
    departmentId: row.department_id,
    agentId: row.agent_id,
    lastAgentId: row.last_agent_id,
    transferToAgentId: row.transfer_to_agent_id,
    client: row.client,
    subject: row.subject,
    advanceOpinion: row.advance_opinion,
    rating: row.rating,
    closeInvite: row.status === 'closing' && row.close_invite_at ? { number: row.close_invites, sentAt: row.close_invite_at.toISOString() } : null,
    startedAt: row.started_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    updatedAt: row.updated_at.toISOString(),
  };
}
