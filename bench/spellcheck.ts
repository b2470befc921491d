// Spell-check throughput on a ~2,000-character support message, against a tokenize-only baseline.
// Run: npx tsx bench/spellcheck.ts

import { Spellchecker } from '../src/spellcheck/spellchecker.js';
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

const loadStarted = performance.now();
const checker = await Spellchecker.load();
const loadMs = performance.now() - loadStarted;

// The first check pays Hunspell's suggest for every new misspelling; later ones hit the cache.
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
