// The `version-release` job of the tools queue: one updater call carrying the release id as
// idempotency key, so a retry after a lost answer never releases twice.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../../deps.js';
import type { Logger } from '../../log.js';
import { updaterProvider } from '../providers.js';
import { classifyFailure, finalFailure, isLastAttempt } from '../failures.js';
import { finishRelease } from './service.js';
import { getRelease, updateRelease } from './store.js';

export interface VersionReleaseJob { releaseId: string }

export function versionReleaseProcessor(deps: Deps, log: Logger) {
  return async (job: Job<VersionReleaseJob>): Promise<string> => {
    const row = await getRelease(deps.db, job.data.releaseId);
    if (!row || row.status !== 'pending') return row?.status ?? 'missing';
    const attempts = row.attempts + 1;
    await updateRelease(deps.db, row.id, { attempts });
    const jobLog = log.child({ releaseId: row.id, chatId: row.chat_id, attempt: attempts });
    try {
      const updater = await updaterProvider(deps);
      const { updaterReleaseId } = await updater.release({ releaseId: row.id, clientCode: row.client_code, system: row.system, version: row.version });
      await finishRelease(deps, row.id, { status: 'released', updaterReleaseId });
      jobLog.info({ updaterReleaseId }, 'version released');
      return 'released';
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.transient && !isLastAttempt(job)) {
        await updateRelease(deps.db, row.id, { error_code: failure.code, error_message: failure.message });
        jobLog.info({ code: failure.code }, 'version release will be retried');
        throw err;
      }
      const error = finalFailure(failure, attempts);
      await finishRelease(deps, row.id, { status: 'failed', error });
      jobLog.warn({ code: error.code }, 'version release failed');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
  };
}
