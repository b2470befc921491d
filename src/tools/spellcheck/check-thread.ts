// Runs inside the spell-check worker thread: its own Spellchecker (Hunspell's state is per
// thread), answering the main thread's requests one at a time, in the order they were sent.

import { parentPort, workerData } from 'node:worker_threads';
import { Spellchecker } from '../../spellcheck/spellchecker.js';
import type { ThreadAnswer, ThreadRequest } from './thread-messages.js';

const port = parentPort;
if (!port) throw new Error('check-thread.ts runs only as a worker thread');

const checker = Spellchecker.load({ indexDir: (workerData as { indexDir?: string } | null)?.indexDir });

function answer(request: ThreadRequest, checker: Spellchecker): ThreadAnswer {
  if (request.kind === 'words') {
    checker.setCustomWords(request.words);
    return { id: request.id, ok: true };
  }
  const until = Date.now() + request.budget.ms;
  return { id: request.id, ok: true, misspellings: checker.check(request.text, { newWords: request.budget.newWords, until }) };
}

// Every request waits on the same load; once it resolves, the callbacks run in arrival order,
// so a `words` request always applies before the checks sent after it.
port.on('message', (request: ThreadRequest) => {
  checker
    .then((c) => port.postMessage(answer(request, c)))
    .catch((err: unknown) => {
      const e = err as { code?: string; message?: string };
      port.postMessage({ id: request.id, ok: false, error: { code: e?.code ?? 'SPELLCHECK_FAILED', message: e?.message ?? String(err) } } satisfies ThreadAnswer);
    });
});
