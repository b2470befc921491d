// The ErpConnector over SOAP: each contract method is one SOAP operation (named by config);
// lookups turn answers into neutral records, writes send the payload the engine already mapped
// (mappings/soap-crm/*.jsonata) and validated (schemas/connectors/soap-crm/*.json).

import type {
  CallContext,
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
import type { CrmCall } from './config.js';
import { fail, RULES } from './errors.js';
import {
  answer,
  flag,
  processNumber,
  rows,
  toCaseType,
  toClient,
  toCriticalFactor,
  toMarkers,
  toProcess,
  toProduct,
  toResponsibilityCenter,
  toUser,
} from './records.js';
import type { SoapCalls } from './soap-call.js';

export class SoapCrmConnector implements ErpConnector {
  readonly name = 'soap-crm';

  constructor(
    private readonly soap: SoapCalls,
    private readonly onClose?: () => Promise<void>,
  ) {}

  getClient(code: string, ctx?: CallContext): Promise<ErpClient | null> {
    return this.run('getClient', { Code: code }, ctx, toClient);
  }

  listProducts(ctx?: CallContext): Promise<ErpProduct[]> {
    return this.run('listProducts', {}, ctx, (r) => rows(r, 'Product', 'products').map(toProduct));
  }

  listCaseTypes(ctx?: CallContext): Promise<ErpCaseType[]> {
    return this.run('listCaseTypes', {}, ctx, (r) => rows(r, 'CaseType', 'case types').map(toCaseType));
  }

  listUsers(ctx?: CallContext): Promise<ErpUser[]> {
    return this.run('listUsers', {}, ctx, (r) => rows(r, 'User', 'users').map(toUser));
  }

  listResponsibilityCenters(ctx?: CallContext): Promise<ErpResponsibilityCenter[]> {
    return this.run('listResponsibilityCenters', {}, ctx, (r) => rows(r, 'ResponsibilityCenter', 'responsibility centers').map(toResponsibilityCenter));
  }

  getProcess(number: string, ctx?: CallContext): Promise<ErpProcess | null> {
    return this.run('getProcess', { Number: number }, ctx, toProcess);
  }

  listClientProducts(clientCode: string, ctx?: CallContext): Promise<ErpProduct[]> {
    return this.run('listClientProducts', { ClientCode: clientCode }, ctx, (r) => rows(r, 'Product', 'client products').map(toProduct));
  }

  listCriticalFactors(clientCode: string, ctx?: CallContext): Promise<ErpCriticalFactor[]> {
    return this.run('listCriticalFactors', { ClientCode: clientCode }, ctx, (r) => rows(r, 'CriticalFactor', 'critical factors').map(toCriticalFactor));
  }

  getMarkers(clientCode: string, ctx?: CallContext): Promise<ErpClientMarkers | null> {
    return this.run('getMarkers', { ClientCode: clientCode }, ctx, toMarkers);
  }

  findCaseByExternalRef(externalRef: string, ctx?: CallContext): Promise<string | null> {
    return this.run('findCaseByExternalRef', { ExternalRef: externalRef }, ctx, (r) => processNumber(r, 'case by external reference'));
  }

  createCase(payload: Record<string, unknown>, ctx?: CallContext): Promise<string> {
    return this.run('createCase', payload, ctx, (r) => processNumber(r, 'created case') ?? missing('createCase', 'Number'));
  }

  hasOpinion(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean> {
    return this.run('hasOpinion', { ProcessNumber: processNumber, ExternalRef: externalRef }, ctx, (r) => flag(answer(r, 'opinion check') ?? {}, 'Exists', 'opinion check'));
  }

  /** The mapped payload carries the process number (OpinionRecord.processNumber), in the service's own field. */
  addOpinion(_processNumber: string, payload: Record<string, unknown>, ctx?: CallContext): Promise<void> {
    return this.run('addOpinion', payload, ctx, () => undefined);
  }

  /** As addOpinion: the process number travels in the mapped payload. */
  notify(_processNumber: string, payload: Record<string, unknown>, ctx?: CallContext): Promise<void> {
    return this.run('notify', payload, ctx, () => undefined);
  }

  /** A cheap, authenticated read: proves the WSDL loads, the endpoint answers and the credentials work. */
  ping(ctx?: CallContext): Promise<void> {
    return this.run('listResponsibilityCenters', {}, ctx, () => undefined);
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }

  /** One call and its conversion; whatever goes wrong leaves as a ConnectorError. */
  private async run<T>(call: CrmCall, args: Record<string, unknown>, ctx: CallContext | undefined, convert: (result: unknown) => T): Promise<T> {
    try {
      return convert(await this.soap.call(call, args, ctx));
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throw fail(RULES.contractMismatch, `${call}: the answer could not be read (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

function missing(call: CrmCall, field: string): never {
  throw fail(RULES.contractMismatch, `${call}: the answer has no ${field}`);
}
