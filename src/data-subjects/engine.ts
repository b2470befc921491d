// The work of an erasure or anonymization, one batch at a time over the registry's tables:
// detach references to rows that will go, delete or clean the person's own rows (their files
// and queued jobs with them), then scrub every copy elsewhere. Each batch is one transaction
// and says where to go on, so a job that dies resumes where the last batch committed. Calls to
// the job backend happen before that transaction: on the embedded PGlite every connection
// shares one session, so a BullMQ call made inside a transaction would wait for it forever.

import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db, Queryable } from '../store/db.js';
import type { JobEngine } from '../jobs/engine.js';
import { PonteError } from '../errors.js';
import { PLACEHOLDER, Scrubber } from '../domain/data-subject-scrub.js';
import { PERSONAL, REGISTRY, personalColumns, type TableEntry, type Treatment } from './registry.js';
import { bind, mentionRegex, mentionSql, ownedSql, type Scope } from './scope.js';

export const BATCH = 200;

export type Mode = 'anonymize' | 'erase';
export type Phase = 'detach' | 'owned' | 'mentions';
export interface Step { table: string; phase: Phase }
export interface Touched { deleted: number; cleaned: number; scrubbed: number }

export interface Run {
  mode: Mode;
  scope: Scope;
  scrubber: Scrubber;
  /** Look for copies in other records (erasures); retention only handles the rows it chose. */
  mentions: boolean;
  uploadDir: string;
  jobs: JobEngine;
}

export interface BatchResult { touched: Touched; files: number; done: boolean; cursor: unknown[] | null }

const deletes = (entry: TableEntry, mode: Mode) => mode === 'erase' ? (entry.erase ?? 'delete') === 'delete' : Boolean(entry.anonymizeDeletes);

/** Every step of a run, in registry order. */
export function stepsFor(mode: Mode, mentions: boolean): Step[] {
  return REGISTRY.flatMap((entry) => [
    ...(mode === 'erase' && entry.refs ? [{ table: entry.table, phase: 'detach' as const }] : []),
    ...(entry.owned ? [{ table: entry.table, phase: 'owned' as const }] : []),
    ...(mentions && personalColumns(entry).length ? [{ table: entry.table, phase: 'mentions' as const }] : []),
  ]);
}

/** A column's new value: `own` rows get placeholders, copies elsewhere only lose the identifiers. */
export function treat(t: Treatment, v: unknown, own: boolean, s: Scrubber): unknown {
  if (v === null || v === undefined) return v;
  if (t === 'json') return own ? s.ownJson(v) : s.json(v);
  if (Array.isArray(v)) return v.map((x) => treat(t, x, own, s));
  if (typeof v !== 'string' || !own) return typeof v === 'string' ? s.text(v) : v;
  switch (t) {
    case 'email': return s.pseudonyms.email;
    case 'name': return s.pseudonyms.name;
    case 'phone': return s.pseudonyms.phone;
    case 'taxId': return s.pseudonyms.taxId;
    case 'text': return v === '' ? v : PLACEHOLDER;
    default: return s.text(v);
  }
}

async function removeFile(uploadDir: string, rel: unknown): Promise<boolean> {
  if (typeof rel !== 'string' || !rel) return false;
  const abs = path.resolve(uploadDir, rel);
  if (!abs.startsWith(uploadDir + path.sep)) return false;
  await rm(abs, { force: true });
  // The record's folder (<chatId>/ or returns/<returnId>/) goes once empty.
  await rmdir(path.dirname(abs)).catch(() => undefined);
  return true;
}

/** The outbox row's job in the backend: removed, or (anonymize, still waiting) given clean data. */
async function settleJob(run: Run, entry: TableEntry, row: Record<string, unknown>, own: boolean): Promise<void> {
  const job = await run.jobs.queue(String(row[entry.job!.queue])).getJob(String(row[entry.job!.id]));
  if (!job) return;
  const state = await job.getState();
  if (state === 'active') throw new PonteError('JOB_ACTIVE', `job ${job.id} is running; the erasure goes on once it ends`, { retryable: true });
  if (run.mode === 'erase' || state === 'completed' || state === 'failed') await job.remove();
  else await job.updateData(own ? run.scrubber.ownJson(job.data) : run.scrubber.json(job.data));
}

