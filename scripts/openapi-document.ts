// Builds the OpenAPI document (the one served at /docs/json) from the app without listening,
// on a throwaway embedded database, for the dump, lint and client scripts.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { createDeps } from '../src/deps.js';
import { buildApp } from '../src/app.js';

export async function buildDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ponte-openapi-'));
  try {
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent', OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    const deps = await createDeps(config, createLogger('silent'), { migrate: false });
    try {
      const app = await buildApp(deps);
      await app.ready();
      const doc = JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
      await app.close();
      return doc;
    } finally {
      await deps.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Operations whose document gives no 2xx answer with a schema (or a 204). */
export function operationsWithout2xx(doc: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const [url, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const ok = Object.entries(op.responses ?? {}).some(([status, answer]) => status.startsWith('2') && (answer.content || status === '204'));
      if (!ok) missing.push(`${method.toUpperCase()} ${url}`);
    }
  }
  return missing;
}
