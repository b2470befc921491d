// The Bimer-style CRM contract (design/BIMER.md), one method per operation: lookups return
// neutral records, writes send the payloads the mappings produced.

import type {
  CallContext,
  ConnectorLogger,
  ErpCaseType,
  ErpClient,
  ErpClientMarkers,
  ErpConnector,
  ErpCriticalFactor,
  ErpProcess,
  ErpProduct,
  ErpResponsibilityCenter,
  ErpUser,
} from '../../src/connectors/contract.js';
import { ConnectorError } from '../../src/errors.js';
import type { TokenSource } from './auth.js';
import { badResponse } from './errors.js';
import type { BimerCall, BimerHttp } from './http.js';
import * as records from './records.js';

const seg = encodeURIComponent;
const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/** Users type "12"; Bimer's Codigo is 6 digits, zero-padded. */
export const clientCode = (code: string): string => (/^\d{1,6}$/.test(code) ? code.padStart(6, '0') : code);

export class BimerConnector implements ErpConnector {
  readonly name = 'bimer';

  constructor(
    private readonly http: BimerHttp,
    private readonly tokens: TokenSource,
    private readonly log: ConnectorLogger,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  private list(call: Omit<BimerCall, 'method'>, ctx?: CallContext): Promise<unknown[]> {
    return this.http.call({ method: 'GET', ...call }, ctx);
  }

  /** A lookup where "not found" (C01) is an answer, not a failure. */
  private async orNull<T>(lookup: () => Promise<T>): Promise<T | null> {
    try {
      return await lookup();
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'ERP_NOT_FOUND') return null;
      throw err;
    }
  }

  getClient(code: string, ctx?: CallContext): Promise<ErpClient | null> {
    return this.orNull(async () => {
      const found = await this.list({ operation: 'getClient', path: `/api/pessoas/codigo/${seg(clientCode(code))}` }, ctx);
      return found.length ? records.toClient(records.rows(found, 'client')[0]!) : null;
    });
  }

  async listProducts(ctx?: CallContext): Promise<ErpProduct[]> {
    return records.rows(await this.list({ operation: 'listProducts', path: '/api/crm/produtos' }, ctx), 'product').map(records.toProduct);
  }

  async listCaseTypes(ctx?: CallContext): Promise<ErpCaseType[]> {
    return records.rows(await this.list({ operation: 'listCaseTypes', path: '/api/crm/tiposatendimento' }, ctx), 'case type').map(records.toCaseType);
  }

  async listUsers(ctx?: CallContext): Promise<ErpUser[]> {
    return records.rows(await this.list({ operation: 'listUsers', path: '/api/crm/usuarios' }, ctx), 'user').map(records.toUser);
  }

  async listResponsibilityCenters(ctx?: CallContext): Promise<ErpResponsibilityCenter[]> {
    const found = await this.list({ operation: 'listResponsibilityCenters', path: '/api/crm/centrosresponsabilidade' }, ctx);
    return records.rows(found, 'responsibility center').map(records.toResponsibilityCenter);
  }

  getProcess(number: string, ctx?: CallContext): Promise<ErpProcess | null> {
    return this.orNull(async () => {
      const found = await this.list({ operation: 'getProcess', path: `/api/crm/atendimentos/${seg(number)}` }, ctx);
      return found.length ? records.toProcess(records.rows(found, 'process')[0]!) : null;
    });
  }

  async listClientProducts(code: string, ctx?: CallContext): Promise<ErpProduct[]> {
    const found = await this.list({ operation: 'listClientProducts', path: `/api/crm/pessoas/${seg(clientCode(code))}/produtos` }, ctx);
    return records.rows(found, 'product').map(records.toProduct);
  }

  async listCriticalFactors(code: string, ctx?: CallContext): Promise<ErpCriticalFactor[]> {
    const path = `/api/crm/atendimentos?${query({ codigoCliente: clientCode(code), situacao: 'ABERTO' })}`;
    return records.rows(await this.list({ operation: 'listCriticalFactors', path }, ctx), 'critical factor').map(records.toCriticalFactor);
  }

  /** Null when the client is unknown; the característica list hangs off the person's Identificador. */
  async getMarkers(code: string, ctx?: CallContext): Promise<ErpClientMarkers | null> {
    const client = await this.getClient(code, ctx);
    if (!client) return null;
    const found = await this.list({ operation: 'getMarkers', path: `/api/pessoas/${seg(client.id)}/caracteristicas` }, ctx);
    return records.toMarkers(records.rows(found, 'característica'));
  }

  async findCaseByExternalRef(externalRef: string, ctx?: CallContext): Promise<string | null> {
    const found = await this.list({ operation: 'findCaseByExternalRef', path: `/api/crm/atendimentos?${query({ referenciaExterna: externalRef })}` }, ctx);
    if (found.length > 1) (ctx?.log ?? this.log).warn({ externalRef, count: found.length }, 'several ERP cases carry one external reference; using the first');
    return found.length ? records.toProcessNumber(records.rows(found, 'process')[0]!) : null;
  }

  async createCase(payload: Record<string, unknown>, ctx?: CallContext): Promise<string> {
    const created = await this.http.call({ operation: 'createCase', method: 'POST', path: '/api/crm/atendimentos', body: payload }, ctx);
    const number = created[0];
    if (typeof number === 'string' || typeof number === 'number') return String(number);
    // The ERP may have created the case: transient, so the retry finds it by external reference.
    throw badResponse('createCase', 'no process number in ListaObjetos');
  }

  async hasOpinion(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean> {
    const path = `/api/crm/atendimentos/${seg(processNumber)}/pareceres?${query({ referenciaExterna: externalRef })}`;
    return (await this.list({ operation: 'hasOpinion', path }, ctx)).length > 0;
  }

  async addOpinion(processNumber: string, payload: Record<string, unknown>, ctx?: CallContext): Promise<void> {
    await this.http.call({ operation: 'addOpinion', method: 'POST', path: `/api/crm/atendimentos/${seg(processNumber)}/pareceres`, body: payload }, ctx);
  }

  async notify(processNumber: string, payload: Record<string, unknown>, ctx?: CallContext): Promise<void> {
    await this.http.call({ operation: 'notify', method: 'POST', path: `/api/crm/atendimentos/${seg(processNumber)}/notificacoes`, body: payload }, ctx);
  }

  /** Obtaining a token proves the URL, the network and the credentials at once. */
  async ping(ctx?: CallContext): Promise<void> {
    await this.tokens.token(ctx);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
