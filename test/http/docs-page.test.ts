// The docs page is made at its first request and answers through ponte's routes: the UI page and
// its files arrive with their types, and /docs/json and /docs/yaml are the API's own document.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, type Ponte } from '../support/ponte.js';

describe('the docs page at /docs', () => {
  let p: Ponte;
  beforeAll(async () => {
    p = await startPonte('postgres', { workers: false, relay: false });
  });
  afterAll(() => p.close());

  it('serves the UI and its files, without a key', async () => {
    const page = await p.app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const script = /src="([^"]*swagger-ui-bundle\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const file = await p.app.inject({ url: new URL(script!, 'http://ponte/docs/').pathname });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/javascript/);
    expect(file.rawPayload.length).toBeGreaterThan(100_000);
  });

  it('answers the API document itself, as JSON and as YAML', async () => {
    const json = await p.app.inject({ url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.json()).toEqual(JSON.parse(JSON.stringify(p.app.swagger())));
    expect(json.json().paths['/v1/sessions']).toBeDefined();
    const yaml = await p.app.inject({ url: '/docs/yaml' });
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toMatch(/^openapi: 3\.1\.0$/m);
  });
});
