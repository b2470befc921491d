// Agent replies (typed or from a standard template) and interactions recorded from another
// channel (seed 003), each visible to the client or internal, with an optional next action
// date and attachments; "await reply" moves the return to awaiting_client (seed 002).

import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { checkReplyRules, nextActionProblems } from '../domain/return-rules.js';
import { formatSaoPauloDay } from '../domain/sao-paulo-time.js';
import { fillTemplate, formatReply, type ReplyFormat } from '../domain/return-format.js';
import type { ReturnMove } from '../domain/return-status.js';
import { updateReturn, type ReturnRow } from './store.js';
import { entryView, insertEntry, type NewEntry, type TimelineRow } from './timeline.js';
import { auditReturn } from './audit.js';
import { attachToEntry, claimAttachments } from './attachments.js';
import { getTemplate } from './templates.js';
import { lockReturn, statusPatch } from './lifecycle.js';
import { rejectIfAny } from './service.js';
import { scheduleNextAction } from './reminders.js';
import { checkReplyMailRules } from '../domain/casework-rules.js';
import { mailReply } from '../casework/reply-mails.js';

export interface ReplyInput {
  text?: string;
  format?: ReplyFormat;
  awaitReply?: boolean;
  visibleToClient?: boolean;
  nextActionAt?: string;
  templateId?: string;
  attachmentIds?: string[];
  /** Who wrote it, as the client should see it (defaults to the API key's name). */
  authorName?: string;
  /** Also e-mail it to the client (needs visibleToClient). */
  sendByEmail?: boolean;
  /** Copy it by e-mail to the return's third parties (src/casework/third-parties.ts). */
  copyThirdParties?: boolean;
  /** The acting agent, whose profile's permissions are checked too. */
  agentId?: string;
}

export const INTERACTION_CHANNELS = ['email', 'chatbot', 'phone'] as const;

export interface InteractionInput {
  channel: (typeof INTERACTION_CHANNELS)[number];
  text: string;
  visibleToClient?: boolean;
  nextActionAt?: string;
  attachmentIds?: string[];
}

/** The text of a reply: typed, or the template's with its placeholders filled for this return. */
async function replyText(q: Queryable, row: ReturnRow, input: ReplyInput): Promise<{ text: string; format: ReplyFormat }> {
  if (!input.templateId) {
    if (input.text === undefined) throw ValidationError.field('text', 'required unless templateId is given');
    return { text: input.text, format: input.format ?? 'text' };
  }
  const template = await getTemplate(q, input.templateId);
  if (!template) throw ValidationError.field('templateId', `no reply template ${input.templateId}`);
  // Typed text wins: the agent picked a template and then edited it.
  if (input.text !== undefined) return { text: input.text, format: input.format ?? template.format };
  const values = { contactPerson: row.contact_person ?? row.client_email, clientEmail: row.client_email, subject: row.subject, validUntil: formatSaoPauloDay(row.valid_until) };
  return { text: fillTemplate(template.text, template.format, values), format: template.format };
}

/** Writes one agent entry with its status move, attachments, next action and history. */
async function writeAgentEntry(
  deps: Deps, id: string, actor: string, move: ReturnMove,
  build: (q: Queryable, row: ReturnRow) => Promise<Omit<NewEntry, 'at' | 'attachments'> & { attachmentIds?: string[] }>,
  /** Runs in the same transaction once the entry is written (e.g. queues its e-mails). */
  after?: (q: Queryable, row: ReturnRow, entry: TimelineRow, at: Date) => Promise<TimelineRow>,
) {
  const now = deps.clock.now();
  const entry = await deps.db.tx(async (q) => {
    const row = await lockReturn(q, id);
    const { patch, changes } = statusPatch(row, move, now);
    const { attachmentIds, ...fields } = await build(q, row);
    const attachments = await claimAttachments(q, id, attachmentIds ?? []);
    const created = await insertEntry(q, id, { ...fields, attachments, at: now });
    await attachToEntry(q, String(created.id), attachments);
    if (fields.nextActionAt) {
      patch.next_action_at = new Date(fields.nextActionAt);
      changes.nextActionAt = { from: row.next_action_at?.toISOString() ?? null, to: patch.next_action_at.toISOString() };
      await scheduleNextAction(q, id, patch.next_action_at, now);
    }
    await updateReturn(q, id, patch, now);
    const action = fields.kind === 'interaction' ? 'return.interaction_recorded' : 'return.replied';
    await auditReturn(q, { actor, action, returnId: id, changes: { ...changes, entry: { from: null, to: String(created.id) } }, at: now });
    return after ? after(q, row, created, now) : created;
  });
  deps.relay.kick();
  return entryView(entry);
}

export async function replyToReturn(deps: Deps, id: string, input: ReplyInput, actor: string) {
  const awaitReply = input.awaitReply ?? false;
  const visibleToClient = input.visibleToClient ?? true;
  rejectIfAny([
    ...checkReplyRules({ awaitReply, visibleToClient }),
    ...checkReplyMailRules({ sendByEmail: input.sendByEmail ?? false, copyThirdParties: input.copyThirdParties ?? false, visibleToClient }),
    ...nextActionProblems(input.nextActionAt, deps.clock.now()),
  ]);
  return writeAgentEntry(deps, id, actor, { kind: 'agentReply', awaitReply }, async (q, row) => {
    const { text, format } = await replyText(q, row, input);
    const formatted = formatReply(text, format);
    if (!formatted.text && !input.attachmentIds?.length) throw ValidationError.field('text', 'is empty once sanitized');
    return {
      kind: 'message', authorKind: 'agent', author: input.authorName ?? actor,
      text: formatted.text, html: formatted.html, visibleToClient, awaitReply,
      nextActionAt: input.nextActionAt ?? null, templateId: input.templateId ?? null, attachmentIds: input.attachmentIds,
    };
  }, mailReply({
    sendByEmail: input.sendByEmail ?? false, copyThirdParties: input.copyThirdParties ?? false, actor,
    attachmentMaxBytes: deps.config.mailAttachmentMaxBytes, publicUrl: deps.config.publicUrl, keyring: deps.keyring,
  }));
}

export async function recordInteraction(deps: Deps, id: string, input: InteractionInput, actor: string) {
  rejectIfAny(nextActionProblems(input.nextActionAt, deps.clock.now()));
  return writeAgentEntry(deps, id, actor, { kind: 'interaction' }, async () => {
    const formatted = formatReply(input.text, 'text');
    if (!formatted.text) throw ValidationError.field('text', 'is empty once sanitized');
    return {
      kind: 'interaction', authorKind: 'agent', author: actor, channel: input.channel,
      text: formatted.text, html: formatted.html, visibleToClient: input.visibleToClient ?? false,
      nextActionAt: input.nextActionAt ?? null, attachmentIds: input.attachmentIds,
    };
  });
}
