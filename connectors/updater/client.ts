// The updater center's REST API as ponte calls it (bearer key, JSON):
//   POST /releases {releaseId, clientCode, system, version}, Idempotency-Key: <releaseId>
//     → 201 {id, status: "released"}; the same key again → 200 with the same release, applied once.

import type { ProviderLogger, UpdaterProvider, VersionReleaseInput } from '../../src/tools/contracts.js';
import { badAnswer, callProvider, type ProviderTarget } from '../../src/tools/provider-http.js';

const NAME = 'updater';

export class UpdaterClient implements UpdaterProvider {
  readonly name = NAME;

  constructor(
    private readonly target: ProviderTarget,
    private readonly log: ProviderLogger,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async release(input: VersionReleaseInput): Promise<{ updaterReleaseId: string }> {
    const body = await callProvider(this.target, {
      provider: NAME, operation: 'release', method: 'POST', path: '/releases', body: input, headers: { 'idempotency-key': input.releaseId },
    }, this.log);
    if (typeof body.id !== 'string') throw badAnswer(NAME, 'release', 'the answer lacks the release id');
    return { updaterReleaseId: body.id };
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
