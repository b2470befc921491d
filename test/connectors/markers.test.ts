// Every marker of a client through the shipped bimer-core set (the Core peer's
// situacao-financeira answer carries its marcadores): listed beside the delinquency fields; and
// the client's product versions (the optional listProductVersions call).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { CORE_CREDENTIALS, CORE_SEED, startBimerCorePeer, type CorePeer } from '../support/peers/bimer-core/server.js';

describe('bimer-core: markers', () => {
  let peer: CorePeer;
  beforeAll(async () => {
    peer = await startBimerCorePeer();
  });
  afterAll(() => peer.close());

  it("lists the client's marcadores with the delinquency fields, and an empty list for a client without any", async () => {
    const core = await connect('bimer-core', { BIMER_URL: peer.url, BIMER_USERNAME: CORE_CREDENTIALS.username, BIMER_PASSWORD: CORE_CREDENTIALS.password, BIMER_TIMEOUT_MS: '2000' });
    expect(await core.getMarkers(CORE_SEED.clients.oficina)).toEqual({
      delinquent: true, since: '2025-01-15', reason: 'Boletos vencidos',
      markers: [{ code: 'OFICINA', label: 'Oficina credenciada', since: '2020-02-03' }],
    });
    expect(await core.getMarkers(CORE_SEED.clients.padaria)).toEqual({ delinquent: false, markers: [] });
  });

  it("reads the client's product versions (a version not downloaded is left out)", async () => {
    const core = await connect('bimer-core', { BIMER_URL: peer.url, BIMER_USERNAME: CORE_CREDENTIALS.username, BIMER_PASSWORD: CORE_CREDENTIALS.password, BIMER_TIMEOUT_MS: '2000' });
    expect(await core.listProductVersions(CORE_SEED.clients.oficina)).toEqual([{ system: 'Bimer CRM', used: '7.1', entitled: '7.2' }]);
    expect(await core.listProductVersions(CORE_SEED.clients.padaria)).toEqual([]);
  });
});
