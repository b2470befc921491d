// A return's timeline: every message, event and interaction in order, and the two ways it
// is shown — to agents (everything, quoted e-mail history collapsed) and to the client
// (only what is visible to them, without internal fields).

import type { Queryable } from '../store/db.js';

export type EntryKind = 'message' | 'event' | 'interaction';
export type AuthorKind = 'agent' | 'client' | 'system';

export interface AttachmentRef { id: string; filename: string; contentType: string; size: number }

export interface TimelineRow {
  id: string;
  return_id: string;
  kind: EntryKind;
  author_kind: AuthorKind;
  author: string | null;
  event: string | null;
  channel: string | null;
  text: string;
  html: string | null;
  quoted: string | null;
  visible_to_client: boolean;
  await_reply: boolean | null;
  next_action_at: Date | null;
  template_id: string | null;
  integration_id: string | null;
  attachments: AttachmentRef[];
  data: Record<string, unknown>;
  created_at: Date;
}

export interface NewEntry {
  kind: EntryKind;
  authorKind: AuthorKind;
  author?: string | null;
  event?: string;
  channel?: string;
  text: string;
  html?: string | null;
  quoted?: string | null;
  visibleToClient: boolean;
  awaitReply?: boolean;
  nextActionAt?: string | null;
  templateId?: string | null;
  attachments?: AttachmentRef[];
  data?: Record<string, unknown>;
  at: Date;
}

export async function insertEntry(q: Queryable, returnId: string, e: NewEntry): Promise<TimelineRow> {
  const { rows } = await q.query<TimelineRow>(
    `INSERT INTO return_timeline (return_id, kind, author_kind, author, event, channel, text, html, quoted, visible_to_client,
       await_reply, next_action_at, template_id, attachments, data, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING *`,
    [returnId, e.kind, e.authorKind, e.author ?? null, e.event ?? null, e.channel ?? null, e.text, e.html ?? null, e.quoted ?? null,
      e.visibleToClient, e.awaitReply ?? null, e.nextActionAt ?? null, e.templateId ?? null, JSON.stringify(e.attachments ?? []), JSON.stringify(e.data ?? {}), e.at],
  );
  return rows[0]!;
}

export async function setEntryIntegration(q: Queryable, entryId: string, integrationId: string): Promise<void> {
  await q.query('UPDATE return_timeline SET integration_id = $2 WHERE id = $1', [entryId, integrationId]);
}

export async function listEntries(q: Queryable, returnId: string, clientVisibleOnly = false): Promise<TimelineRow[]> {
  const { rows } = await q.query<TimelineRow>(
    `SELECT * FROM return_timeline WHERE return_id = $1 ${clientVisibleOnly ? 'AND visible_to_client' : ''} ORDER BY id`,
    [returnId],
  );
  return rows;
}

export async function getEntry(q: Queryable, returnId: string, entryId: string): Promise<TimelineRow | undefined> {
  if (!/^[0-9]{1,18}$/.test(entryId)) return undefined;
  const { rows } = await q.query<TimelineRow>('SELECT * FROM return_timeline WHERE return_id = $1 AND id = $2', [returnId, entryId]);
  return rows[0];
}

/** The agent's view: everything; an e-mail's quoted history only when asked to expand. */
export function entryView(r: TimelineRow, expand = false) {
  return {
    id: String(r.id),
    kind: r.kind,
    author: { kind: r.author_kind, name: r.author },
    ...(r.event ? { event: r.event } : {}),
    ...(r.channel ? { channel: r.channel } : {}),
    ...(r.kind === 'message' && r.author_kind === 'agent' ? { replyKind: r.template_id ? 'template' : 'manual' } : {}),
    text: r.text,
    html: r.html,
    ...(r.quoted !== null ? (expand ? { quoted: r.quoted, quotedCollapsed: false } : { quotedCollapsed: true }) : {}),
    visibleToClient: r.visible_to_client,
    awaitReply: r.await_reply,
    nextActionAt: r.next_action_at?.toISOString() ?? null,
    templateId: r.template_id,
    integrationId: r.integration_id,
    attachments: r.attachments,
    data: r.data,
    createdAt: r.created_at.toISOString(),
  };
}

/** What the client sees of an entry (visible ones only): no agent names, notes or links to ERP work. */
export function portalEntryView(r: TimelineRow) {
  return {
    id: String(r.id),
    kind: r.kind,
    from: r.author_kind,
    ...(r.event ? { event: r.event } : {}),
    text: r.text,
    html: r.html,
    attachments: r.attachments,
    createdAt: r.created_at.toISOString(),
  };
}
