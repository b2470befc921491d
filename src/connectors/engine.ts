// The declarative connector: every call of the contract is run from its mapping — requests built
// by JSONata, every page read up to a bound, answers mapped to neutral records and checked
// against their schemas. One engine for every ERP; the kind (REST, SOAP) only moves bytes.

import type {
  CallContext,
  CaseRecord,
  ConnectorCall,
  ConnectorCapabilities,
  DryRun,
  ErpConnector,
  NotifyRecord,
  OpinionRecord,
  PayloadProblem,
  ProcessUpdateRecord,
  ReadCall,
  WriteCall,
  WriteRecords,
} from './contract.js';
import { ConnectorError } from '../errors.js';
import { CALL_SHAPES } from './calls.js';
import type { ConnectorLogger } from './contract.js';
import type { Transport, WireRequest } from './kinds.js';
import type { LoadedCall, MappingSet } from './mapping-set.js';
import { Exchanger, NOT_FOUND } from './exchange.js';
import { buildRequest, payloadOf, shownPath, type Bindings } from './requests.js';
import { mapRecords, resultOf, selectRecords } from './answers.js';
import type { RecordValidator } from './records.js';
import { neutralFieldOf } from './payload-fields.js';

type Input = Record<string, unknown>;

export interface EngineParts {
  set: MappingSet;
  transport: Transport;
  exchanger: Exchanger;
  records: RecordValidator;
  log: ConnectorLogger;
  onClose?: () => Promise<void>;
}

export class MappedConnector implements ErpConnector {
  readonly name: string;
  readonly capabilities: ConnectorCapabilities;
  private readonly set: MappingSet;

  constructor(private readonly parts: EngineParts) {
    this.set = parts.set;
    this.name = parts.set.name;
    this.capabilities = { cannotApply: parts.set.cannotApply };
  }

  getClient = (clientCode: string, ctx?: CallContext) => this.read('getClient', { clientCode }, ctx) as Promise<never>;
  listProducts = (ctx?: CallContext) => this.read('listProducts', {}, ctx) as Promise<never>;
  listCaseTypes = (ctx?: CallContext) => this.read('listCaseTypes', {}, ctx) as Promise<never>;
  listUsers = (ctx?: CallContext) => this.read('listUsers', {}, ctx) as Promise<never>;
  listResponsibilityCenters = (ctx?: CallContext) => this.read('listResponsibilityCenters', {}, ctx) as Promise<never>;
  getProcess = (processNumber: string, ctx?: CallContext) => this.read('getProcess', { processNumber }, ctx) as Promise<never>;
  listClientProducts = (clientCode: string, ctx?: CallContext) => this.read('listClientProducts', { clientCode }, ctx) as Promise<never>;
  listCriticalFactors = (clientCode: string, ctx?: CallContext) => this.read('listCriticalFactors', { clientCode }, ctx) as Promise<never>;
  getMarkers = (clientCode: string, ctx?: CallContext) => this.read('getMarkers', { clientCode }, ctx) as Promise<never>;
  listProductVersions = (clientCode: string, ctx?: CallContext) => this.read('listProductVersions', { clientCode }, ctx) as Promise<never>;

  async findCaseByExternalRef(externalRef: string, ctx?: CallContext): Promise<string | null> {
    // Only records that carry the reference asked for count, when the answer shows it: an ERP
    // that ignores the filter must not make ponte take another integration's case for this one.
    const found = ((await this.read('findCaseByExternalRef', { externalRef }, ctx)) as Array<{ number: string; externalRef?: string }>).filter(
      (r) => r.externalRef === undefined || r.externalRef === externalRef,
    );
    if (found.length > 1) (ctx?.log ?? this.parts.log).warn({ externalRef, count: found.length }, 'several ERP cases carry one external reference; using the first');
    return found[0]?.number ?? null;
  }

