// The remote-access provider's REST API as ponte calls it (bearer key, JSON):
//   POST /sessions      {reference, label}, Idempotency-Key: <reference>  → {id, accessCode, link, state}
//   GET  /sessions/:id                                                     → {id, state, reason?}
// A small adapter in front of TeamViewer, AnyDesk, RustDesk... implements these two calls.

import {
  REMOTE_STATES, type CreatedRemoteSession, type ProviderLogger, type RemoteAccessProvider, type RemoteSessionStatus, type RemoteState,
} from '../../src/tools/contracts.js';
import { badAnswer, callProvider, type ProviderTarget } from '../../src/tools/provider-http.js';

const NAME = 'remote-access';

export class RemoteAccessClient implements RemoteAccessProvider {
  readonly name = NAME;

  constructor(
    private readonly target: ProviderTarget,
    private readonly log: ProviderLogger,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async createSession(input: { reference: string; label: string }): Promise<CreatedRemoteSession> {
    const body = await callProvider(this.target, {
      provider: NAME, operation: 'createSession', method: 'POST', path: '/sessions', body: input, headers: { 'idempotency-key': input.reference },
    }, this.log);
    const { id, accessCode, link } = body;
    if (typeof id !== 'string' || typeof accessCode !== 'string' || typeof link !== 'string') {
      throw badAnswer(NAME, 'createSession', 'the answer lacks id, accessCode or link');
    }
    return { sessionId: id, accessCode, link };
  }

  async getSession(sessionId: string): Promise<RemoteSessionStatus> {
    const body = await callProvider(this.target, {
      provider: NAME, operation: 'getSession', method: 'GET', path: `/sessions/${encodeURIComponent(sessionId)}`,
    }, this.log);
    if (!REMOTE_STATES.includes(body.state as RemoteState)) throw badAnswer(NAME, 'getSession', `unknown state ${JSON.stringify(body.state)}`);
    return { state: body.state as RemoteState, ...(typeof body.reason === 'string' ? { reason: body.reason } : {}) };
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
