// The remote-access jobs of the tools queue: `remote-session.create` (the provider creates the
// session; retried with backoff, then `failed` with a clear error) and `remote-session.poll`
// (a BullMQ job scheduler pulls the state of every session that can still change).

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../../deps.js';
import type { Logger } from '../../log.js';
import { ConnectorError } from '../../errors.js';
import { remoteAccessProvider } from '../providers.js';
import { classifyFailure, finalFailure, isLastAttempt } from '../failures.js';
import { isFinalRemoteState, remoteCreatedText, remoteStateText } from './states.js';
import { applyReportedState, changeRemoteSession } from './sessions.js';
import { getRemoteSession, openRemoteSessions, updateRemoteSession } from './store.js';

export const REMOTE_POLL_JOB = 'remote-session.poll';
/** Sessions asked about per poll, and at once: a poll must end well before the next one. */
const POLL_BATCH = 500;
const POLL_CONCURRENCY = 8;

export interface RemoteCreateJob { sessionId: string }

export function createRemoteSessionProcessor(deps: Deps, log: Logger) {
  return async (job: Job<RemoteCreateJob>): Promise<string> => {
    const { sessionId } = job.data;
    const row = await getRemoteSession(deps.db, sessionId);
    if (!row || row.provider_session_id || row.state !== 'waiting') return 'nothing to create';
    const attempts = row.attempts + 1;
    await updateRemoteSession(deps.db, sessionId, { attempts });
    const jobLog = log.child({ sessionId, chatId: row.chat_id, attempt: attempts });
    try {
      const provider = await remoteAccessProvider(deps);
      // ponte's id as the reference: a retry after a lost answer gets the same session back.
      const created = await provider.createSession({ reference: sessionId, label: `ponte chat ${row.chat_id}` });
      await changeRemoteSession(deps, sessionId, (locked) => (locked.provider_session_id || locked.state !== 'waiting' ? null : {
        fields: { provider_session_id: created.sessionId, access_code: created.accessCode, link: created.link, error_code: null, error_message: null },
        text: remoteCreatedText(created.accessCode, created.link),
      }));
      jobLog.info({ providerSessionId: created.sessionId }, 'remote-access session created');
      return created.sessionId;
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.transient && !isLastAttempt(job)) {
        // Shown in GET while the job waits for its next attempt.
        await updateRemoteSession(deps.db, sessionId, { error_code: failure.code, error_message: failure.message });
        jobLog.info({ code: failure.code }, 'remote-access session creation will be retried');
        throw err;
      }
      const error = finalFailure(failure, attempts);
      await changeRemoteSession(deps, sessionId, (locked) => (isFinalRemoteState(locked.state) ? null : {
        state: 'failed', fields: { error_code: error.code, error_message: error.message }, text: remoteStateText('failed', error),
      }));
      jobLog.warn({ code: error.code }, 'remote-access session failed');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
  };
}

/** Asks the provider about every open session; one session's failure does not stop the others. */
export async function pollRemoteSessions(deps: Deps, log: Logger): Promise<{ checked: number; changed: number }> {
  const open = await openRemoteSessions(deps.db, POLL_BATCH);
  if (open.length === 0) return { checked: 0, changed: 0 };
  const provider = await remoteAccessProvider(deps);
  let changed = 0;
  for (let i = 0; i < open.length; i += POLL_CONCURRENCY) {
    await Promise.all(open.slice(i, i + POLL_CONCURRENCY).map(async (s) => {
      try {
        const status = await provider.getSession(s.provider_session_id);
        if (await applyReportedState(deps, s.id, status.state, status.reason)) changed += 1;
      } catch (err) {
        // The provider forgot the session: it will never change again, so say so instead of asking forever.
        if (err instanceof ConnectorError && err.kind === 'permanent' && err.code.endsWith('_NOT_FOUND')) {
          if (await applyReportedState(deps, s.id, 'failed', 'the remote-access provider no longer knows this session')) changed += 1;
          return;
        }
        log.warn({ err, sessionId: s.id }, 'remote-access state not pulled; the next poll asks again');
      }
    }));
  }
  return { checked: open.length, changed };
}
