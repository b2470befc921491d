// ERP_MAX_CONCURRENT for the whole installation: a counting semaphore in PostgreSQL (which every
// process shares, in every backend) that each ERP call holds while it runs, so integration jobs
// of every worker process and the API's accept-time, form and details lookups together never
// have more than the cap of calls at the ERP. Leases end a dead process's holds. A slot given
// back is kept a moment for the process's next job (bounded, so other processes get theirs).

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import type { ErpConnector } from '../connectors/contract.js';
import { ConnectorError } from '../errors.js';

export interface SlotOptions {
  cap: number;
  /** A hold not renewed for this long is free again (its process died). */
  leaseMs?: number;
  /** How long a call waits for a free slot before it fails as ERP_BUSY (transient). */
  waitMs?: number;
  /** Between two tries for a slot. */
  pollMs?: number;
  /**
   * A slot given back is kept this long for this process's next ERP work (no statement to give
   * it back and take it again); 0: given back at once.
   */
  lingerMs?: number;
  /** A slot kept for reuse is given back once held this long, so other processes get their turn. */
  keepMaxMs?: number;
}

/** What bounds the ERP calls: every call runs inside `run`. */
export interface Slots {
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Gives back what is kept for reuse (at shutdown). */
  close(): Promise<void>;
  /**
   * Runs `work` (one integration job: its calls one after the other) on one slot, taken at its
   * first ERP call and given back when `work` ends: at most two statements per job, not per call.
   */
  holding<T>(work: () => Promise<T>): Promise<T>;
}

type Release = () => void | Promise<void>;
const held = new AsyncLocalStorage<{ slot?: Promise<Release> }>();

abstract class SlotsBase implements Slots {
  protected abstract acquire(): Promise<Release>;
  abstract close(): Promise<void>;

  async run<T>(call: () => Promise<T>): Promise<T> {
    const scope = held.getStore();
    if (scope) {
      await (scope.slot ??= this.acquire());
      return call();
    }
    const release = await this.acquire();
    try {
      return await call();
    } finally {
      await release();
    }
  }

  async holding<T>(work: () => Promise<T>): Promise<T> {
    const scope: { slot?: Promise<Release> } = {};
    try {
      return await held.run(scope, work);
    } finally {
      // A slot that was never had (ERP_BUSY) has nothing to give back.
      await scope.slot?.then((release) => release(), () => undefined);
    }
  }
}

/**
 * The same bound inside one process, for embedded mode (no other process can open its database):
 * no round trips to the single-threaded PGlite for every ERP call.
 */
export class LocalSlots extends SlotsBase {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly cap: number) {
    super();
  }

  async close(): Promise<void> {}

  protected async acquire(): Promise<Release> {
    if (this.running < this.cap) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
  }
}

/** A slot this process holds in the table: its token and when it was taken there. */
interface Lease {
  token: string;
  takenAt: number;
}

export class ErpSlots extends SlotsBase {
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly lingerMs: number;
  private readonly keepMaxMs: number;
  private held = 0;
  private renewer: NodeJS.Timeout | undefined;
  /** Slots given back by this process's work, kept a moment for its next (newest last). */
  private readonly kept: Array<Lease & { timer: NodeJS.Timeout }> = [];
  private closed = false;
  /** After giving back a slot held keepMaxMs, this process waits this long before taking one. */
  private yieldUntil = 0;

  constructor(private readonly db: Queryable, private readonly options: SlotOptions) {
    super();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.waitMs = options.waitMs ?? 30_000;
    this.pollMs = options.pollMs ?? 25;
    this.lingerMs = options.lingerMs ?? 100;
    this.keepMaxMs = options.keepMaxMs ?? 1000;
  }

  protected async acquire(): Promise<Release> {
    const lease = this.reuse() ?? (await this.take());
    let released = false;
    return () => {
      if (released) return;
      released = true;
      return this.giveBack(lease);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.kept.splice(0).map((k) => (clearTimeout(k.timer), this.free(k.token))));
  }

  /** A kept slot still young enough, if any. */
  private reuse(): Lease | undefined {
    const kept = this.kept.pop();
    if (!kept) return undefined;
    clearTimeout(kept.timer);
    return { token: kept.token, takenAt: kept.takenAt };
  }