  async hasOpinion(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean> {
    return ((await this.read('hasOpinion', { processNumber, externalRef }, ctx)) as { found: boolean }).found;
  }

  async findNotification(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean> {
    return ((await this.read('findNotification', { processNumber, externalRef }, ctx)) as { found: boolean }).found;
  }

  async createCase(record: CaseRecord, ctx?: CallContext): Promise<string> {
    return ((await this.write('createCase', record, ctx)) as { number: string }).number;
  }

  async addOpinion(record: OpinionRecord, ctx?: CallContext): Promise<void> {
    await this.write('addOpinion', record, ctx);
  }

  async notify(record: NotifyRecord, ctx?: CallContext): Promise<void> {
    await this.write('notify', record, ctx);
  }

  async updateProcess(record: ProcessUpdateRecord, ctx?: CallContext): Promise<void> {
    await this.write('updateProcess', record, ctx);
  }

  async dryRun<C extends WriteCall>(name: C, record: WriteRecords[C]): Promise<DryRun> {
    return (await this.prepare(name, record)).dryRun;
  }

  /** The write's request built once: what a dry run shows, and what a real write sends. */
  private async prepare<C extends WriteCall>(name: C, record: WriteRecords[C]): Promise<{ request: WireRequest; dryRun: DryRun }> {
    const call = this.callOf(name);
    const request = await buildRequest(call, record, {});
    const payload = payloadOf(request);
    const problems: PayloadProblem[] = [];
    if (call.payload && !call.payload(payload)) {
      for (const e of call.payload.errors ?? []) {
        const at = [e.instancePath.split('/').filter(Boolean).join('.'), (e.params as { missingProperty?: string }).missingProperty].filter(Boolean).join('.') || '(payload)';
        const field = neutralFieldOf(record, payload, at);
        problems.push({ path: at, message: e.message ?? 'is invalid', ...(field ? { field } : {}) });
      }
    }
    const shown = 'operation' in request ? { operation: request.operation } : { method: request.method, path: shownPath(request) };
    return { request, dryRun: { request: { call: name, ...shown, payload }, problems } };
  }

  async ping(ctx?: CallContext): Promise<void> {
    if (this.parts.transport.signIn) return this.parts.transport.signIn(ctx);
    await this.read(this.set.ping, {}, ctx);
  }

  async close(): Promise<void> {
    await this.parts.transport.close();
    await this.parts.onClose?.();
  }

  private callOf(name: ConnectorCall): LoadedCall {
    const call = this.set.calls[name];
    if (!call) throw ConnectorError.permanent('CONNECTOR_CALL_UNMAPPED', `${name}: the mapping set ${this.set.name} does not map this call`);
    return call;
  }

  private async write<C extends WriteCall>(name: C, record: WriteRecords[C], ctx?: CallContext): Promise<unknown> {
    const { request, dryRun } = await this.prepare(name, record);
    const { problems } = dryRun;
    if (problems.length) {
      throw ConnectorError.permanent('PAYLOAD_INVALID', `the ${name} payload does not match its schema: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, {
        details: problems.map((p) => ({ ...p })),
      });
    }
    return this.run(name, record as unknown as Input, ctx, request);
  }

  private read(name: ReadCall, input: Input, ctx?: CallContext): Promise<unknown> {
    return this.run(name, input, ctx);
  }

  /** Runs a call: its `before` calls, every page, the answer mapped and checked. */
  private async run(name: ConnectorCall, given: Input, ctx?: CallContext, prebuilt?: WireRequest): Promise<unknown> {
    const call = this.callOf(name);
    const shape = CALL_SHAPES[name];
    const input: Input = { ...given };
    for (const [key, needed] of call.before) {
      input[key] = await this.run(needed, given, ctx);
      if (input[key] === null && shape.output === 'nullable') return null;
    }
    const pages = await this.pages(call, input, ctx, prebuilt);
    if (pages === NOT_FOUND) return null;
    const raw = pages.flatMap((p) => p.rows);
    const records = await mapRecords(call, raw, input);
    const result = await resultOf(call, pages.at(-1)?.body, records, input);
    const output = this.output(name, records, result);
    this.parts.records.check(name, shape, output, result === undefined ? raw : [pages.at(-1)?.body]);
    return output;
  }

  private output(name: ConnectorCall, records: unknown[], result: unknown): unknown {
    switch (CALL_SHAPES[name].output) {
      case 'list':
        return result ?? records;
      case 'nullable':
        return result ?? records[0] ?? null;
      case 'single':
        return result ?? records[0];
      case 'found':
        return result ?? { found: records.length > 0 };
      case 'none':
        return undefined;
    }
  }

  /** Every page of the call (one without pagination), each with its selected raw records. */
  private async pages(call: LoadedCall, input: Input, ctx?: CallContext, prebuilt?: WireRequest): Promise<Array<{ body: unknown; rows: unknown[] }> | typeof NOT_FOUND> {
    const p = call.pagination;
    const out: Array<{ body: unknown; rows: unknown[] }> = [];
    let bindings: Bindings = p ? { page: p.first, size: p.size, offset: 0 } : {};
    const answersNeeded = CALL_SHAPES[call.name].output !== 'none';
    for (let n = 0; ; n++) {
      const request = prebuilt ?? (await buildRequest(call, input, bindings));
      const body = await this.parts.exchanger.run(call, request, CALL_SHAPES[call.name].output === 'nullable', ctx);
      if (body === NOT_FOUND) return NOT_FOUND;
      const operation = call.request.kind === 'soap' ? call.request.operation : '';
      const declares = this.parts.transport.declares ? (path: string) => this.parts.transport.declares!(operation, path) : undefined;
      const rows = answersNeeded && !(call.result && call.records === undefined) ? await selectRecords(call.name, body, call.records, declares) : [];
      out.push({ body, rows });
      if (!p) return out;
      const next = await this.nextPage(call, body, rows.length, bindings);
      if (next === undefined) return out;
      if (n + 1 >= p.maxPages) {
        throw ConnectorError.permanent('CONNECTOR_PAGE_LIMIT', `${call.name}: the ERP has more than ${p.maxPages} pages of ${p.size} (raise pagination.maxPages in the mapping)`);
      }
      bindings = next;
    }
  }

  private async nextPage(call: LoadedCall, body: unknown, count: number, b: Bindings): Promise<Bindings | undefined> {
    const p = call.pagination!;
    if (p.type === 'cursor') {
      const cursor = await p.next!.evaluate(body, {}, call.name);
      return cursor === undefined || cursor === null || cursor === '' ? undefined : { ...b, cursor };
    }
    const more = p.more ? Boolean(await p.more.evaluate(body, { records: count }, call.name)) : count >= p.size;
    if (!more) return undefined;
    return p.type === 'page' ? { ...b, page: (b.page as number) + 1 } : { ...b, offset: (b.offset as number) + p.size };
  }
}
