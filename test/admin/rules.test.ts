import { describe, it, expect } from 'vitest';
import { changedFields, mergePatch, shapeProblems } from '../../src/admin/request-patch.js';
import { filterSql, parseFilter } from '../../src/admin/filter.js';
import { decodeCursor, encodeCursor, isTimestamp, isUuid } from '../../src/admin/cursor.js';
import { readCookie } from '../../src/admin/session.js';

describe('patching a stored integration request', () => {
  const stored = { clientCode: '000012', productId: 'P1', caseTypeId: 'T1', closeCase: false, nextContact: { userId: 'U1', date: '2030-01-01' }, priority: true, subject: 'A' };

  it('merges like JSON Merge Patch: objects merge, null removes, arrays and scalars replace', () => {
    expect(mergePatch(stored, { productId: 'P2', nextContact: { date: null }, priority: null, notify: { emails: ['a@b.co'] } })).toEqual({
      clientCode: '000012', productId: 'P2', caseTypeId: 'T1', closeCase: false, nextContact: { userId: 'U1' }, subject: 'A', notify: { emails: ['a@b.co'] },
    });
    expect(stored.nextContact.date).toBe('2030-01-01');
  });

  it('lists the from/to of each changed top-level field only', () => {
    const after = mergePatch(stored, { productId: 'P2', priority: null, subject: 'A' });
    expect(changedFields(stored, after)).toEqual({ productId: { from: 'P1', to: 'P2' }, priority: { from: true, to: null } });
  });

  it('checks the merged request against the creation schema, naming fields under patch.', async () => {
    expect(await shapeProblems('case', mergePatch(stored, { productId: 'P2' }), 'patch.')).toEqual([]);
    const problems = await shapeProblems('case', mergePatch(stored, { subject: null, nextContact: { date: 'tomorrow' } }), 'patch.');
    expect(problems.map((p) => p.path).sort()).toEqual(['patch.nextContact.date', 'patch.subject']);
    expect(await shapeProblems('opinion', { processNumber: '10000001', text: '' }, 'patch.')).toEqual([{ path: 'patch.text', message: expect.any(String) }]);
  });
});

describe('the admin filter', () => {
  it('parses status lists, pads client codes and builds numbered placeholders', () => {
    const f = parseFilter({ status: ['failed,dead', 'failed'], clientCode: '12', since: '2026-01-01T00:00:00Z' });
    expect(f).toMatchObject({ statuses: ['failed', 'dead'], clientCode: '000012' });
    const { where, values } = filterSql(f, 2);
    expect(where).toEqual(['status = ANY($3::text[])', 'client_code = $4', 'created_at >= $5']);
    expect(values[0]).toEqual(['failed', 'dead']);
  });

  it('names every bad field at once', () => {
    expect(() => parseFilter({ status: 'lost', chatId: 'x', since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }, 'filter.')).toThrow(
      expect.objectContaining({ status: 400, details: [expect.objectContaining({ path: 'filter.status' }), expect.objectContaining({ path: 'filter.chatId' }), expect.objectContaining({ path: 'filter.until' })] }),
    );
  });
});

describe('cursors and cookies', () => {
  it('round-trips a cursor and refuses anything else', () => {
    const key: [string, string] = ['2026-03-01T12:00:00.123456+00:00', '5f00f40f-d674-472f-a71d-d151797801b1'];
    expect(decodeCursor<[string, string]>(encodeCursor(key), [isTimestamp, isUuid])).toEqual(key);
    for (const bad of ['', 'not-base64!', encodeCursor(['x', 'y']), encodeCursor([key[0]])]) {
      expect(() => decodeCursor(bad, [isTimestamp, isUuid])).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; ponte_admin=x.y.z%3D; b=2', 'ponte_admin')).toBe('x.y.z=');
    expect(readCookie(undefined, 'ponte_admin')).toBeUndefined();
  });
});
