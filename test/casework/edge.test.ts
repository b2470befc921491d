// The edges of case work: subject definitions and their changes, forward corner cases,
// situations without a workflow, link rules (self, duplicates, inactive returns, unlink),
// clone confirmation, tasks and third-party mistakes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startPonte, type Ponte } from '../support/ponte.js';
import { admin, assistanceSubject, call, caseReturn, createReturn, createSubject, ok, paths, simpleSubject } from './fixtures.js';

describe('case work edges', () => {
  let ponte: Ponte;
  let app: FastifyInstance;
  let simpleId: string;
  let assistanceId: string;

  beforeAll(async () => {
    ponte = await startPonte('postgres');
    app = ponte.app;
    simpleId = (await createSubject(app, simpleSubject())).id;
    assistanceId = (await createSubject(app, assistanceSubject())).id;
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
  });

  describe('subjects', () => {
    it('are written by admins only and validated as a whole', async () => {
      expect((await call(app, 'POST', '/v1/subjects', simpleSubject())).status).toBe(403);
      const bad = await call(app, 'POST', '/v1/subjects', simpleSubject({ moves: [{ from: 'Aberto', to: 'Arquivado' }, { from: 'Novo', to: 'Fechado' }] }), admin);
      expect(bad.status).toBe(400);
      expect(paths(bad.body.error.details)).toEqual(['moves[0].to', 'moves[1].from']);
      const unknownField = await call(app, 'POST', '/v1/subjects', simpleSubject({ requiredFields: ['color'] }), admin);
      expect(unknownField.status).toBe(400);
    });

    it('are listed and read by helpdesk keys; PUT creates or replaces', async () => {
      expect((await ok(app, 'GET', '/v1/subjects')).items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([simpleId, assistanceId]));
      expect((await ok(app, 'GET', `/v1/subjects/${simpleId}`)).situations).toEqual(['Aberto', 'Fechado']);
      expect((await call(app, 'GET', '/v1/subjects/none')).status).toBe(404);
      expect((await call(app, 'PUT', '/v1/subjects/financeiro', simpleSubject({ name: 'Financeiro' }), admin)).status).toBe(201);
      const replaced = await call(app, 'PUT', '/v1/subjects/financeiro', simpleSubject({ name: 'Financeiro', situations: ['Aberto', 'Pago', 'Fechado'] }), admin);
      expect(replaced.status).toBe(200);
      expect(replaced.body.situations).toEqual(['Aberto', 'Pago', 'Fechado']);
      expect((await call(app, 'POST', '/v1/subjects', { ...simpleSubject(), id: 'financeiro' }, admin)).body.error.code).toBe('SUBJECT_EXISTS');
    });

    it('cannot drop a situation or sub-subject that returns still use', async () => {
      await ok(app, 'PUT', '/v1/subjects/vendas', simpleSubject({ name: 'Vendas' }), admin);
      await caseReturn(app, 'vendas');
      const dropped = await call(app, 'PUT', '/v1/subjects/vendas', simpleSubject({ name: 'Vendas', subSubjects: [], situations: ['Novo', 'Fechado'], moves: [] }), admin);
      expect(dropped.status).toBe(409);
      expect(dropped.body.error.code).toBe('SUBJECT_IN_USE');
      expect(dropped.body.error.details.map((d: { message: string }) => d.message)).toEqual(['situation "Aberto" is still used by 1 return(s)', 'sub-subject "geral" is still used by 1 return(s)']);
    });
  });

  describe('forward', () => {
    it('refuses unknown subjects and sub-subjects of another subject', async () => {
      const r = await createReturn(app);
      const unknown = await call(app, 'POST', `/v1/returns/${r.id}/forward`, { subjectId: 'nope' });
      expect([unknown.status, unknown.body.error.code]).toEqual([400, 'UNKNOWN_SUBJECT']);
      const foreign = await call(app, 'POST', `/v1/returns/${r.id}/forward`, { subjectId: simpleId, subSubjectId: 'parede' });
      expect([foreign.status, foreign.body.error.code]).toEqual([400, 'UNKNOWN_SUB_SUBJECT']);
      const orphan = await call(app, 'POST', `/v1/returns/${r.id}/forward`, { subSubjectId: 'geral' });
      expect(orphan.status).toBe(400);
      expect((await call(app, 'POST', '/v1/returns/00000000-0000-4000-8000-000000000000/forward', { priority: 'low' })).status).toBe(404);
    });

    it('a new subject starts at its first situation without the old sub-subject; a no-op writes no history', async () => {
      const r = await caseReturn(app, simpleId);
      await ok(app, 'POST', `/v1/returns/${r.id}/situation`, { situation: 'Fechado' });
      const moved = await ok(app, 'POST', `/v1/returns/${r.id}/forward`, { subjectId: assistanceId, subSubjectId: 'banheiro', responsibleUserId: 'ana', priority: 'low', nextActionAt: '2031-02-01T00:00:00Z' });
      expect(moved).toMatchObject({ subjectId: assistanceId, subSubjectId: 'banheiro', situation: 'Aberto' });
      const before = (await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items.length;
      await ok(app, 'POST', `/v1/returns/${r.id}/forward`, { priority: 'low' });
      expect((await ok(app, 'GET', `/v1/returns/${r.id}/history`)).items.length).toBe(before);
      // Clearing a required field is refused; clearing an optional one is fine.
      const cleared = await call(app, 'POST', `/v1/returns/${r.id}/forward`, { priority: null, departmentId: null });
      expect(cleared.status).toBe(400);
      expect(paths(cleared.body.error.details)).toEqual(['priority']);
      expect((await ok(app, 'POST', `/v1/returns/${r.id}/forward`, { departmentId: null })).departmentId).toBeNull();
    });

    it('situation: needs a subject, and names the allowed moves for an undeclared one', async () => {
      const r = await createReturn(app);
      const none = await call(app, 'POST', `/v1/returns/${r.id}/situation`, { situation: 'Fechado' });
      expect([none.status, none.body.error.code]).toEqual([409, 'RETURN_HAS_NO_SUBJECT']);
      const c = await caseReturn(app, simpleId);
      const odd = await call(app, 'POST', `/v1/returns/${c.id}/situation`, { situation: 'Voando' });
      expect(odd.status).toBe(409);
      expect(odd.body.error.message).toBe('cannot move from "Aberto" to "Voando"; allowed: "Fechado"');
      await ok(app, 'POST', `/v1/returns/${c.id}/situation`, { situation: 'Fechado' });
      const stuck = await call(app, 'POST', `/v1/returns/${c.id}/situation`, { situation: 'Aberto' });
      expect(stuck.body.error.message).toContain('no move is allowed from there');
    });

    it('a return forwarded before its subject had a workflow stands at the initial situation once it gets one', async () => {
      await ok(app, 'PUT', '/v1/subjects/sem-fluxo', simpleSubject({ name: 'Sem fluxo', situations: [], moves: [] }), admin);
      const r = await caseReturn(app, 'sem-fluxo');
      expect((await ok(app, 'GET', `/v1/returns/${r.id}`)).situation).toBeNull();
      await ok(app, 'PUT', '/v1/subjects/sem-fluxo', simpleSubject({ name: 'Sem fluxo' }), admin);
      expect((await ok(app, 'POST', `/v1/returns/${r.id}/situation`, { situation: 'Fechado' })).situation).toBe('Fechado');
    });
  });

  describe('links', () => {
    it('refuse itself, duplicates and unknown returns', async () => {
      const [a, b] = [await createReturn(app), await createReturn(app)];
      const self = await call(app, 'POST', `/v1/returns/${a.id}/links`, { returnId: a.id });
      expect([self.status, self.body.error.code]).toEqual([400, 'LINK_TO_SELF']);
      await ok(app, 'POST', `/v1/returns/${a.id}/links`, { returnId: b.id });
      const again = await call(app, 'POST', `/v1/returns/${b.id}/links`, { returnId: a.id });
      expect([again.status, again.body.error.code]).toEqual([409, 'LINK_EXISTS']);
      const unknown = await call(app, 'POST', `/v1/returns/${a.id}/links`, { returnId: '00000000-0000-4000-8000-000000000000' });
      expect([unknown.status, unknown.body.error.code]).toEqual([400, 'UNKNOWN_RETURN']);
    });

    it('only between active returns: not closed, not in a final situation', async () => {
      const active = await createReturn(app);
      const closed = await createReturn(app);
      await ok(app, 'POST', `/v1/returns/${closed.id}/close`);
      const refused = await call(app, 'POST', `/v1/returns/${active.id}/links`, { returnId: closed.id });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'RETURN_NOT_ACTIVE', details: [{ returnId: closed.id, message: `return ${closed.id} is closed` }] });
      const finished = await caseReturn(app, simpleId);
      await ok(app, 'POST', `/v1/returns/${finished.id}/situation`, { situation: 'Fechado' });
      const final = await call(app, 'POST', `/v1/returns/${finished.id}/links`, { returnId: active.id });
      expect(final.status).toBe(409);
      expect(final.body.error.message).toContain('is in the final situation "Fechado"');
    });

    it('unlink removes it from both sides, only while both are active', async () => {
      const [a, b, c] = [await createReturn(app), await createReturn(app), await createReturn(app)];
      await ok(app, 'POST', `/v1/returns/${a.id}/links`, { returnId: b.id });
      await ok(app, 'POST', `/v1/returns/${c.id}/links`, { returnId: a.id });
      expect((await call(app, 'DELETE', `/v1/returns/${b.id}/links/${a.id}`)).status).toBe(204);
      expect((await ok(app, 'GET', `/v1/returns/${a.id}/links`)).items.map((l: { returnId: string }) => l.returnId)).toEqual([c.id]);
      expect((await ok(app, 'GET', `/v1/returns/${b.id}/links`)).items).toEqual([]);
      expect((await call(app, 'DELETE', `/v1/returns/${b.id}/links/${a.id}`)).status).toBe(404);
      await ok(app, 'POST', `/v1/returns/${c.id}/close`);
      expect((await call(app, 'DELETE', `/v1/returns/${a.id}/links/${c.id}`)).status).toBe(409);
      const history = (await ok(app, 'GET', `/v1/returns/${b.id}/history`)).items.map((h: { action: string; changes: unknown }) => [h.action, h.changes]);
      expect(history).toEqual(expect.arrayContaining([['return.linked', { links: { from: null, to: a.id } }], ['return.unlinked', { links: { from: a.id, to: null } }]]));
    });
  });

  describe('clone, tasks and third parties', () => {
    it('clone needs confirm: true; a closed return can be cloned and keeps the link', async () => {
      const r = await createReturn(app);
      expect((await call(app, 'POST', `/v1/returns/${r.id}/clone`, {})).status).toBe(400);
      const no = await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: false });
      expect([no.status, no.body.error.code]).toEqual([400, 'CONFIRMATION_REQUIRED']);
      await ok(app, 'POST', `/v1/returns/${r.id}/close`);
      const clone = await call(app, 'POST', `/v1/returns/${r.id}/clone`, { confirm: true });
      expect(clone.status).toBe(201);
      expect(clone.body).toMatchObject({ status: 'open', clonedFrom: r.id, crmProcessNumber: null });
      expect((await ok(app, 'GET', `/v1/returns/${clone.body.id}/links`)).items).toEqual([expect.objectContaining({ returnId: r.id, origin: 'clone', status: 'closed' })]);
    });

    it('tasks: unknown task 404, done can be undone', async () => {
      const r = await caseReturn(app, simpleId);
      expect((await call(app, 'PATCH', `/v1/returns/${r.id}/tasks/nope`, { done: true })).status).toBe(404);
      const t = await ok(app, 'POST', `/v1/returns/${r.id}/tasks`, { title: 'Retornar ligação', assigneeId: 'ana', dueAt: '2031-03-01T10:00:00Z' });
      await ok(app, 'PATCH', `/v1/returns/${r.id}/tasks/${t.id}`, { done: true });
      expect(await ok(app, 'PATCH', `/v1/returns/${r.id}/tasks/${t.id}`, { done: false })).toMatchObject({ done: false, doneAt: null, doneBy: null });
    });

    it('third parties: no duplicates, not the client; copies need one; e-mailed replies must be visible', async () => {
      const r = await createReturn(app);
      const noParty = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Oi', copyThirdParties: true });
      expect([noParty.status, noParty.body.error.code]).toEqual([400, 'NO_THIRD_PARTIES']);
      const hidden = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Oi', visibleToClient: false, sendByEmail: true });
      expect(hidden.status).toBe(400);
      expect(paths(hidden.body.error.details)).toEqual(['sendByEmail']);
      const client = await call(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: 'Joao@Padaria.example' });
      expect([client.status, client.body.error.code]).toEqual([400, 'THIRD_PARTY_IS_CLIENT']);
      expect((await call(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: 'Ana@Imob.example', name: 'Ana' })).status).toBe(201);
      const dup = await call(app, 'POST', `/v1/returns/${r.id}/third-parties`, { email: 'ana@imob.example' });
      expect([dup.status, dup.body.error.code]).toEqual([409, 'THIRD_PARTY_EXISTS']);
      expect((await ok(app, 'GET', `/v1/returns/${r.id}/third-parties`)).items).toEqual([expect.objectContaining({ email: 'ana@imob.example', name: 'Ana', invitedBy: 'helpdesk' })]);
    });
  });
});
