// Vitest global setup: the compiled ponte that tests spawn (dist/, built when a source is newer,
// as `npm ci` and `npm start` do), real PostgreSQL and Redis for the whole run (started here
// unless .ci/run already passes TEST_DATABASE_URL and TEST_REDIS_URL).

import 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startPostgres, startRedis, type Service } from './services.js';
import { buildEmbeddedTemplate } from './embedded-template.js';
import { PROJECT_ROOT } from '../../src/schemas.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    /** A migrated embedded database that tests copy instead of creating their own. */
    embeddedTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Once, before any test: builds racing in parallel test files would remove each other's dist/.
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: PROJECT_ROOT });
  const started: Service[] = [];
  let databaseUrl = process.env.TEST_DATABASE_URL;
  let redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl) {
    const pg = await startPostgres();
    started.push(pg);
    databaseUrl = pg.url;
  }
  if (!redisUrl) {
    const redis = await startRedis();
    started.push(redis);
    redisUrl = redis.url;
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  const template = await buildEmbeddedTemplate();
  project.provide('embeddedTemplate', template.dir);
  return async () => {
    template.remove();
    await Promise.all(started.map((s) => s.stop()));
  };
}
