// ERP lookups through the connector, cached with a TTL; a miss on an id refreshes the list
// once (a product created in the ERP a minute ago must be found without waiting the TTL).

import type { CallContext, ErpCaseType, ErpClient, ErpConnector, ErpProduct, ErpResponsibilityCenter, ErpUser } from '../connectors/contract.js';

interface Entry<T> { value: T; until: number }

export class LookupCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly connector: ErpConnector,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private async cached<T>(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
    const hit = this.entries.get(key);
    if (!fresh && hit && hit.until > this.now()) return hit.value as T;
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const p = load()
      .then((value) => {
        this.entries.set(key, { value, until: this.now() + this.ttlMs });
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async findIn<T extends { id: string }>(key: string, load: () => Promise<T[]>, id: string): Promise<T | undefined> {
    const found = (await this.cached(key, load)).find((x) => x.id === id);
    if (found) return found;
    return (await this.cached(key, load, true)).find((x) => x.id === id);
  }

  client(code: string, ctx?: CallContext): Promise<ErpClient | null> {
    return this.cached(`client:${code}`, () => this.connector.getClient(code, ctx));
  }
  products(ctx?: CallContext): Promise<ErpProduct[]> {
    return this.cached('products', () => this.connector.listProducts(ctx));
  }
  product(id: string, ctx?: CallContext): Promise<ErpProduct | undefined> {
    return this.findIn('products', () => this.connector.listProducts(ctx), id);
  }
  caseTypes(ctx?: CallContext): Promise<ErpCaseType[]> {
    return this.cached('caseTypes', () => this.connector.listCaseTypes(ctx));
  }
  caseType(id: string, ctx?: CallContext): Promise<ErpCaseType | undefined> {
    return this.findIn('caseTypes', () => this.connector.listCaseTypes(ctx), id);
  }
  users(ctx?: CallContext): Promise<ErpUser[]> {
    return this.cached('users', () => this.connector.listUsers(ctx));
  }
  user(id: string, ctx?: CallContext): Promise<ErpUser | undefined> {
    return this.findIn('users', () => this.connector.listUsers(ctx), id);
  }
  responsibilityCenters(ctx?: CallContext): Promise<ErpResponsibilityCenter[]> {
    return this.cached('responsibilityCenters', () => this.connector.listResponsibilityCenters(ctx));
  }
  responsibilityCenter(id: string, ctx?: CallContext): Promise<ErpResponsibilityCenter | undefined> {
    return this.findIn('responsibilityCenters', () => this.connector.listResponsibilityCenters(ctx), id);
  }
  clientProducts(code: string, ctx?: CallContext): Promise<ErpProduct[]> {
    return this.cached(`clientProducts:${code}`, () => this.connector.listClientProducts(code, ctx));
  }
  criticalFactors(code: string, ctx?: CallContext) {
    return this.cached(`criticalFactors:${code}`, () => this.connector.listCriticalFactors(code, ctx));
  }
}
