// The pure case-work rules: subject definitions, required fields, workflow moves, active
// returns and permissions.

import { describe, expect, it } from 'vitest';
import { checkSubjectDefinition, type SubjectDefinition } from '../../src/domain/casework-subject.js';
import { checkReplyMailRules, checkSituationMove, isActiveReturn, missingRequiredFields, SituationMoveRefused, type CaseState } from '../../src/domain/casework-rules.js';
import { effectivePermissions, missingPermissions, permissionsOf, PERMISSIONS } from '../../src/domain/permissions.js';
import { assistanceSubject } from './fixtures.js';

const subject = assistanceSubject() as SubjectDefinition;
const empty: CaseState = { subSubjectId: null, responsibleUserId: null, priority: null, nextActionAt: null, productId: null, departmentId: null };

describe('subject definitions', () => {
  it('accepts a workflow whose moves join declared situations', () => {
    expect(checkSubjectDefinition(subject)).toEqual([]);
  });

  it('names every problem at once: undeclared situations in moves, duplicates, moves to itself', () => {
    const problems = checkSubjectDefinition({
      name: 'X',
      subSubjects: [{ id: 'a', name: 'A' }, { id: 'a', name: 'A2' }],
      requiredFields: [],
      situations: ['Aberto', 'Aberto', 'Fechado'],
      moves: [{ from: 'Aberto', to: 'Arquivado' }, { from: 'Novo', to: 'Fechado' }, { from: 'Fechado', to: 'Fechado' }],
    });
    expect(problems.map((p) => p.path)).toEqual(['subSubjects[0].id', 'subSubjects[1].id', 'situations[0]', 'situations[1]', 'moves[0].to', 'moves[1].from', 'moves[2]']);
  });
});

describe('required fields', () => {
  it('lists every field the subject requires that the state lacks, in the declared order', () => {
    expect(missingRequiredFields(subject, empty).map((p) => p.path)).toEqual(['subSubjectId', 'responsibleUserId', 'priority', 'nextActionAt']);
  });

  it("adds the sub-subject's own required fields", () => {
    const state = { ...empty, subSubjectId: 'parede', responsibleUserId: 'ana', priority: 'high', nextActionAt: '2031-01-01T00:00:00.000Z' };
    expect(missingRequiredFields(subject, state)).toEqual([{ path: 'productId', message: 'required by sub-subject "Parede"' }]);
    expect(missingRequiredFields(subject, { ...state, subSubjectId: 'banheiro' })).toEqual([]);
  });
});

describe('workflow', () => {
  it('allows only declared moves and names the allowed ones otherwise', () => {
    expect(checkSituationMove(subject, 'Aberto', 'Em análise')).toBe('Em análise');
    try {
      checkSituationMove(subject, 'Aberto', 'Finalizado');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SituationMoveRefused);
      expect((err as SituationMoveRefused).status).toBe(409);
      expect((err as SituationMoveRefused).details[0]).toMatchObject({ current: 'Aberto', allowed: [{ from: 'Aberto', to: 'Em análise' }, { from: 'Aberto', to: 'Cancelado' }] });
    }
  });

  it('a return is active unless closed or in a situation with no move out of it', () => {
    expect(isActiveReturn({ status: 'open', situation: 'Aberto' }, subject)).toBe(true);
    expect(isActiveReturn({ status: 'closed', situation: 'Aberto' }, subject)).toBe(false);
    expect(isActiveReturn({ status: 'awaiting_client', situation: 'Cancelado' }, subject)).toBe(false);
    expect(isActiveReturn({ status: 'open', situation: 'Finalizado' }, subject)).toBe(false);
    expect(isActiveReturn({ status: 'open', situation: null })).toBe(true);
  });

  it('a reply e-mailed to the client must be visible to them', () => {
    expect(checkReplyMailRules({ sendByEmail: true, visibleToClient: false })).toEqual([expect.objectContaining({ path: 'sendByEmail' })]);
    expect(checkReplyMailRules({ sendByEmail: true, visibleToClient: true })).toEqual([]);
  });
});

describe('permissions', () => {
  it('no profile or an admin key: everything; an undefined profile: nothing', () => {
    expect(permissionsOf({ profileId: null }).size).toBe(PERMISSIONS.length);
    expect(permissionsOf({ admin: true, profileId: 'clerk', profile: [] }).size).toBe(PERMISSIONS.length);
    expect(permissionsOf({ profileId: 'ghost' }).size).toBe(0);
  });

  it("the acting agent's profile narrows the key's", () => {
    const have = effectivePermissions({ profileId: 'k', profile: ['clone', 'forward'] }, { profileId: 'a', profile: ['forward', 'create_tasks'] });
    expect([...have]).toEqual(['forward']);
    expect(missingPermissions(have, ['forward', 'clone', 'clone'])).toEqual(['clone']);
  });
});
