import { describe, it, expect } from 'vitest';
import { checkFieldRules, checkLookupRules, normalizeClientCode, type IntegrationRequest } from '../../src/domain/integration-request.js';

const base: IntegrationRequest = { clientCode: '000012', productId: 'P', caseTypeId: 'T', closeCase: true, subject: 'S' };
const ctx: { chatStatus: string; existing: Array<{ multiple: boolean; status: string }>; today: string } = { chatStatus: 'closed', existing: [], today: '2026-11-28' };
const paths = (req: Partial<IntegrationRequest>, c: Partial<typeof ctx> = {}) =>
  checkFieldRules({ ...base, ...req }, { ...ctx, ...c }).map((p) => p.path);

describe('integration field rules (seed 004)', () => {
  it('accepts a plain closing integration on a closed chat', () => {
    expect(paths({})).toEqual([]);
  });

  it('needs the chat to be closed', () => {
    expect(paths({}, { chatStatus: 'active' })).toEqual(['chatId']);
  });

  it('allows a second integration only with multiple, and never after one made without it', () => {
    expect(paths({}, { existing: [{ multiple: true, status: 'succeeded' }] })).toEqual(['multiple']);
    expect(paths({ multiple: true }, { existing: [{ multiple: true, status: 'succeeded' }] })).toEqual([]);
    expect(paths({ multiple: true }, { existing: [{ multiple: false, status: 'pending' }] })).toEqual(['multiple']);
    expect(paths({}, { existing: [{ multiple: false, status: 'cancelled' }] })).toEqual([]);
  });

  it('allows next-contact user and date only when the case stays open', () => {
    expect(paths({ closeCase: true, nextContact: { userId: 'U', date: '2027-01-01' } })).toEqual(['nextContact.userId', 'nextContact.date']);
    expect(paths({ closeCase: false, nextContact: { userId: 'U', date: '2027-01-01' } })).toEqual([]);
  });

  it('allows priority only with a next-contact user on an open case', () => {
    expect(paths({ closeCase: true, priority: true })).toEqual(['priority']);
    expect(paths({ closeCase: false, priority: true })).toEqual(['priority']);
    expect(paths({ closeCase: false, priority: true, nextContact: { userId: 'U' } })).toEqual([]);
    expect(paths({ closeCase: false, priority: true, processNumber: '10000001' })).toEqual([]);
  });

  it('allows a responsibility center only when closing', () => {
    expect(paths({ closeCase: false, responsibilityCenterId: 'C' })).toEqual(['responsibilityCenterId']);
    expect(paths({ closeCase: true, responsibilityCenterId: 'C' })).toEqual([]);
  });

  it('refuses a next-contact date in the past', () => {
    expect(paths({ closeCase: false, nextContact: { date: '2026-11-27' } })).toEqual(['nextContact.date']);
  });

  it('uses historyExcerpt only with multiple', () => {
    expect(paths({ historyExcerpt: 'x' })).toEqual(['historyExcerpt']);
    expect(paths({ multiple: true, historyExcerpt: 'x' })).toEqual([]);
  });

  it('prefixes paths with the position in the body', () => {
    expect(checkFieldRules({ ...base, priority: true }, ctx, 'integrations[1].')[0]!.path).toBe('integrations[1].priority');
  });
});

describe('integration lookup rules', () => {
  it('requires the standard opinion to belong to the case type', () => {
    const caseType = { standardOpinions: [{ id: 'O1' }] };
    expect(checkLookupRules({ ...base, standardOpinionId: 'O2' }, { caseType }).map((p) => p.path)).toEqual(['standardOpinionId']);
    expect(checkLookupRules({ ...base, standardOpinionId: 'O1' }, { caseType })).toEqual([]);
  });

  it('names unknown or inactive ERP records, and skips facts not looked up', () => {
    expect(checkLookupRules(base, { client: null, product: null, caseType: null }).map((p) => p.path)).toEqual(['clientCode', 'productId', 'caseTypeId']);
    expect(checkLookupRules(base, { product: { active: false } })[0]!.message).toMatch(/inactive/);
    expect(checkLookupRules(base, {})).toEqual([]);
  });

  it('needs every SpySystem login to notify among the ERP users', () => {
    const users = [{ spySystemLogin: 'ana.souza' }, {}];
    const notify = { spySystemLogins: ['ana.souza', 'ninguem', 'outro'] };
    expect(checkLookupRules({ ...base, notify }, { users })).toEqual([{ path: 'notify.spySystemLogins', message: 'no ERP user with SpySystem login ninguem, outro' }]);
    expect(checkLookupRules({ ...base, notify: { spySystemLogins: ['ana.souza'] } }, { users })).toEqual([]);
  });

  it('needs the linked process to exist, and a next-contact user for priority (its own or the process\'s)', () => {
    const linked = { ...base, processNumber: '10000001', closeCase: false, priority: true };
    expect(checkLookupRules(linked, { process: null }).map((p) => p.path)).toEqual(['processNumber']);
    expect(checkLookupRules(linked, { process: {} }).map((p) => p.path)).toEqual(['priority']);
    expect(checkLookupRules(linked, { process: { nextContactUserId: 'U' } })).toEqual([]);
  });

  it('pads client codes to six digits', () => {
    expect(normalizeClientCode('12')).toBe('000012');
  });
});
