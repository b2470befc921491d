// The Bimer sandbox in a process of its own, for benchmarks: `node --import tsx
// bench/lib/sandbox-process.ts [--fail-creates]`. Over IPC it sends { url } once listening and
// answers { id, type: 'cases' } with the number of cases created since it started and
// { id, type: 'clear-faults' } by clearing its faults. --fail-creates makes every
// POST /api/crm/atendimentos a validation error (permanent for ponte) until cleared.

import { startBimerSandbox } from '../../connectors/bimer/sandbox/server.js';
import { FIRST_NEW_PROCESS_NUMBER } from '../../connectors/bimer/sandbox/seed.js';
import type { SandboxReply, SandboxRequest } from './processes.js';

const sandbox = await startBimerSandbox({ host: '127.0.0.1' });
if (process.argv.includes('--fail-creates')) {
  sandbox.faults.inject({ method: 'POST', path: /^\/api\/crm\/atendimentos(\?|$)/, times: Infinity, action: { type: 'validation', field: 'Assunto', message: 'rejeitado pelo benchmark' } });
}

const send = (m: SandboxReply) => process.send!(m);
process.on('message', (m: SandboxRequest) => {
  if (m.type === 'clear-faults') sandbox.faults.clear();
  send({ id: m.id, cases: sandbox.state.nextProcessNumber - FIRST_NEW_PROCESS_NUMBER });
});
// SIGTERM from the benchmark, or the benchmark gone.
const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
send({ id: 0, url: sandbox.url });