  private async giveBack(lease: Lease): Promise<void> {
    if (this.closed || this.lingerMs === 0) return this.free(lease.token);
    if (Date.now() - lease.takenAt >= this.keepMaxMs) {
      // Longer than the polls of other processes' waiters, so one of them can take it first.
      this.yieldUntil = Date.now() + this.pollMs * 5;
      return this.free(lease.token);
    }
    const kept = {
      ...lease,
      timer: setTimeout(() => {
        const at = this.kept.indexOf(kept);
        if (at >= 0) this.kept.splice(at, 1);
        void this.free(lease.token);
      }, this.lingerMs).unref(),
    };
    this.kept.push(kept);
  }

  private async take(): Promise<Lease> {
    const token = randomUUID();
    const until = Date.now() + this.waitMs;
    if (Date.now() < this.yieldUntil) await new Promise((r) => setTimeout(r, this.yieldUntil - Date.now()));
    for (let tries = 0; ; tries++) {
      if (await this.tryTake(token)) break;
      // A slot this process gave back meanwhile serves at once.
      const kept = this.reuse();
      if (kept) return kept;
      if (Date.now() >= until) throw ConnectorError.transient('ERP_BUSY', `every one of the ${this.options.cap} ERP slots (ERP_MAX_CONCURRENT) stayed taken for ${this.waitMs} ms`);
      // Jittered and growing a little, so waiters of many processes do not poll in step.
      await new Promise((r) => setTimeout(r, this.pollMs * (1 + Math.min(tries, 8) / 4) * (0.5 + Math.random())));
    }
    if (this.held++ === 0) this.renewer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3))).unref();
    return { token, takenAt: Date.now() };
  }

  /** Takes a free (or expired) slot below the cap; ON CONFLICT re-checks the row another took meanwhile. */
  private async tryTake(token: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO erp_slots (slot, owner, token, until)
       SELECT s, $1, $2, now() + make_interval(secs => $4::double precision / 1000)
         FROM generate_series(0, $3::int - 1) s
        WHERE NOT EXISTS (SELECT 1 FROM erp_slots e WHERE e.slot = s AND e.until > now())
        ORDER BY random() LIMIT 1
       ON CONFLICT (slot) DO UPDATE SET owner = EXCLUDED.owner, token = EXCLUDED.token, until = EXCLUDED.until
        WHERE erp_slots.until <= now()
       RETURNING slot`,
      [this.owner, token, this.options.cap, this.leaseMs],
    );
    return rows.length > 0;
  }

  private async free(token: string): Promise<void> {
    if (--this.held === 0) clearInterval(this.renewer);
    // A release that fails leaves the slot to its lease.
    await this.db.query('DELETE FROM erp_slots WHERE token = $1', [token]).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    await this.db
      .query('UPDATE erp_slots SET until = now() + make_interval(secs => $2::double precision / 1000) WHERE owner = $1', [this.owner, this.leaseMs])
      .catch(() => undefined);
  }

  /** Calls at the ERP now, across the installation (tests, metrics). */
  static async inUse(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM erp_slots WHERE until > now()');
    return rows[0]!.n;
  }
}

/** The contract calls that reach the ERP; `ping` (/ready) stays outside, so readiness never waits. */
const BOUND_CALLS: ReadonlySet<PropertyKey> = new Set<keyof ErpConnector>([
  'getClient', 'listProducts', 'listCaseTypes', 'listUsers', 'listResponsibilityCenters', 'getProcess', 'listClientProducts', 'listCriticalFactors', 'getMarkers', 'listProductVersions',
  'findCaseByExternalRef', 'hasOpinion', 'findNotification', 'createCase', 'addOpinion', 'notify', 'updateProcess',
]);

/** The connector with each ERP call holding a slot of `slots` while it runs. */
export function boundConnector(connector: ErpConnector, slots: Slots): ErpConnector {
  return new Proxy(connector, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (BOUND_CALLS.has(prop)) return (...args: unknown[]) => slots.run(async () => fn.apply(target, args));
      return fn.bind(target);
    },
  });
}
