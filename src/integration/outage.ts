// ERP outages: when the ERP cannot be reached or answers 5xx to every call, workers hold the
// integrations queue (BullMQ's queue rate limit, shared by every process) and probe it instead of
// spending attempts; the first answer resumes them. A slow ERP never holds the queue: time-outs
// neither count nor confirm, and a hold needs ERP_OUTAGE_FAILURES outage-like failures in a row
// in this process AND a probe read failing the same way.

import { Worker } from 'bullmq';
import type { CallContext } from '../connectors/contract.js';
import { ConnectorError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ErpCallRecord } from '../telemetry/erp-calls.js';

/** Failures that mean "nobody answers" (refused, reset, DNS) or "the ERP is failing" (5xx), never "slow". */
const OUTAGE_CODES: ReadonlySet<string> = new Set(['ERP_UNREACHABLE', 'ERP_UNAVAILABLE', 'SOAP_UNREACHABLE', 'SOAP_SERVER_FAULT']);

export function signalsOutage(err: unknown): boolean {
  return err instanceof ConnectorError && err.kind === 'transient' && OUTAGE_CODES.has(err.code);
}

export interface QueueHold {
  /** Holds every worker of the queue, in every process, for `ms`. */
  rateLimit(ms: number): Promise<void>;
  /** Lets them go at once. */
  removeRateLimitKey(): Promise<unknown>;
}

export interface OutageOptions {
  /** How long one hold lasts: the ERP is probed about this often while it is down. */
  probeMs: number;
  /** Outage-like call failures in a row before a failing job probes. */
  failuresBeforeProbe: number;
}

export class ErpOutage {
  private streak = 0;
  private downSince: number | undefined;
  private probing: Promise<boolean> | undefined;

  constructor(
    /** A small read that reaches the ERP (not `ping`, which may answer from a cached token). */
    private readonly probeRead: (ctx?: CallContext) => Promise<unknown>,
    private readonly queue: () => QueueHold,
    private readonly options: OutageOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Told of every ERP call as it ends (deps.erpCallListeners): any answer breaks the streak. */
  observe(call: ErpCallRecord): void {
    if (call.operation === 'ping') return;
    if (call.outcome === 'ok' || call.outcome === 'permanent') {
      this.streak = 0;
      if (call.outcome === 'ok') void this.resume();
    } else if (signalsOutage(call.error)) {
      this.streak++;
    }
  }

  /** This process saw the ERP down and has not seen it answer since. */
  get held(): boolean {
    return this.downSince !== undefined;
  }

  /** After a job's call failed with `err`: is the whole ERP down (streak long enough, and the probe fails too)? */
  async confirms(err: unknown, ctx?: CallContext): Promise<boolean> {
    if (!signalsOutage(err) || this.streak < this.options.failuresBeforeProbe) return false;
    const down = await this.probe(ctx);
    // Not confirmed: the next failures count afresh before another probe.
    if (!down) this.streak = 0;
    return down;
  }

  /** Whether the probe read fails as an outage does; an answer of any kind, or a time-out, is no outage. One at a time per process. */
  probe(ctx?: CallContext): Promise<boolean> {
    this.probing ??= this.probeRead(ctx)
      .then(
        () => false,
        (err: unknown) => signalsOutage(err),
      )
      .finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** Holds the queue for one probe interval; the caller then throws `ErpOutage.held()`. */
  async hold(code: string): Promise<void> {
    if (this.downSince === undefined) {
      this.downSince = this.now();
      this.log.warn({ code, probeMs: this.options.probeMs }, 'the ERP is down: integrations are held and the ERP probed, spending no attempts');
    }
    await this.queue().rateLimit(this.options.probeMs);
  }

  /** The ERP answered: release the queue at once if this process held it. */
  async resume(): Promise<void> {
    if (this.downSince === undefined) return;
    const downForMs = this.now() - this.downSince;
    this.downSince = undefined;
    this.streak = 0;
    this.log.info({ downForMs }, 'the ERP answers again: integrations resume');
    await this.queue().removeRateLimitKey().catch((err: unknown) => this.log.warn({ err }, 'could not release the integrations queue; it resumes after ERP_PROBE_MS'));
  }

  /** What the processor throws to put its job back without spending an attempt. */
  static held(): Error {
    return Worker.RateLimitError();
  }

  message(code: string): string {
    return `the ERP is down (${code}, and a probe read failed too): held, probed every ${Math.max(1, Math.round(this.options.probeMs / 1000))} s; no attempt spent`;
  }
}
