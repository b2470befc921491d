// Small factories for the returns tests: call helpers, a return of each type, portal calls,
// a settable clock and a multipart body.

import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { auth } from '../support/ponte.js';
import type { Clock } from '../../src/clock.js';

export const helpdesk = auth('helpdesk');

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function call(app: FastifyInstance, method: Method, url: string, payload?: unknown, headers: Record<string, string> = helpdesk) {
  const res = await app.inject({ method, url, headers, payload: payload as object });
  return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body, raw: res.body, res };
}

/** Calls and expects a 2xx; returns the JSON body. */
export async function ok(app: FastifyInstance, method: Method, url: string, payload?: unknown, headers?: Record<string, string>) {
  const r = await call(app, method, url, payload, headers);
  expect(r.status, `${method} ${url}: ${r.raw}`).toBeLessThan(300);
  return r.body;
}

export const inDays = (days: number, from = new Date()) => new Date(from.getTime() + days * 86_400_000).toISOString();

export interface ReturnOverrides { [field: string]: unknown }

export function returnBody(type: 'notice' | 'question' | 'custom', overrides: ReturnOverrides = {}) {
  return {
    clientEmail: 'Joao@Padaria.example',
    clientCode: '12',
    type,
    validUntil: inDays(30),
    departmentId: 'support',
    subject: 'Proposta de atualização',
    description: 'Podemos atualizar o sistema na sexta-feira?',
    ...(type === 'notice' ? {} : { contactPerson: 'João' }),
    ...overrides,
  };
}

const seeded = new WeakSet<FastifyInstance>();

/**
 * What returns point to must exist: the departments "support" and "sales" and the agents ana,
 * bruno and bia (support), created once per app by an admin.
 */
export async function seedReturnTeam(app: FastifyInstance): Promise<void> {
  if (seeded.has(app)) return;
  seeded.add(app);
  const admin = auth('admin');
  await ok(app, 'PUT', '/v1/departments/support', { name: 'Suporte', systems: ['Bimer ERP'] }, admin);
  await ok(app, 'PUT', '/v1/departments/sales', { name: 'Comercial', systems: [] }, admin);
  for (const [id, name] of [['ana', 'Ana'], ['bruno', 'Bruno'], ['bia', 'Bia']]) {
    await ok(app, 'PUT', `/v1/agents/${id}`, { name, departmentIds: ['support'], online: true }, admin);
  }
}

export async function createReturn(app: FastifyInstance, type: 'notice' | 'question' | 'custom' = 'question', overrides: ReturnOverrides = {}) {
  await seedReturnTeam(app);
  const r = await call(app, 'POST', '/v1/returns', returnBody(type, overrides));
  expect(r.status, r.raw).toBe(201);
  return r.body as { id: string; portalToken: string; portalUrl: string; status: string; [k: string]: unknown };
}

export const portal = (app: FastifyInstance, method: 'GET' | 'POST', id: string, token: string | undefined, suffix = '', payload?: unknown) =>
  call(app, method, `/v1/portal/returns/${id}${suffix}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`, payload, {});

/** A clock tests move by hand. */
export function settableClock(start = new Date()): Clock & { set(d: Date): void; advanceDays(n: number): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (d) => void (current = d.getTime()),
    advanceDays: (n) => void (current += n * 86_400_000),
  };
}

export function multipart(files: Array<{ filename: string; type?: string; content: Buffer }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ponte${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(f.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { ...helpdesk, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
