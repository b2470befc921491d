// The main thread's side of the spell-check worker thread: started on first use, requests
// matched to answers by id, and restarted on the next use if it dies (its custom words are then
// gone: `generation` tells the caller to send them again).
//
// Why a thread: Hunspell's suggest costs 30–500 ms per new misspelled word (a 2,000-character
// message with five new slips: ~2 s of CPU). On the main thread that would stall every other
// request of the process; in the thread only spell-check requests wait, and they wait in order.

import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../../errors.js';
import type { Misspelling } from '../../spellcheck/spellchecker.js';
import type { ThreadAnswer, ThreadBudget, ThreadRequest } from './thread-messages.js';

/** Requests waiting in the thread beyond this are refused (503) instead of queuing without bound. */
export const MAX_QUEUED = 200;

type Pending = { resolve: (answer: ThreadAnswer & { ok: true }) => void; reject: (err: Error) => void };
type Body<R> = R extends unknown ? Omit<R, 'id'> : never;

function spawn(indexDir: string | undefined): Worker {
  const here = import.meta.url;
  // From sources (.ts) the thread needs tsx registered first; a compiled build runs the .js entry.
  if (here.endsWith('.ts')) return new Worker(new URL('./check-thread-boot.mjs', here), { workerData: { entry: new URL('./check-thread.ts', here).href, indexDir } });
  return new Worker(new URL('./check-thread.js', here), { workerData: { indexDir } });
}

export class CheckThread {
  #worker: Worker | undefined;
  #generation = 0;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  /** `indexDir`: where the thread caches its suggestion index. */
  constructor(private readonly indexDir?: string) {}

  /** Changes each time a new thread starts: its custom words must be sent again. */
  get generation(): number {
    return this.#generation;
  }

  /** Starts the thread if none runs; returns its generation. */
  start(): number {
    if (this.#worker) return this.#generation;
    const worker = spawn(this.indexDir);
    // The thread must not keep a CLI process alive; servers stay up for their own reasons.
    worker.unref();
    worker.on('message', (answer: ThreadAnswer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (answer.ok) pending.resolve(answer);
      else pending.reject(new UnavailableError(answer.error.code === 'SPELLCHECK_UNAVAILABLE' ? answer.error.code : 'SPELLCHECK_FAILED', answer.error.message));
    });
    const died = (why: string) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(why);
    };
    worker.on('error', (err) => died(`the spell-check thread failed: ${err.message}`));
    worker.on('exit', (code) => died(`the spell-check thread exited (code ${code})`));
    this.#worker = worker;
    this.#generation += 1;
    return this.#generation;
  }

  async check(text: string, budget: ThreadBudget): Promise<Misspelling[]> {
    return (await this.#send({ kind: 'check', text, budget })).misspellings ?? [];
  }

  async setWords(words: string[]): Promise<void> {
    await this.#send({ kind: 'words', words });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll('the spell-check thread was stopped');
    await worker?.terminate();
  }

  #send(request: Body<ThreadRequest>): Promise<ThreadAnswer & { ok: true }> {
    // Word lists always go through: they are few, and a check after them depends on them.
    if (request.kind === 'check' && this.#pending.size >= MAX_QUEUED) {
      return Promise.reject(new UnavailableError('SPELLCHECK_BUSY', `the spell-checker has ${MAX_QUEUED} requests waiting; try again shortly`));
    }
    this.start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker!.postMessage({ ...request, id });
    });
  }

  #failAll(why: string): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(new UnavailableError('SPELLCHECK_UNAVAILABLE', why));
  }
}
