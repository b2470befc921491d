// Fault injection: the next N calls of an operation answer with a failure a real SOAP service (or
// what stands in front of it) produces, so tests prove the connector's error table.

import { STATUS_CODES } from 'node:http';

export type FaultAction =
  /** A SOAP 1.1 soap:Server fault (HTTP 500). */
  | { type: 'server-fault'; message?: string }
  /** A SOAP 1.1 soap:Client fault (HTTP 500, as SOAP 1.1 prescribes for every fault). */
  | { type: 'client-fault'; message?: string }
  /** A SOAP 1.2 fault: env:Sender or env:Receiver. */
  | { type: 'soap12-fault'; code: 'Sender' | 'Receiver'; message?: string }
  /** A truncated envelope with HTTP 200. */
  | { type: 'malformed-xml' }
  /** An HTML error page, like a proxy's (status 502 unless given). */
  | { type: 'html'; status?: number }
  /** Wait, then answer normally (beyond the client's timeout, the client has given up). */
  | { type: 'delay'; ms: number }
  /** A well-formed envelope carrying the answer of an operation that was not called. */
  | { type: 'unknown-operation' }
  /** The right answer element, but in another XML namespace. */
  | { type: 'wrong-namespace' }
  /** The call is processed (a case is stored), then the connection is destroyed before any answer. */
  | { type: 'crash-after-create' }
  /** The connection is destroyed before the call is processed. */
  | { type: 'reset' };

export interface FaultRule {
  /** SOAP operation name (CreateCase, GetClient, ...); any operation when absent. */
  operation?: string;
  /** How many matching calls it hits (default 1). */
  times?: number;
  action: FaultAction;
}

interface ArmedRule extends FaultRule {
  left: number;
}

export class Faults {
  private rules: ArmedRule[] = [];

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules that still have hits left. */
  pending(): FaultRule[] {
    return this.rules.map(({ left, ...rule }) => ({ ...rule, times: left }));
  }

  /** The action for this call, consuming one hit of the first matching rule. */
  take(operation: string): FaultAction | undefined {
    const rule = this.rules.find((r) => !r.operation || r.operation === operation);
    if (!rule) return undefined;
    rule.left -= 1;
    if (rule.left <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.action;
  }
}

export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const XML = 'text/xml; charset=utf-8';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const envelope = (body: string) => `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${body}</soap:Body></soap:Envelope>`;

function fault11(code: 'Client' | 'Server', message: string): RawAnswer {
  return { status: 500, contentType: XML, body: envelope(`<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${escape(message)}</faultstring></soap:Fault>`) };
}

/** The raw answer of an action that replaces the service's; undefined for actions that need the call processed. */
export function rawAnswer(action: FaultAction, operation: string, namespace: string): RawAnswer | undefined {
  switch (action.type) {
    case 'server-fault':
      return fault11('Server', action.message ?? 'Internal error: the CRM database is unavailable');
    case 'client-fault':
      return fault11('Client', action.message ?? 'ClientCode: rejected by the service');
    case 'soap12-fault':
      return {
        status: action.code === 'Sender' ? 400 : 500,
        contentType: 'application/soap+xml; charset=utf-8',
        body:
          `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${SOAP12}"><env:Body><env:Fault>` +
          `<env:Code><env:Value>env:${action.code}</env:Value></env:Code>` +
          `<env:Reason><env:Text xml:lang="en">${escape(action.message ?? `${action.code} fault`)}</env:Text></env:Reason>` +
          `</env:Fault></env:Body></env:Envelope>`,
      };
    case 'malformed-xml':
      // Cut mid-element, as a proxy dropping the connection would leave it.
      return { status: 200, contentType: XML, body: envelope(`<${operation}Response xmlns="${namespace}"><Number>1000`).replace('</soap:Body></soap:Envelope>', '') };
    case 'html': {
      const status = action.status ?? 502;
      const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
      return { status, contentType: 'text/html', body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><hr><p>nginx</p></body></html>` };
    }
    case 'unknown-operation':
      return { status: 200, contentType: XML, body: envelope(`<tns:UnexpectedOperationResponse xmlns:tns="${namespace}"><tns:Ok>true</tns:Ok></tns:UnexpectedOperationResponse>`) };
    case 'wrong-namespace':
      return { status: 200, contentType: XML, body: envelope(`<${operation}Response xmlns="urn:example:other-crm:v2"/>`) };
    default:
      return undefined;
  }
}
