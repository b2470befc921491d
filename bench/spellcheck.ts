// Spell-check throughput on a ~2,000-character support message, against a tokenize-only baseline;
// then suggestions for misspellings never seen before: Hunspell's suggest (the old path) against
// the dictionary index (the new one), in the same run, with the process's RSS with and without it.
// Run: npx tsx bench/spellcheck.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spellchecker } from '../src/spellcheck/spellchecker.js';
import { loadHunspell } from '../src/spellcheck/hunspell.js';
import { tokenize } from '../src/spellcheck/tokenize.js';
import { SUPPORT_MESSAGE } from './lib/messages.js';

const MAX_ITERATIONS = 2_000;
const MAX_MILLISECONDS = 10_000;

interface Measurement {
  name: string;
  iterations: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function measure(name: string, operation: () => unknown): Measurement {
  const durations: number[] = [];
  const started = performance.now();
  while (durations.length < MAX_ITERATIONS && performance.now() - started < MAX_MILLISECONDS) {
    const t0 = performance.now();
    operation();
    durations.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? NaN;
  return { name, iterations: durations.length, perSecond: (durations.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

const message = SUPPORT_MESSAGE;

const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
// A directory of its own: the index is built (in a worker thread) in this run, then loaded.
const indexDir = mkdtempSync(join(tmpdir(), 'ponte-bench-index-'));
const loadStarted = performance.now();
const checker = await Spellchecker.load({ indexDir });
const loadMs = performance.now() - loadStarted;
const hunspell = await loadHunspell();
const rssWithoutIndex = rssMiB();
const buildStarted = performance.now();
const built = await checker.useIndex(indexDir);
const buildMs = performance.now() - buildStarted;

// The first check pays the suggestions of every new misspelling; later ones hit the cache.
const coldStarted = performance.now();
const misspellings = checker.check(message);
const coldMs = performance.now() - coldStarted;

const baseline = measure('tokenize only (baseline)', () => tokenize(message));
const check = measure('check (warm suggestion cache)', () => checker.check(message));

const ms = (value: number) => value.toFixed(3);
console.log(`message: ${message.length} chars, ${tokenize(message).length} words, ${misspellings.length} flagged: ${misspellings.map((m) => m.word).join(', ')}`);
console.log(`dictionary load: ${loadMs.toFixed(0)} ms; first check (cold suggestions): ${coldMs.toFixed(0)} ms`);
console.table(
  [baseline, check].map((m) => ({
    operation: m.name,
    iterations: m.iterations,
    'ops/s': Math.round(m.perSecond),
    'p50 ms': ms(m.p50),
    'p99 ms': ms(m.p99),
    'time vs baseline': `${(baseline.perSecond / m.perSecond).toFixed(1)}×`,
  })),
);

/** Slips of the message's own words that Hunspell rejects: each one new to both paths. */
function newMisspellings(): string[] {
  const slips = (w: string) => [
    w.normalize('NFD').replace(/\p{M}/gu, ''),
    w.slice(0, 3) + w[3] + w.slice(3),
    w.slice(0, 2) + w[3] + w[2] + w.slice(4),
    w.slice(0, 3) + w.slice(4),
    `${w}s${w.length % 2 ? 'a' : 'o'}`,
  ];
  const words = [...new Set(tokenize(message).map((t) => t.word).filter((w) => w.length >= 5 && !w.includes('-') && hunspell.spell(w)))];
  const out = new Set<string>();
  for (const word of words) for (const slip of slips(word.toLowerCase())) if (!hunspell.spell(slip)) out.add(slip);
  return [...out];
}

function percentiles(name: string, words: string[], suggest: (w: string) => string[]) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const word of words) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    suggest(word);
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
  }
  const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
  return { path: name, words: words.length, 'p50 ms': ms(at(wall, 0.5)), 'p99 ms': ms(at(wall, 0.99)), 'CPU p50 ms': ms(at(cpu, 0.5)), 'CPU p99 ms': ms(at(cpu, 0.99)) };
}

const fresh = newMisspellings();
// Hunspell takes ~0.6 s a word: a sample of the same words, the index on all of them.
const sample = fresh.filter((_, i) => i % Math.max(1, Math.floor(fresh.length / 25)) === 0).slice(0, 25);
const rows = [
  percentiles('Hunspell suggest (old)', sample, (w) => hunspell.suggest(w)),
  percentiles('dictionary index (new), same words', sample, (w) => checker.check(w)[0]?.suggestions ?? []),
  percentiles('dictionary index (new), all', fresh.filter((w) => !sample.includes(w)), (w) => checker.check(w)[0]?.suggestions ?? []),
];
console.log(`\nnew misspellings: ${fresh.length} (e.g. ${fresh.slice(0, 6).join(', ')}); index: ${built.index.size.toLocaleString('en-US')} forms, ${(built.index.byteLength / 2 ** 20).toFixed(1)} MiB, built in ${(buildMs / 1000).toFixed(1)} s (a worker thread; later starts read the cache file)`);
console.log(`RSS: ${rssWithoutIndex} MiB with Hunspell loaded, ${rssMiB()} MiB with the index too`);
console.table(rows);
const reload = performance.now();
await (await import('../src/spellcheck/suggestion-cache.js')).loadSuggestionIndex(indexDir);
console.log(`cache file read back in ${(performance.now() - reload).toFixed(0)} ms`);
rmSync(indexDir, { recursive: true, force: true });
