// The custom dictionary (seed 001 "Cadastro/Dicionário"): admins add and remove words; each
// change is audited, bumps the version, reloads this process's checker before answering and is
// announced on `spellcheck:dictionary` so every other process reloads too.

import type { Deps } from '../../deps.js';
import type { Queryable } from '../../store/db.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { checkDictionaryWord } from './word-rule.js';
import { bumpVersion, deleteWord, getWord, insertWord, listWords, type DictionaryWord } from './dictionary-store.js';
import { DICTIONARY_CHANGED, DICTIONARY_TOPIC, reloadDictionary } from './service.js';

export { listWords as dictionaryWords };

function validWord(raw: string, path: string): string {
  const checked = checkDictionaryWord(raw);
  if ('problem' in checked) throw ValidationError.field(path, checked.problem, 'INVALID_WORD');
  return checked.word;
}

async function audit(q: Queryable, actor: string, action: string, word: string): Promise<void> {
  await q.query('INSERT INTO audit_events (actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, $4, $5)',
    [actor, action, 'spellcheck_word', word, JSON.stringify({ word })]);
}

async function announce(deps: Deps, version: number): Promise<void> {
  await reloadDictionary(deps);
  try {
    await deps.live.publish(DICTIONARY_TOPIC, DICTIONARY_CHANGED, { version });
  } catch (err) {
    // The change is committed; other processes catch up through their version re-check.
    deps.log.warn({ err, version }, 'custom dictionary change not announced');
  }
}

/** Adds the word; `created` is false when it was already there (nothing changes then). */
export async function addDictionaryWord(deps: Deps, raw: string, actor: string): Promise<{ word: DictionaryWord; created: boolean }> {
  const word = validWord(raw, 'word');
  const out = await deps.db.tx(async (q) => {
    const inserted = await insertWord(q, word, actor);
    if (!inserted) return { word: (await getWord(q, word))!, version: null };
    await audit(q, actor, 'spellcheck.word_added', word);
    return { word: inserted, version: await bumpVersion(q) };
  });
  if (out.version !== null) await announce(deps, out.version);
  return { word: out.word, created: out.version !== null };
}

export async function removeDictionaryWord(deps: Deps, raw: string, actor: string): Promise<void> {
  const word = validWord(raw, 'word');
  const version = await deps.db.tx(async (q) => {
    if (!(await deleteWord(q, word))) throw new NotFoundError('dictionary word', word);
    await audit(q, actor, 'spellcheck.word_removed', word);
    return bumpVersion(q);
  });
  await announce(deps, version);
}
