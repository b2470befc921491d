// The ERP's state as ponte sees it: `up` while its calls are answered (a refusal is an answer),
// `degraded` after a call failed for a reason that says the ERP is not answering properly
// (network, time-out, 5xx, maintenance page), `unknown` before the first call. Every ERP call
// feeds it (src/telemetry/erp-calls.ts); /ready and /metrics read it, and ping the ERP when the
// last word is old, so probes stay cheap and never wait on a slow ERP for long.

import { ConnectorError } from '../errors.js';

export type ErpStateName = 'unknown' | 'up' | 'degraded';

export interface ErpStateView {
  state: ErpStateName;
  /** When the ERP entered this state. */
  since: string | null;
  /** When the last call (or ping) ended. */
  checkedAt: string | null;
  /** Why it is degraded: the failed call's code and message. */
  error: string | null;
}

/** A last word younger than this is reported as is; an older one is refreshed with a ping. */
export const FRESH_MS = 10_000;
/** How long a probe waits for that ping before reporting the ERP as not answering. */
export const PING_WAIT_MS = 2_000;

/** Transient failures that still prove the ERP answers (it asks us to slow down). */
const ANSWERING = /RATE_LIMITED/;

export function isOutage(err: unknown): boolean {
  return err instanceof ConnectorError && err.kind === 'transient' && !ANSWERING.test(err.code);
}

export class ErpState {
  private state: ErpStateName = 'unknown';
  private since: Date | null = null;
  private checkedAt: Date | null = null;
  private error: string | null = null;
  private pinging: Promise<void> | undefined;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One ERP call ended: `err` is its failure, if any. */
  observe(err?: unknown): void {
    const at = this.now();
    this.checkedAt = at;
    const next: ErpStateName = err !== undefined && isOutage(err) ? 'degraded' : 'up';
    if (next === 'degraded') this.error = `${(err as ConnectorError).code}: ${(err as ConnectorError).message}`.slice(0, 500);
    else this.error = null;
    if (next !== this.state) {
      this.state = next;
      this.since = at;
    }
  }

  view(): ErpStateView {
    return { state: this.state, since: this.since?.toISOString() ?? null, checkedAt: this.checkedAt?.toISOString() ?? null, error: this.error };
  }

  /** The state, refreshed first by a ping (bounded to PING_WAIT_MS) when the last word is old. */
  async current(): Promise<ErpStateView> {
    const age = this.checkedAt ? this.now().getTime() - this.checkedAt.getTime() : Infinity;
    if (age < FRESH_MS) return this.view();
    // Concurrent probes share one ping; the ping itself is observed like any call.
    this.pinging ??= this.ping()
      .catch(() => undefined)
      .finally(() => (this.pinging = undefined));
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      this.pinging.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (!answered) {
      this.observe(ConnectorError.transient('ERP_TIMEOUT', `the ERP did not answer a ping within ${PING_WAIT_MS / 1000} s`));
    }
    return this.view();
  }
}
