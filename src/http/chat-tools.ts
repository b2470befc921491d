// The chat screen's remaining tools (seed 001) in one plugin: remote access, version release,
// spell-check. The spell-check thread this instance started stops with the app.

import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { closeSpellcheck } from '../tools/spellcheck/service.js';
import { remoteSessionRoutes } from './remote-sessions.js';
import { versionReleaseRoutes } from './version-releases.js';
import { spellcheckRoutes } from './spellcheck.js';

export async function chatToolRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  await app.register(remoteSessionRoutes, { deps });
  await app.register(versionReleaseRoutes, { deps });
  await app.register(spellcheckRoutes, { deps });
  app.addHook('onClose', async () => closeSpellcheck(deps));
}
