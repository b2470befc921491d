// The tools queue's one worker, routed by job name: remote-access session creation and state
// pull, and version releases. The pull runs from a BullMQ job scheduler every REMOTE_POLL_MS.

import { UnrecoverableError, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { QUEUES } from '../jobs/queues.js';
import { closeProviders, remoteAccessSettings } from './providers.js';
import { REMOTE_CREATE_JOB } from './remote/sessions.js';
import { createRemoteSessionProcessor, pollRemoteSessions, REMOTE_POLL_JOB } from './remote/jobs.js';
import { VERSION_RELEASE_JOB } from './releases/service.js';
import { versionReleaseProcessor } from './releases/job.js';

const SCHEDULED = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };
const POLL_SCHEDULER = 'remote-session-poll';

export function toolsProcessor(deps: Deps, log: Logger) {
  const handlers: Record<string, (job: Job) => Promise<unknown>> = {
    [REMOTE_CREATE_JOB]: createRemoteSessionProcessor(deps, log),
    [REMOTE_POLL_JOB]: () => pollRemoteSessions(deps, log),
    [VERSION_RELEASE_JOB]: versionReleaseProcessor(deps, log),
  };
  return async (job: Job): Promise<unknown> => {
    const handler = handlers[job.name];
    // An unknown name is a deployment mismatch: retrying cannot help.
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on the ${QUEUES.tools} queue`);
    return handler(job);
  };
}

/** Upserts the pull's scheduler; every process may do it, the scheduler id keeps one. */
export async function scheduleRemotePoll(deps: Deps): Promise<void> {
  const { pollMs } = await remoteAccessSettings();
  await deps.jobs.queue(QUEUES.tools).upsertJobScheduler(POLL_SCHEDULER, { every: pollMs }, { name: REMOTE_POLL_JOB, opts: SCHEDULED });
}

/** The worker of the tools queue; it closes the providers its jobs started when it closes. */
export function startToolsWorker(deps: Deps, log: Logger) {
  const toolsLog = log.child({ queue: QUEUES.tools });
  scheduleRemotePoll(deps).catch((err) => toolsLog.error({ err }, 'remote-access state pull not scheduled; states change only by push'));
  const worker = deps.jobs.worker(QUEUES.tools, toolsProcessor(deps, toolsLog), { concurrency: deps.config.workerConcurrency });
  worker.on('closed', () => {
    closeProviders(deps).catch((err) => toolsLog.warn({ err }, 'tool providers not closed'));
  });
  return worker;
}
