// `npm run build`, also run by `prepare` (--prepare: so `npm ci` builds) and by `prestart` with --if-stale:
// the compiled server in dist/ — tsc, then the run-time assets (scripts/copy-assets.mjs).
// --if-stale builds only when dist/ is missing or older than a source file, so `npm start`
// always runs what the tree holds; an installed package (no sources) runs its dist/ as shipped.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src', 'connectors', 'schemas', 'mappings', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'scripts/copy-assets.mjs', 'scripts/compile-formats.mjs', 'package-lock.json'];
/** Written last: its time is when the build finished. */
const STAMP = 'dist/.built';

process.chdir(ROOT);

function newestChange(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  return newest;
}

function isFresh() {
  if (!existsSync('src')) return existsSync('dist/src/main.js');
  if (!existsSync(STAMP)) return false;
  return statSync(STAMP).mtimeMs >= Math.max(...SOURCES.map(newestChange));
}

function fail(message) {
  process.stderr.write(`ponte build: ${message}\n`);
  process.exit(1);
}

if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
if (!existsSync('src')) fail('dist/ is missing and this copy has no sources to build it from');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // `npm ci --omit=dev` runs prepare without TypeScript: the install goes on, start says why it cannot.
  if (process.argv.includes('--prepare')) {
    process.stderr.write('ponte build: skipped, TypeScript is not installed (dev dependencies omitted); build where it is, or install the `npm pack` tarball\n');
    process.exit(0);
  }
  fail('dist/ is missing or older than the sources, and TypeScript is not installed (dev dependencies omitted?): run `npm ci`');
}
process.stderr.write('ponte build: compiling into dist/ ...\n');
// A clean dist/: a module deleted from src/ must not survive in the build (nor be packed).
rmSync('dist', { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (compiled.status !== 0) fail(`tsc failed (exit ${compiled.status ?? compiled.signal})`);
await import('./copy-assets.mjs');
await import('./compile-formats.mjs');
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
