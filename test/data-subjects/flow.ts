// A client's whole life in ponte, for the data-subject tests: a finished session with an
// integration, a Chatwoot conversation resolved with its integration, a hosted chat with a file and a closing integration, a question return with
// its notice mail, an agent reply and the portal answer (an ERP opinion), webhook deliveries
// of every event and an ERP push — plus scans of every table and UPLOAD_DIR for identifiers.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { auth, eventually, type Ponte } from '../support/ponte.js';
import { SEED, integrationRequest } from '../support/fixtures.js';
import { multipart } from '../chats/fixtures.js';
import { inDays } from '../returns/fixtures.js';
import { delinquency, push } from '../erp-events/support.js';
import { contact, message, signChatwoot, statusChanged } from '../helpdesks/chatwoot-fixtures.js';

export interface Client { name: string; email: string; phone: string; taxId: string; clientCode: string; productId: string }

/** Strings that must not be found anywhere once the client is erased. */
export function needles(c: Client): string[] {
  const digits = c.phone.replace(/\D/g, '');
  return [c.email.toLowerCase(), c.name.toLowerCase(), c.taxId, c.taxId.replace(/\D/g, ''), digits, digits.slice(2), c.phone.slice(-10)];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
export async function ok(p: Ponte, method: Method, url: string, payload?: unknown, role: 'helpdesk' | 'admin' = 'helpdesk') {
  const res = await p.app.inject({ method, url, headers: auth(role), payload: payload as object });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

export async function seedTeam(p: Ponte, receiverUrl: string): Promise<void> {
  await ok(p, 'PUT', '/v1/departments/support', { name: 'Suporte', systems: ['Bimer ERP'] }, 'admin');
  await ok(p, 'PUT', '/v1/agents/ana', { name: 'Ana Atendente', departmentIds: ['support'], online: true, spellcheck: false }, 'admin');
  await ok(p, 'POST', '/v1/webhooks', { url: receiverUrl, events: ['integration.succeeded', 'integration.failed', 'return.answered', 'chat.closed'] }, 'admin');
}

/** Settings of the Chatwoot adapter the flow's conversation comes through (no Chatwoot API: the payload's messages). */
export const CHATWOOT_ENV = { CHATWOOT_WEBHOOK_SECRET: 'chatwoot-titular-secret', CHATWOOT_DEPARTMENTS: '*=support' };

/** A conversation the client had in Chatwoot, resolved with an integration: the chat ponte made of it. */
async function throughChatwoot(p: Ponte, c: Client): Promise<string> {
  const id = 100_000 + Math.floor(Math.random() * 800_000);
  const person = { name: c.name, email: c.email, phone_number: c.phone };
  const body = JSON.stringify(statusChanged({
    id,
    contact: contact({ ...person, custom_attributes: { codigo_cliente: c.clientCode, cpf_cnpj: c.taxId } }),
    messages: [
      message(id, 1, 0, `Oi, aqui é ${c.name} (${c.email}).`, { sender: { id: 41, ...person, type: 'contact', thumbnail: '' } }),
      message(id, 2, 1, `Olá ${c.name}, retorno no ${c.phone}.`),
    ],
    attributes: { produto: `Produto (${c.productId})`, tipo_atendimento: SEED.caseTypes.support, encerrar_atendimento: true, centro_responsabilidade: SEED.centers.support, assunto: `Chatwoot de ${c.name}` },
  }));
  const res = await p.app.inject({
    method: 'POST', url: '/v1/inbound/chatwoot', payload: body,
    headers: signChatwoot(CHATWOOT_ENV.CHATWOOT_WEBHOOK_SECRET, body, Math.floor(p.deps.clock.now().getTime() / 1000)),
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().chatId;
}

export interface Lived { sessionChat: string; helpdeskChat: string; chat: string; returnId: string; attachment: string; integrations: string[] }

export async function liveThrough(p: Ponte, c: Client, erpSecret: string): Promise<Lived> {
  const client = { name: c.name, email: c.email, phone: c.phone, taxId: c.taxId, clientCode: c.clientCode };
  const integration = integrationRequest({ clientCode: c.clientCode, productId: c.productId, subject: `Atendimento de ${c.name}` });
  const session = await ok(p, 'POST', '/v1/sessions', {
    externalId: `ext-${c.email}`, client, agent: { id: 'ana', name: 'Ana Atendente' }, departmentId: 'support', subject: 'NF-e rejeitada',
    startedAt: '2026-11-20T13:00:00Z', closedAt: '2026-11-20T13:10:00Z',
    messages: [
      { at: '2026-11-20T13:00:00Z', from: 'client', text: `Sou ${c.name}, CPF ${c.taxId}, meu e-mail é ${c.email}.` },
      { at: '2026-11-20T13:02:00Z', from: 'agent', text: `Certo ${c.name}, ligo no ${c.phone}.` },
    ],
    advanceOpinion: `Cliente ${c.name} (${c.email}) pediu retorno.`,
    integrations: [integration],
  });

  const helpdeskChat = await throughChatwoot(p, c);

  const chat = await ok(p, 'POST', '/v1/chats', { client, departmentId: 'support', subject: `Dúvida de ${c.name}` });
  await ok(p, 'POST', `/v1/chats/${chat.id}/accept`, { agentId: 'ana' });
  await ok(p, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'client', text: `Meu telefone é ${c.phone} e o CPF ${c.taxId.replace(/\D/g, '')}.` });
  await ok(p, 'POST', `/v1/chats/${chat.id}/messages`, { from: 'agent', agentId: 'ana', text: `Anotado, ${c.name}.` });
  const upload = await p.app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/attachments`, ...multipart([{ filename: `RG de ${c.name}.txt`, type: 'text/plain', content: Buffer.from(`${c.name} ${c.taxId} ${c.email}`) }]) });
  expect(upload.statusCode, upload.body).toBe(201);
  await ok(p, 'POST', `/v1/chats/${chat.id}/close`, { agentId: 'ana' });
  const closing = await ok(p, 'POST', `/v1/chats/${chat.id}/integrations`, integration);

  const ret = await ok(p, 'POST', '/v1/returns', {
    clientEmail: c.email, clientCode: c.clientCode, type: 'question', crmProcessNumber: SEED.openProcess, contactPerson: c.name,
    validUntil: inDays(30), departmentId: 'support', subject: `Retorno para ${c.name}`, description: `Ligaremos no ${c.phone}.`,
  });
  await ok(p, 'POST', `/v1/returns/${ret.id}/messages`, { text: `Olá ${c.name}, pode confirmar?`, awaitReply: true });
  const answer = await p.app.inject({ method: 'POST', url: `/v1/portal/returns/${ret.id}/answer?token=${ret.portalToken}`, payload: { text: `Confirmo. ${c.name}, ${c.email}` } });
  expect(answer.statusCode, answer.body).toBeLessThan(300);

  const pushed = await push(p, delinquency(c.clientCode, true), { secret: erpSecret });
  expect(pushed.statusCode, pushed.body).toBe(200);

  const fromChatwoot = (await p.deps.db.query<{ id: string }>('SELECT id FROM integrations WHERE chat_id = $1', [helpdeskChat])).rows.map((r) => r.id);
  expect(fromChatwoot).toHaveLength(1);
  const ids = [...session.integrations.map((i: { id: string }) => i.id), ...fromChatwoot, closing.id];
  await eventually(async () => {
    const rows = (await p.deps.db.query("SELECT status FROM integrations WHERE chat_id = ANY($1::uuid[]) OR return_id = $2", [[session.chatId, helpdeskChat, chat.id], ret.id])).rows;
    return rows.length === 4 && rows.every((r) => r.status === 'succeeded');
  }, 'four integrations succeeded');
  await eventually(async () => {
    const { rows } = await p.deps.db.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered' AND payload::text ILIKE '%' || $1 || '%'", [ret.id]);
    return rows[0]!.n >= 1;
  }, 'the return.answered delivery');
  await eventually(async () => (await p.deps.db.query("SELECT 1 FROM mail_messages WHERE lower(to_address) = $1 AND status IN ('sent', 'kept')", [c.email.toLowerCase()])).rowCount, 'the notice mail');
  const attachment = (await ok(p, 'GET', `/v1/chats/${chat.id}/attachments`)).items[0].id;
  return { sessionChat: session.chatId, helpdeskChat, chat: chat.id, returnId: ret.id, attachment, integrations: ids };
}

export interface Hit { schema: string; table: string; column: string; id: string; needle: string }

/** Every text and JSON column of every table (ponte's and BullMQ's) holding one of the needles. */
export async function scanDatabase(p: Ponte, lookFor: string[]): Promise<Hit[]> {
  const { rows: cols } = await p.deps.db.query<{ s: string; t: string; c: string }>(
    `SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema IN ('public', 'bullmq') AND c.udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', '_text', '_varchar')`,
  );
  const hits: Hit[] = [];
  const patterns = lookFor.map((n) => `%${n.toLowerCase()}%`);
  for (const { s, t, c } of cols) {
    const { rows } = await p.deps.db.query(`SELECT to_jsonb(x) AS row, lower("${c}"::text) AS v FROM "${s}"."${t}" x WHERE lower("${c}"::text) LIKE ANY($1)`, [patterns]);
    for (const r of rows) {
      for (const needle of lookFor.filter((n) => r.v.includes(n.toLowerCase()))) {
        hits.push({ schema: s, table: t, column: c, id: String(r.row.id ?? r.row.key ?? JSON.stringify(r.row).slice(0, 60)), needle });
      }
    }
  }
  return hits;
}

/** Files under UPLOAD_DIR whose content holds one of the needles. */
export async function scanUploads(p: Ponte, lookFor: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else {
        const content = `${e.name} ${await readFile(full, 'utf8')}`.toLowerCase();
        if (lookFor.some((n) => content.includes(n.toLowerCase()))) found.push(full);
      }
    }
  };
  await walk(p.deps.uploadDir);
  return found;
}
