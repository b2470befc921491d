// How a return is shown in API answers: to agents (every field) and to the client (portal).

import { isArchived, isExpired } from '../domain/return-rules.js';
import type { ReturnRow } from './store.js';
import { caseworkView } from '../casework/view.js';

export function returnView(r: ReturnRow, now: Date, retentionDays: number) {
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    clientEmail: r.client_email,
    clientCode: r.client_code,
    chatId: r.chat_id,
    crmProcessNumber: r.crm_process_number,
    contactPerson: r.contact_person,
    validUntil: r.valid_until.toISOString(),
    expired: isExpired(r.valid_until, now),
    responsibleUserId: r.responsible_user_id,
    departmentId: r.department_id,
    subject: r.subject,
    description: r.description,
    nextActionAt: r.next_action_at?.toISOString() ?? null,
    portalTokenActive: r.portal_token_hash !== null,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    archived: isArchived({ status: r.status, closedAt: r.closed_at }, now, retentionDays),
    ...caseworkView(r),
  };
}

export type ReturnView = ReturnType<typeof returnView>;

/** The client's view: what the return is about and whether it can still be answered. */
export function portalReturnView(r: ReturnRow, portalChatDepartment?: string) {
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    subject: r.subject,
    description: r.description,
    contactPerson: r.contact_person,
    clientEmail: r.client_email,
    validUntil: r.valid_until.toISOString(),
    canOpenChat: r.department_id !== null || r.chat_id !== null || portalChatDepartment !== undefined,
    // A notice (Aviso) informs; only questions and custom returns take the client's answer.
    canAnswer: r.type !== 'notice',
  };
}
