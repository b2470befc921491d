#!/usr/bin/env node
// The `ponte` command: this very node process runs the compiled CLI (no child process), so
// SIGTERM and SIGINT reach the server itself. dist/ comes from `npm ci` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('ponte: not built yet (dist/src/main.js is missing): run `npm run build` in the ponte folder\n');
  process.exit(1);
}
await import(main.href);
