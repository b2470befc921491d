// The one shape of each outbound event's `data` (camelCase, the REST API's field names, null
// when unknown), whatever produced it; each is documented by schemas/events/<type>.json.

import type { IntegrationRow } from '../store/integrations.js';

export interface IntegrationEventData {
  integrationId: string;
  chatId: string | null;
  returnId: string | null;
  kind: 'case' | 'opinion';
  status: string;
  clientCode: string | null;
  erpProcessNumber: string | null;
  attempts: number;
  replays: number;
  lastError: { code: string; message: string; retryable: boolean } | null;
  finishedAt: string | null;
}

/** `integration.succeeded|failed|dead`, from the row as it ended. */
export function integrationEventData(row: IntegrationRow): IntegrationEventData {
  return {
    integrationId: row.id,
    chatId: row.chat_id,
    returnId: row.return_id,
    kind: row.kind,
    status: row.status,
    clientCode: row.client_code,
    erpProcessNumber: row.erp_process_number,
    attempts: row.attempts,
    replays: row.replays,
    lastError: row.error_code ? { code: row.error_code, message: row.error_message ?? '', retryable: Boolean(row.error_retryable) } : null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export type CloseReason = 'agent' | 'client' | 'timeout' | 'session';

export interface ChatClosedData {
  chatId: string;
  /** The helpdesk's id of a posted session; null for a chat hosted by ponte. */
  externalId: string | null;
  clientCode: string | null;
  departmentId: string;
  agentId: string | null;
  /** Who closed it: the agent, the client (invitation accepted), the invitation's timeout, or a posted finished session. */
  reason: CloseReason;
  closedAt: string;
}

/** `chat.closed`: the same keys from a live close and from a posted session. */
export function chatClosedData(c: { chatId: string; externalId?: string | null; clientCode?: string | null; departmentId: string; agentId?: string | null; reason: CloseReason; closedAt: Date | string }): ChatClosedData {
  return {
    chatId: c.chatId,
    externalId: c.externalId ?? null,
    clientCode: c.clientCode ?? null,
    departmentId: c.departmentId,
    agentId: c.agentId ?? null,
    reason: c.reason,
    closedAt: new Date(c.closedAt).toISOString(),
  };
}
