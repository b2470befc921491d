// One SOAP call: the operation's arguments ordered by the WSDL, a whole-call deadline, the call
// context's headers as HTTP headers, and what came back reported raw — a fault, a status, broken
// XML, another operation's element (node-soap alone accepts it) — for the outcome rules to read.

import { randomUUID } from 'node:crypto';
import type { Client, SoapMethodAsync } from 'soap';
import type { CallContext } from '../../src/connectors/contract.js';
import type { SoapRequest, Transport, WireAnswer } from '../../src/connectors/kinds.js';
import { orderArguments, declares, plainAnswer } from './arguments.js';
import { NETWORK_CODES, openClient, operationContract, type OperationContract, type SoapTarget, type WsdlFailure } from './client.js';
import { answerShape, faultOf, looksLikeEnvelope } from './envelope.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return isObject(err) && typeof err.message === 'string' ? err.message : String(err);
}

/** The shape of a well-formed answer, or why it is not the element the WSDL promises. */
export function checkShape(raw: unknown, contract: OperationContract): Pick<WireAnswer, 'answer' | 'why'> | undefined {
  const shape = answerShape(raw);
  if (shape.kind === 'not-soap') return { answer: 'not-envelope', why: `${contract.operation} answered without a SOAP envelope` };
  if (shape.element && shape.element.name === contract.element && shape.element.namespace === contract.namespace) return undefined;
  const got = shape.element ? `{${shape.element.namespace ?? ''}}${shape.element.name}` : 'an empty Body';
  return { answer: 'unexpected-element', why: `${contract.operation} answered ${got}, expected {${contract.namespace ?? ''}}${contract.element}` };
}

/** Whatever node-soap rejected a call with, as what came back. */
export function failureOf(err: unknown, contract: OperationContract): Omit<WireAnswer, 'exchange'> & { raw?: string } {
  const e = isObject(err) ? err : {};
  const response = isObject(e.response) ? e.response : undefined;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  const raw = typeof e.body === 'string' ? e.body : typeof response?.data === 'string' ? response.data : undefined;
  const op = contract.operation;
  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code)) return { network: code, why: `${op}: ${code === 'ERR_CANCELED' ? 'no answer before the call deadline' : code}` };
    // Thrown before anything was sent (node-soap could not serialise the arguments).
    return { answer: 'request-invalid', why: `${op}: ${messageOf(err)}` };
  }
  const base = { status, raw, headers: isObject(response?.headers) ? response.headers : undefined };
  if (status === 401 || status === 403) return { ...base, why: `${op}: HTTP ${status}` };
  const fault = faultOf(e.root);
  if (fault) return { ...base, fault: { ...fault, detail: plainAnswer(fault.detail) }, why: `${op}: ${fault.code}: ${fault.reason}` };
  if (!looksLikeEnvelope(raw)) return { ...base, answer: 'not-envelope', why: `${op} answered HTTP ${status} without a SOAP envelope` };
  // node-soap's XML parser reports broken XML as a thrown `{ Fault: { faultstring: 'Invalid XML' } }`.
  const parserFault = isObject(e.Fault) ? e.Fault : undefined;
  if (parserFault?.faultstring === 'Invalid XML') return { ...base, answer: 'malformed', why: `${op}: ${String(parserFault.detail ?? '').split('\n')[0]}` };
  // A well-formed envelope node-soap could not map: another operation's element, a foreign namespace.
  return { ...base, ...(checkShape(raw, contract) ?? { answer: 'unexpected-element', why: `${op}: ${messageOf(err)}` }) };
}

export class SoapTransport implements Transport {
  private client: Promise<Client> | undefined;
  private readonly contracts = new Map<string, OperationContract | undefined>();
  private readonly statuses = new Map<string, number>();

  constructor(private readonly target: SoapTarget) {}

  async send(request: SoapRequest, ctx?: CallContext): Promise<WireAnswer> {
    const exchange = { operation: request.operation, request: { endpoint: this.target.endpoint, args: request.arguments } };
    let client: Client;
    try {
      client = await this.loadClient();
    } catch (failure) {
      const f = failure as WsdlFailure;
      if (f.network) return { network: f.network, why: f.why, exchange };
      if (f.status) return { status: f.status, ...(f.status === 401 || f.status === 403 ? {} : { answer: 'not-envelope' as const }), why: f.why, exchange };
      return { answer: 'wsdl-unusable', why: f.why, exchange };
    }
    const contract = this.contractOf(client, request.operation);
    const method = client[`${request.operation}Async`] as SoapMethodAsync | undefined;
    if (!contract || typeof method !== 'function') return { answer: 'unknown-operation', why: `the WSDL has no operation ${request.operation}`, exchange };
    const exchangeId = randomUUID();
    try {
      const [result, raw] = await method.call(
        client,
        orderArguments(request.arguments, contract.input),
        // axios' `timeout` is an idle timeout; the signal bounds the whole call.
        { timeout: this.target.timeoutMs, signal: AbortSignal.timeout(this.target.timeoutMs), exchangeId },
        ctx?.headers,
      );
      const status = this.statuses.get(exchangeId);
      const wrong = checkShape(raw, contract);
      if (wrong) return { status, ...wrong, exchange: { ...exchange, response: typeof raw === 'string' ? raw : undefined } };
      const body = plainAnswer(result);
      return { status, body: body ?? {}, why: status ? `HTTP ${status}` : '', exchange: { ...exchange, response: body } };
    } catch (err) {
      const { raw, ...failure } = failureOf(err, contract);
      return { ...failure, exchange: { ...exchange, response: raw } };
    } finally {
      this.statuses.delete(exchangeId);
    }
  }

  renew(): boolean {
    // A WS-Security UsernameToken is made anew for every request (fresh Created, and nonce with
    // a digest): a token the service found expired is renewed by sending once more. Basic
    // credentials are fixed in the settings: nothing to renew.
    return this.target.auth.type === 'wsse';
  }

  async declares(operation: string, path: string): Promise<boolean> {
    const contract = this.contractOf(await this.loadClient(), operation);
    return contract ? declares(contract.output, path) : false;
  }

  async close(): Promise<void> {
    this.client = undefined;
  }

  private loadClient(): Promise<Client> {
    // One client for all calls; a failed load is forgotten so the next call tries again.
    this.client ??= openClient(this.target, (id, status) => this.statuses.set(id, status)).catch((err: unknown) => {
      this.client = undefined;
      throw err;
    });
    return this.client;
  }

  private contractOf(client: Client, operation: string): OperationContract | undefined {
    if (!this.contracts.has(operation)) this.contracts.set(operation, operationContract(client, operation, this.target.namespace));
    return this.contracts.get(operation);
  }
}
