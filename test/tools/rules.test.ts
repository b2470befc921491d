// The chat tools' pure rules: entitled versions, remote-session state moves, dictionary words.

import { describe, expect, it } from 'vitest';
import { compareVersions, entitlementProblem, parseVersion } from '../../src/tools/releases/entitlement.js';
import { nextRemoteState } from '../../src/tools/remote/states.js';
import { checkDictionaryWord } from '../../src/tools/spellcheck/word-rule.js';

describe('entitled versions', () => {
  const cmp = (a: string, b: string) => Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!));

  it('compares dotted versions part by part as numbers, missing parts as zero', () => {
    expect(cmp('5.10', '5.9')).toBe(1);
    expect(cmp('5.3', '5.3.0')).toBe(0);
    expect(cmp('5.03', '5.3')).toBe(0);
    expect(cmp('5.2.99', '5.3')).toBe(-1);
    expect(cmp('10', '9.9.9')).toBe(1);
  });

  it('reads only dotted numbers', () => {
    expect(parseVersion(' 5.3.1 ')).toEqual([5, 3, 1]);
    for (const bad of ['', '5.', '.5', '5..3', 'v5.3', '5.3-beta', '5,3']) expect(parseVersion(bad), bad).toBeNull();
  });

  it('allows versions up to the entitled one of that system', () => {
    const recorded = [{ system: 'ERP', used: null, entitled: '5.3' }, { system: 'Folha', used: null, entitled: null }, { system: 'CRM', used: null, entitled: 'última' }];
    expect(entitlementProblem('ERP', '5.3.0', recorded)).toBeNull();
    expect(entitlementProblem('ERP', '4.9', recorded)).toBeNull();
    expect(entitlementProblem('ERP', '5.3.1', recorded)).toMatch(/up to version 5\.3/);
    expect(entitlementProblem('erp', '5.0', recorded)).toMatch(/no versions recorded for system "erp"/);
    expect(entitlementProblem('Folha', '1', recorded)).toMatch(/no entitled version/);
    expect(entitlementProblem('CRM', '1', recorded)).toMatch(/not a dotted numeric version/);
  });

  it('never goes below the version in use unless a downgrade is asked for', () => {
    const recorded = [{ system: 'ERP', used: '5.2.1', entitled: '5.3' }];
    expect(entitlementProblem('ERP', '5.2.1', recorded)).toBeNull();
    expect(entitlementProblem('ERP', '5.3', recorded)).toBeNull();
    expect(entitlementProblem('ERP', '5.2', recorded)).toMatch(/uses "ERP" 5\.2\.1; 5\.2 is below it \(send allowDowngrade: true/);
    expect(entitlementProblem('ERP', '5.2', recorded, true)).toBeNull();
    expect(entitlementProblem('ERP', '5.4', recorded, true)).toMatch(/up to version 5\.3/);
  });
});

describe('remote-session states', () => {
  it('moves forward as reported and keeps final states', () => {
    expect(nextRemoteState('waiting', 'connected')).toBe('connected');
    expect(nextRemoteState('waiting', 'ended')).toBe('ended');
    expect(nextRemoteState('connected', 'ended')).toBe('ended');
    expect(nextRemoteState('connected', 'failed')).toBe('failed');
  });

  it('ignores repeats, stale reports and anything after the end', () => {
    expect(nextRemoteState('waiting', 'waiting')).toBeNull();
    expect(nextRemoteState('connected', 'waiting')).toBeNull();
    expect(nextRemoteState('ended', 'connected')).toBeNull();
    expect(nextRemoteState('failed', 'ended')).toBeNull();
  });
});

describe('custom dictionary words', () => {
  it('accepts letters joined by single hyphens or apostrophes, stored in dictionary form', () => {
    expect(checkDictionaryWord(' Bimer ')).toEqual({ word: 'Bimer' });
    expect(checkDictionaryWord('pré-nota')).toEqual({ word: 'pré-nota' });
    expect(checkDictionaryWord('d’água')).toEqual({ word: "d'água" });
    expect(checkDictionaryWord('emissão'.normalize('NFD'))).toEqual({ word: 'emissão' });
    expect(checkDictionaryWord('a'.repeat(60))).toEqual({ word: 'a'.repeat(60) });
  });

  it('refuses digits, spaces, signs, dangling separators and long words', () => {
    for (const bad of ['', 'abc1', 'duas palavras', 'hífen-', '-x', "d''água", 'a--b', 'ponte.com', 'a'.repeat(61)]) {
      expect('problem' in checkDictionaryWord(bad), bad).toBe(true);
    }
  });
});
