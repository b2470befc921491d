// Small factories for the chat tests: departments, agents, a started chat, and a multipart body.

import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { auth } from '../support/ponte.js';

export const helpdesk = auth('helpdesk');
export const admin = auth('admin');

/** Admins keep departments, agents and profiles; an agent's presence is the helpdesk's. */
const adminWrite = (method: string, url: string) => method === 'PUT' && /^\/v1\/(departments|profiles|agents\/[^/]+$)/.test(url);

export async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers?: Record<string, string>) {
  const res = await app.inject({ method, url, headers: headers ?? (adminWrite(method, url) ? admin : helpdesk), payload: payload as object });
  return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body, res };
}

/** Calls and expects a 2xx; returns the JSON body. */
export async function ok(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers?: Record<string, string>) {
  const r = await call(app, method, url, payload, headers);
  expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/** Two departments (support with ERP systems, sales) and three agents: ana and bruno in support, carla in sales. */
export async function seedTeam(app: FastifyInstance): Promise<void> {
  await ok(app, 'PUT', '/v1/departments/support', { name: 'Suporte', systems: ['Bimer ERP', 'Bimer CRM'] });
  await ok(app, 'PUT', '/v1/departments/sales', { name: 'Comercial', systems: [] });
  await ok(app, 'PUT', '/v1/agents/ana', { name: 'Ana', departmentIds: ['support'], online: true, spellcheck: true });
  await ok(app, 'PUT', '/v1/agents/bruno', { name: 'Bruno', departmentIds: ['support'], online: true, spellcheck: false });
  await ok(app, 'PUT', '/v1/agents/carla', { name: 'Carla', departmentIds: ['sales'], online: true, spellcheck: false });
}

export interface ClientOverrides { name?: string; email?: string; clientCode?: string; taxId?: string; phone?: string; companyName?: string }

export async function startChat(app: FastifyInstance, client: ClientOverrides = {}, departmentId = 'support', subject = 'Erro ao emitir nota') {
  return ok(app, 'POST', '/v1/chats', { client: { name: 'João Cliente', email: 'joao@padaria.example', clientCode: '12', ...client }, departmentId, subject });
}

/** A chat accepted by `agentId` (active). */
export async function activeChat(app: FastifyInstance, agentId = 'ana', client: ClientOverrides = {}) {
  const chat = await startChat(app, client);
  await ok(app, 'POST', `/v1/chats/${chat.id}/accept`, { agentId });
  return chat;
}

export interface FilePart { filename: string; type?: string; content: Buffer }

export function multipart(files: FilePart[], fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ponte${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(f.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { ...helpdesk, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
