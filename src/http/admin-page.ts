// The admin web page at /admin: one HTML file, three script modules and one stylesheet, no build step.
// The files hold no data (the script calls the admin API with the key the admin types), so
// they are public; a strict Content-Security-Policy keeps anything else from running there.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PROJECT_ROOT } from '../schemas.js';

const PAGE_DIR = path.join(PROJECT_ROOT, 'src', 'admin', 'page');
const FILES = [
  { url: '/admin', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/admin/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { url: '/admin/i18n.js', file: 'i18n.js', type: 'text/javascript; charset=utf-8' },
  { url: '/admin/dashboard.js', file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  { url: '/admin/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
];
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export async function adminPageRoutes(app: FastifyInstance): Promise<void> {
  for (const { url, file, type } of FILES) {
    const body = await readFile(path.join(PAGE_DIR, file));
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(type)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body),
    );
  }
}
