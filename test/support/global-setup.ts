// Vitest global setup: real PostgreSQL and Redis for the whole run (started here unless
// .ci/run already passes TEST_DATABASE_URL and TEST_REDIS_URL).

import 'vitest';
import type { TestProject } from 'vitest/node';
import { startPostgres, startRedis, type Service } from './services.js';
import { buildEmbeddedTemplate } from './embedded-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    /** A migrated embedded database that tests copy instead of creating their own. */
    embeddedTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
