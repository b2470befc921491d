// Shared pieces of the fault drills: posting sessions, counting outcomes, worker processes.

import { spawn, type ChildProcess } from 'node:child_process';
import { auth, eventually, type Ponte } from '../support/ponte.js';
import { session } from '../support/fixtures.js';
import type { BimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { PONTE } from '../support/ponte-command.js';

/** How much bigger `npm run drills` makes each drill than the normal suite. */
export const SCALE = Number(process.env.DRILL_SCALE ?? 1);

export async function postSessions(p: Ponte, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async () => {
        const res = await p.app.inject({ method: 'POST', url: '/v1/sessions', headers: auth('helpdesk'), payload: session() });
        if (res.statusCode !== 202) throw new Error(`session refused: ${res.statusCode} ${res.body}`);
        return res.json().integrations[0].id as string;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

export async function statuses(p: Ponte, ids: string[]): Promise<Record<string, number>> {
  const { rows } = await p.deps.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM integrations WHERE id = ANY($1::uuid[]) GROUP BY status', [ids]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function allSucceeded(p: Ponte, ids: string[], timeoutMs = 60_000): Promise<void> {
  await eventually(async () => (await statuses(p, ids)).succeeded === ids.length, `${ids.length} integrations to succeed`, timeoutMs);
}

/** Each integration became exactly one ERP case. */
export function casesPerIntegration(erp: BimerSandbox, ids: string[]): number[] {
  return ids.map((id) => erp.state.cases.filter((c) => c.ReferenciaExterna === id).length);
}

/** A `ponte worker` process (the real CLI) with the given environment. */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...PONTE, 'worker'], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: process.env.DRILL_DEBUG ? 'inherit' : 'ignore' });
}
