// Factories for ERP push tests: secrets, signed requests (made with the standardwebhooks
// library, as an ERP would), events, and chat rows that make a client code known.

import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { auth, type Ponte } from '../support/ponte.js';

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export interface SignOptions {
  secret: string;
  msgId?: string;
  at?: Date;
  /** Send this body instead of the signed one (tampering). */
  sendInstead?: string;
}

export function signedHeaders(payload: string, options: SignOptions): Record<string, string> {
  const msgId = options.msgId ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret).sign(msgId, at, payload),
  };
}

export async function push(p: Ponte, body: unknown, options: SignOptions) {
  const payload = JSON.stringify(body);
  return p.app.inject({
    method: 'POST',
    url: '/v1/erp/events',
    headers: { ...auth('erp'), ...signedHeaders(payload, options) },
    payload: options.sendInstead ?? payload,
  });
}

let seq = 0;
export function randomClientCode(): string {
  return String(100_000 + Math.floor(Math.random() * 800_000) + (seq++ % 1000)).padStart(6, '0');
}

export function delinquency(clientCode: string, delinquent: boolean, occurredAt: string | Date = new Date(), extra: Record<string, unknown> = {}) {
  return {
    id: `evt_${randomUUID()}`,
    type: 'delinquency.updated',
    occurredAt: new Date(occurredAt).toISOString(),
    data: { clientCode, delinquent, ...(delinquent ? { since: '2026-01-10', reason: 'Boleto 123 vencido' } : {}), ...extra },
  };
}

export function productVersions(clientCode: string, versions: Array<[string, string | null, string | null, string | null]>, occurredAt: string | Date = new Date()) {
  return {
    id: `evt_${randomUUID()}`,
    type: 'product-versions.updated',
    occurredAt: new Date(occurredAt).toISOString(),
    data: { clientCode, versions: versions.map(([system, used, entitled, downloaded]) => ({ system, used, entitled, downloaded })) },
  };
}

/** A chat row with this client code (status 'active' = open), inserted directly. */
export async function insertChat(p: Ponte, clientCode: string, status = 'active'): Promise<string> {
  const { rows } = await p.deps.db.query<{ id: string }>(
    `INSERT INTO chats (status, department_id, client, client_code) VALUES ($1, 'suporte', $2, $3) RETURNING id`,
    [status, JSON.stringify({ name: 'Cliente Teste' }), clientCode],
  );
  return rows[0]!.id;
}

export async function marker(p: Ponte, clientCode: string) {
  const { rows } = await p.deps.db.query(`SELECT delinquent, to_char(since, 'YYYY-MM-DD') AS since, reason FROM client_markers WHERE client_code = $1`, [clientCode]);
  return rows[0];
}

export async function versionsOf(p: Ponte, clientCode: string) {
  const { rows } = await p.deps.db.query('SELECT system, used, entitled, downloaded FROM client_product_versions WHERE client_code = $1 ORDER BY system', [clientCode]);
  return rows;
}

export async function outcomeOf(p: Ponte, id: string): Promise<string | undefined> {
  const { rows } = await p.deps.db.query<{ outcome: string }>('SELECT outcome FROM erp_events WHERE id = $1', [id]);
  return rows[0]?.outcome;
}
