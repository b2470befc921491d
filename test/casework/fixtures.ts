// Factories for the case-work tests: a subject with a workflow, profiles, keys that carry a
// profile, and a return forwarded to a subject.

import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { API_KEYS, auth } from '../support/ponte.js';
import { call, createReturn, ok } from '../returns/fixtures.js';

export { call, createReturn, ok };
export const admin = auth('admin');

/** Keys with profiles, seeded through PONTE_API_KEYS (`name:role:secret:profileId`). */
export const PROFILE_KEYS = { clerk: 'test-clerk-secret-abcdefghijk', senior: 'test-senior-secret-abcdefghij', ghost: 'test-ghost-secret-abcdefghijk' };
export const API_KEYS_WITH_PROFILES = `${API_KEYS},clerk:helpdesk:${PROFILE_KEYS.clerk}:clerk,senior:helpdesk:${PROFILE_KEYS.senior}:senior,ghost:helpdesk:${PROFILE_KEYS.ghost}:no-such-profile`;
export const keyOf = (name: keyof typeof PROFILE_KEYS) => ({ authorization: `Bearer ${PROFILE_KEYS[name]}` });

export const ALL_PERMISSIONS = ['view_client_data', 'change_subject', 'change_situation', 'forward', 'create_tasks', 'clone', 'invite_third_parties', 'see_private_notes', 'link_returns'];

/** "Assistência técnica": sub-subject, responsible, priority and next action required; "parede" also needs a product. */
export function assistanceSubject(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Assistência técnica',
    subSubjects: [{ id: 'parede', name: 'Parede', requiredFields: ['productId'] }, { id: 'banheiro', name: 'Banheiro' }],
    requiredFields: ['subSubjectId', 'responsibleUserId', 'priority', 'nextActionAt'],
    situations: ['Aberto', 'Em análise', 'Aguardando peça', 'Finalizado', 'Cancelado'],
    moves: [
      { from: 'Aberto', to: 'Em análise' }, { from: 'Aberto', to: 'Cancelado' },
      { from: 'Em análise', to: 'Aguardando peça' }, { from: 'Em análise', to: 'Finalizado' }, { from: 'Em análise', to: 'Cancelado' },
      { from: 'Aguardando peça', to: 'Em análise' },
    ],
    ...overrides,
  };
}

/** A subject without required fields: "Aberto" → "Fechado" (final). */
export function simpleSubject(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Informação',
    subSubjects: [{ id: 'geral', name: 'Geral' }],
    requiredFields: [],
    situations: ['Aberto', 'Fechado'],
    moves: [{ from: 'Aberto', to: 'Fechado' }],
    ...overrides,
  };
}

export async function createSubject(app: FastifyInstance, body: Record<string, unknown>): Promise<{ id: string; [k: string]: unknown }> {
  const r = await call(app, 'POST', '/v1/subjects', body, admin);
  expect(r.status, r.raw).toBe(201);
  return r.body;
}

export async function putProfile(app: FastifyInstance, id: string, permissions: string[]) {
  return ok(app, 'PUT', `/v1/profiles/${id}`, { name: id, permissions }, admin);
}

/** A return forwarded to the simple subject with sub-subject "geral" (so tasks are allowed). */
export async function caseReturn(app: FastifyInstance, subjectId: string, overrides: Record<string, unknown> = {}) {
  const r = await createReturn(app, 'question', overrides);
  await ok(app, 'POST', `/v1/returns/${r.id}/forward`, { subjectId, subSubjectId: 'geral' });
  return r;
}

export const paths = (details: Array<{ path: string }>) => details.map((d) => d.path);
