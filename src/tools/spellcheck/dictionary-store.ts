// The custom dictionary's words and its version counter (bumped in the same transaction as
// every change, so any process can tell its copy is stale with one single-row read).

import type { Queryable } from '../../store/db.js';
import { keysetPage, type PageRequest } from '../../store/keyset.js';

export interface DictionaryWord { word: string; addedBy: string; addedAt: string }

/** One page of the words in order (the word is the key), with the dictionary's version. */
export async function listWords(q: Queryable, page: PageRequest): Promise<{ version: number; items: DictionaryWord[]; nextCursor: string | null }> {
  const [{ rows: words, nextCursor }, version] = await Promise.all([
    keysetPage<{ word: string; added_by: string; added_at: Date }>(q, { select: 'word, added_by, added_at', from: 'spellcheck_words' }, { columns: [['word', 'text']] }, page),
    dictionaryVersion(q),
  ]);
  return { version, items: words.map((r) => ({ word: r.word, addedBy: r.added_by, addedAt: r.added_at.toISOString() })), nextCursor };
}

export async function dictionaryVersion(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ version: string }>('SELECT version FROM spellcheck_dictionary');
  return Number(rows[0]?.version ?? 0);
}

/** The words and the version they belong to, read by one statement (one snapshot). */
export async function dictionarySnapshot(q: Queryable): Promise<{ version: number; words: string[] }> {
  const { rows } = await q.query<{ version: string; words: string[] }>(
    'SELECT d.version, ARRAY(SELECT word FROM spellcheck_words ORDER BY word) AS words FROM spellcheck_dictionary d');
  return { version: Number(rows[0]?.version ?? 0), words: rows[0]?.words ?? [] };
}

/** Inserts the word; null when it was already there (nothing changed, the version stays). */
export async function insertWord(q: Queryable, word: string, addedBy: string): Promise<DictionaryWord | null> {
  const { rows } = await q.query<{ word: string; added_by: string; added_at: Date }>(
    'INSERT INTO spellcheck_words (word, added_by) VALUES ($1, $2) ON CONFLICT (word) DO NOTHING RETURNING word, added_by, added_at',
    [word, addedBy],
  );
  return rows[0] ? { word: rows[0].word, addedBy: rows[0].added_by, addedAt: rows[0].added_at.toISOString() } : null;
}

export async function getWord(q: Queryable, word: string): Promise<DictionaryWord | null> {
  const { rows } = await q.query<{ word: string; added_by: string; added_at: Date }>('SELECT word, added_by, added_at FROM spellcheck_words WHERE word = $1', [word]);
  return rows[0] ? { word: rows[0].word, addedBy: rows[0].added_by, addedAt: rows[0].added_at.toISOString() } : null;
}

export async function deleteWord(q: Queryable, word: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM spellcheck_words WHERE word = $1', [word]);
  return (rowCount ?? 0) > 0;
}

export async function bumpVersion(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ version: string }>('UPDATE spellcheck_dictionary SET version = version + 1 RETURNING version');
  return Number(rows[0]!.version);
}