/** One batch of one step; `save` runs in the batch's transaction (the caller's progress). */
export async function runBatch(db: Db, run: Run, step: Step, cursor: unknown[] | null, save: (q: Queryable, r: BatchResult) => Promise<void> = async () => undefined): Promise<BatchResult> {
  const entry = REGISTRY.find((e) => e.table === step.table)!;
  const touched: Touched = { deleted: 0, cleaned: 0, scrubbed: 0 };
  if (step.phase === 'detach') {
    return db.tx(async (q) => {
      // Only references change here: the rows are counted once, by the step that cleans or deletes them.
      for (const [column, list] of Object.entries(entry.refs ?? {})) {
        const { text, values } = bind(`UPDATE ${entry.table} SET ${column} = NULL WHERE ${column} = ANY(:${list}::uuid[])`, run.scope);
        await q.query(text, values);
      }
      const result = { touched, files: 0, done: true, cursor: null };
      await save(q, result);
      return result;
    });
  }
  const own = step.phase === 'owned';
  const selection = select(entry, run, own, cursor);
  if (!selection) return db.tx(async (q) => {
    const result = { touched, files: 0, done: true, cursor: null };
    await save(q, result);
    return result;
  });
  const remove = own && deletes(entry, run.mode);
  let { where, values } = selection;
  if (entry.job) {
    // Settle the backend's jobs first (outside any transaction), then handle exactly those rows.
    const { rows: picked } = await db.query(`SELECT * FROM ${entry.table} WHERE ${where} ORDER BY ${entry.key.join(', ')} LIMIT ${BATCH}`, values);
    for (const row of picked) await settleJob(run, entry, row, own);
    where = `(${entry.key.join(', ')}) IN (SELECT ${entry.key.join(', ')} FROM jsonb_populate_recordset(NULL::${entry.table}, $1::jsonb))`;
    values = [JSON.stringify(picked)];
  }
  return db.tx(async (q) => {
    const { rows } = await q.query(`SELECT ctid::text AS ctid__, * FROM ${entry.table} WHERE ${where} ORDER BY ${entry.key.join(', ')} LIMIT ${BATCH} FOR UPDATE`, values);
    let files = 0;
    for (const row of rows) {
      if (remove) {
        for (const [column, t] of Object.entries(entry.columns)) if (t === 'file' && (await removeFile(run.uploadDir, row[column]))) files++;
        continue;
      }
      if (await clean(q, entry, row, own, run.scrubber)) touched[own ? 'cleaned' : 'scrubbed']++;
    }
    if (remove && rows.length) {
      touched.deleted = (await q.query(`DELETE FROM ${entry.table} WHERE ctid = ANY($1::tid[])`, [rows.map((r) => r.ctid__)])).rowCount ?? 0;
    }
    const last = rows[rows.length - 1];
    const result = { touched, files, done: rows.length < BATCH, cursor: last ? entry.key.map((k) => last[k]) : cursor };
    await save(q, result);
    return result;
  });
}

/** Which rows a step's batch takes: owned ones, or the ones mentioning the person; after the cursor when rows stay. */
function select(entry: TableEntry, run: Run, own: boolean, cursor: unknown[] | null): { where: string; values: unknown[] } | null {
  let where: string;
  let values: unknown[];
  if (own) {
    ({ text: where, values } = bind(ownedSql(entry), run.scope));
  } else {
    const re = mentionRegex(run.scope);
    if (!re) return null;
    where = mentionSql(entry, '$1')!;
    values = [re];
  }
  // Deleted rows leave the condition by themselves; cleaned or scrubbed ones need the cursor.
  if (!(own && deletes(entry, run.mode)) && cursor) {
    where += ` AND (${entry.key.join(', ')}) > (${cursor.map((v) => { values.push(v); return `$${values.length}`; }).join(', ')})`;
  }
  return { where, values };
}

/** Writes a row's personal columns treated; false when nothing changed. */
async function clean(q: Queryable, entry: TableEntry, row: Record<string, unknown>, own: boolean, scrubber: Scrubber): Promise<boolean> {
  const changed = Object.entries(entry.columns)
    .filter(([column, t]) => column in row && (own ? t !== 'none' && t !== 'digest' && t !== 'working' : PERSONAL.has(t)))
    .map(([column, t]) => [column, t, treat(t, row[column], own, scrubber)] as const)
    .filter(([column, , value]) => JSON.stringify(value) !== JSON.stringify(row[column]));
  if (!changed.length) return false;
  const sets = changed.map(([column, t], i) => `${column} = $${i + 2}${t === 'json' ? '::jsonb' : ''}`);
  await q.query(`UPDATE ${entry.table} SET ${sets.join(', ')} WHERE ctid = $1::tid`, [row.ctid__, ...changed.map(([, t, v]) => (t === 'json' ? JSON.stringify(v) : v))]);
  return true;
}
