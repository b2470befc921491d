// How each table's rows appear in an export: the API's own shapes where the API has one
// (chats, returns, timeline entries, integrations, mail, webhook deliveries, audit), and for
// every other table its columns in camelCase, so nothing found is left out of the export.

import type { HostedChatRow } from '../store/chat-records.js';
import { toChatView } from '../chats/view.js';
import { returnView } from '../returns/view.js';
import type { ReturnRow } from '../returns/store.js';
import { entryView, type TimelineRow } from '../returns/timeline.js';
import { toView, type IntegrationRow } from '../store/integrations.js';
import { mailView, type MailRow } from '../mail/store.js';
import { deliveryView, type DeliveryRow } from '../webhooks/store.js';

type Row = Record<string, unknown>;

export interface ShapeContext { now: Date; returnsRetentionDays: number }

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Columns as camelCase keys, dates as ISO strings, numbers kept; bigint ids as strings. */
export function plain(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v instanceof Date ? v.toISOString() : v]));
}

/** The download link of a file the export names (admin route, access-logged). */
export const fileHref = (id: string) => `/v1/admin/data-subjects/files/${id}`;

const SHAPES: Record<string, (row: Row, ctx: ShapeContext) => Row> = {
  chats: (r) => ({ ...toChatView(r as unknown as HostedChatRow), clientEmail: r.client_email, clientCode: r.client_code, externalId: r.external_id }),
  messages: (r) => ({
    id: String(r.id), chatId: r.chat_id, at: (r.at as Date).toISOString(), from: r.sender, authorName: r.author_name, agentId: r.agent_id, text: r.text, private: r.private,
  }),
  attachments: (r) => {
    const { path: _path, size, ...rest } = plain(r);
    return { ...rest, size: Number(size), href: fileHref(String(r.id)) };
  },
  return_attachments: (r) => {
    const { path: _path, size, ...rest } = plain(r);
    return { ...rest, size: Number(size), href: fileHref(String(r.id)) };
  },
  returns: (r, ctx) => returnView(r as unknown as ReturnRow, ctx.now, ctx.returnsRetentionDays),
  return_timeline: (r) => ({ ...entryView(r as unknown as TimelineRow, true), returnId: r.return_id }),
  integrations: (r) => ({ ...toView(r as unknown as IntegrationRow), opinion: r.opinion }),
  integration_attempts: (r) => ({ ...plain(r), id: String(r.id) }),
  mail_messages: (r) => mailView(r as unknown as MailRow),
  webhook_deliveries: (r) => ({ ...deliveryView(r as unknown as DeliveryRow), payload: r.payload }),
  audit_events: (r) => ({
    id: String(r.id), at: (r.at as Date).toISOString(), actor: r.actor, action: r.action, targetType: r.target_type, targetId: r.target_id, changes: r.changes,
  }),
};

export function shapeRow(table: string, row: Row, ctx: ShapeContext): Row {
  return (SHAPES[table] ?? plain)(row, ctx);
}
