// The built-in Bimer sandbox as a stand-in ERP: the `bimer` mapping set (mappings/bimer/) starts
// it when BIMER_URL is unset, so `ponte serve` works out of the box.

import path from 'node:path';
import type { SandboxStarter } from '../../src/connectors/kinds.js';

export const sandbox: SandboxStarter = async (log, { dataDir }) => {
  // Loaded only here: production never loads Fastify for the sandbox.
  const { startBimerSandbox, SANDBOX_CREDENTIALS: c } = await import('./sandbox/server.js');
  const recordsFile = dataDir ? path.resolve(dataDir, 'sandbox', 'bimer.json') : undefined;
  const started = await startBimerSandbox({ recordsFile });
  log.info({ url: started.url, recordsFile }, 'BIMER_URL is not set: using the built-in Bimer sandbox');
  return {
    settings: { url: started.url, auth: 'bimer-classic', clientId: c.clientId, clientSecret: c.clientSecret, username: c.username, password: c.password },
    close: () => started.close(),
  };
};
