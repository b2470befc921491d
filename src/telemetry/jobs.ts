// A span per job attempt (kind consumer), child of the span that enqueued the job (its
// `correlation` in the job data); the processor runs with that correlation, so its logs,
// the jobs it enqueues and its ERP calls carry the original request id and trace.

import type { Job, Processor } from 'bullmq';
import { correlationOfJob, withCorrelation } from './correlation.js';
import type { Tracing } from './tracing.js';

export function tracedProcessor(tracing: Tracing, queue: string, processor: Processor): Processor {
  return async (job: Job, token?: string) => {
    const parent = correlationOfJob(job.data);
    // A scheduler's housekeeping job (every few seconds, caused by nothing) gets no span.
    if (!tracing.enabled || (job.repeatJobKey && !parent.carrier.traceparent)) return withCorrelation(parent, () => processor(job, token));
    const span = tracing.start(`process ${queue}`, 'consumer', parent.carrier, {
      'messaging.system': 'bullmq',
      'messaging.operation.type': 'process',
      'messaging.destination.name': queue,
      'messaging.message.id': job.id,
      'ponte.job.name': job.name,
      'ponte.job.attempt': job.attemptsMade + 1,
    });
    try {
      const result = await withCorrelation({ requestId: parent.requestId, carrier: span.carrier }, () => processor(job, token));
      span.end();
      return result;
    } catch (err) {
      span.end(err);
      throw err;
    }
  };
}
