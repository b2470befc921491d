// ERP lookups through the connector, cached: lists for LOOKUP_CACHE_TTL_MS, one refresh in
// flight per key (single-flight). An id missing from a list reloads that list at most once
// per LOOKUP_MISS_TTL_MS (a product created in the ERP a minute ago is found soon, a stream
// of unknown ids costs one reload per interval), and an unknown id, client or process is
// remembered as absent for that short time only.

import type { CallContext, ErpCaseType, ErpClient, ErpConnector, ErpCriticalFactor, ErpProcess, ErpProduct, ErpResponsibilityCenter, ErpUser } from '../connectors/contract.js';

/** The read calls lookups make (the connector itself, or a gate in front of it). */
export type ErpReads = Pick<
  ErpConnector,
  'getClient' | 'listProducts' | 'listCaseTypes' | 'listUsers' | 'listResponsibilityCenters' | 'getProcess' | 'listClientProducts' | 'listCriticalFactors'
>;

interface Entry { value: unknown; until: number; loadedAt: number }

/** Keys kept at most: clients and processes are many; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > MAX_ENTRIES) this.delete(this.keys().next().value!);
    return this;
  }
}

export class LookupCache {
  private readonly entries = new BoundedMap<Entry>();
  private readonly misses = new BoundedMap<number>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly reads: ErpReads,
    private readonly ttlMs: number,
    private readonly missTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Drops every cached answer (tests, or an admin who changed the ERP's lists). */
  clear(): void {
    this.entries.clear();
    this.misses.clear();
  }

  private cached<T>(key: string, load: () => Promise<T>, options: { fresh?: boolean; ttl?: (value: T) => number } = {}): Promise<T> {
    const hit = this.entries.get(key);
    if (!options.fresh && hit && hit.until > this.now()) return Promise.resolve(hit.value as T);
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const p = load()
      .then((value) => {
        const at = this.now();
        this.entries.set(key, { value, until: at + (options.ttl?.(value) ?? this.ttlMs), loadedAt: at });
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async findIn<T extends { id: string }>(key: string, load: () => Promise<T[]>, id: string): Promise<T | undefined> {
    const found = (await this.cached(key, load)).find((x) => x.id === id);
    if (found) return found;
    const missKey = `${key}:${id}`;
    if ((this.misses.get(missKey) ?? 0) > this.now()) return undefined;
    const loadedAt = this.entries.get(key)?.loadedAt ?? 0;
    const list = this.now() - loadedAt >= this.missTtlMs ? await this.cached(key, load, { fresh: true }) : await this.cached(key, load);
    const again = list.find((x) => x.id === id);
    if (!again) this.misses.set(missKey, this.now() + this.missTtlMs);
    return again;
  }

  /** Absent answers are kept for the short miss TTL only. */
  private readonly absentShort = (value: unknown) => (value === null ? this.missTtlMs : this.ttlMs);

  client(code: string, ctx?: CallContext): Promise<ErpClient | null> {
    return this.cached(`client:${code}`, () => this.reads.getClient(code, ctx), { ttl: this.absentShort });
  }
  /** An existing ERP process: its next contact changes, so it is kept for the short TTL only. */
  process(number: string, ctx?: CallContext): Promise<ErpProcess | null> {
    return this.cached(`process:${number}`, () => this.reads.getProcess(number, ctx), { ttl: () => this.missTtlMs });
  }
  products(ctx?: CallContext): Promise<ErpProduct[]> {
    return this.cached('products', () => this.reads.listProducts(ctx));
  }
  product(id: string, ctx?: CallContext): Promise<ErpProduct | undefined> {
    return this.findIn('products', () => this.reads.listProducts(ctx), id);
  }
  caseTypes(ctx?: CallContext): Promise<ErpCaseType[]> {
    return this.cached('caseTypes', () => this.reads.listCaseTypes(ctx));
  }
  caseType(id: string, ctx?: CallContext): Promise<ErpCaseType | undefined> {
    return this.findIn('caseTypes', () => this.reads.listCaseTypes(ctx), id);
  }
  users(ctx?: CallContext): Promise<ErpUser[]> {
    return this.cached('users', () => this.reads.listUsers(ctx));
  }
  user(id: string, ctx?: CallContext): Promise<ErpUser | undefined> {
    return this.findIn('users', () => this.reads.listUsers(ctx), id);
  }
  responsibilityCenters(ctx?: CallContext): Promise<ErpResponsibilityCenter[]> {
    return this.cached('responsibilityCenters', () => this.reads.listResponsibilityCenters(ctx));
  }
  responsibilityCenter(id: string, ctx?: CallContext): Promise<ErpResponsibilityCenter | undefined> {
    return this.findIn('responsibilityCenters', () => this.reads.listResponsibilityCenters(ctx), id);
  }
  clientProducts(code: string, ctx?: CallContext): Promise<ErpProduct[]> {
    return this.cached(`clientProducts:${code}`, () => this.reads.listClientProducts(code, ctx));
  }
  criticalFactors(code: string, ctx?: CallContext): Promise<ErpCriticalFactor[]> {
    return this.cached(`criticalFactors:${code}`, () => this.reads.listCriticalFactors(code, ctx));
  }
}
