// The node-soap client of one connector: loaded lazily from the WSDL (so ponte starts while the
// service is down), security per config, and what the connector needs to know of each operation
// (its answer element, its argument order) read once from the WSDL.

import { BasicAuthSecurity, createClientAsync, HttpClient, WSSecurity, type Client, type IHeaders, type IExOptions } from 'soap';
import { ConnectorError } from '../../src/errors.js';
import type { SoapAuth } from './config.js';
import { BY_NETWORK_CODE, BY_STATUS, fail, RULES, type ExpectedAnswer } from './errors.js';

export interface SoapTarget {
  wsdl: string;
  endpoint: string;
  auth: SoapAuth;
  timeoutMs: number;
  /** Overrides the namespace answers must be in (default: the WSDL's). */
  namespace?: string;
}

/** What the connector knows of one WSDL operation. */
export interface OperationContract extends ExpectedAnswer {
  /** Top-level argument names in the WSDL's sequence order (strict services reject another order). */
  argumentOrder: string[];
}

type Callback = (error: unknown, res?: unknown, body?: unknown) => unknown;

/**
 * node-soap handles an answer inside a promise it discards (http.js: `req.then(res => callback(...))`),
 * so anything thrown while parsing or in a listener would surface as an unhandledRejection and
 * leave the call unsettled. This client hands such a throw back to the call as its error instead.
 */
export class GuardedHttpClient extends HttpClient {
  override request(rurl: string, data: unknown, callback: Callback, exheaders?: IHeaders, exoptions?: IExOptions) {
    return super.request(
      rurl,
      data,
      (error, res, body) => {
        try {
          return callback(error, res, body);
        } catch (thrown) {
          // The call's promise settles once: if it already resolved, this is a no-op.
          try {
            return callback(thrown);
          } catch {
            return undefined;
          }
        }
      },
      exheaders,
      exoptions,
    );
  }
}

function basicHeader(auth: SoapAuth): Record<string, string> {
  return auth.type === 'basic' ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
}

/** A WSDL that cannot be fetched or parsed, classified like any other call failure. */
function wsdlFailure(err: unknown, wsdl: string): ConnectorError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  // node-soap reports a non-200 WSDL answer only in its message: "Invalid WSDL URL: … Code: 401".
  const status = Number(/\bCode: (\d{3})\b/.exec(message)?.[1]) || undefined;
  const byStatus = status === undefined ? undefined : (BY_STATUS[status] ?? (status >= 500 ? RULES.badResponse : RULES.httpRejected));
  const network = typeof e.code === 'string' ? BY_NETWORK_CODE[e.code] : undefined;
  const rule = byStatus ?? network ?? RULES.wsdlUnusable;
  return fail(rule, `loading the WSDL ${wsdl}: ${status ? `HTTP ${status}` : message.split('\n')[0]}`);
}

interface WsdlOutput { $name?: string; targetNamespace?: string }
interface WsdlPort { binding?: { methods?: Record<string, { output?: WsdlOutput }> } }

export async function openClient(target: SoapTarget, onStatus: (exchangeId: string, status: number) => void): Promise<Client> {
  let client: Client;
  try {
    client = await createClientAsync(target.wsdl, {
      endpoint: target.endpoint,
      // The cache is keyed by WSDL URL only and shares options between clients.
      disableCache: true,
      httpClient: new GuardedHttpClient(),
      wsdl_headers: basicHeader(target.auth),
      wsdl_options: { timeout: target.timeoutMs, signal: AbortSignal.timeout(target.timeoutMs) },
    });
  } catch (err) {
    throw wsdlFailure(err, target.wsdl);
  }
  const { auth } = target;
  if (auth.type === 'wsse') client.setSecurity(new WSSecurity(auth.username, auth.password, { passwordType: auth.passwordType ?? 'PasswordText' }));
  if (auth.type === 'basic') client.setSecurity(new BasicAuthSecurity(auth.username, auth.password));
  // The only per-call way to learn a successful answer's HTTP status; keyed by our exchange id.
  client.on('response', (_body: unknown, response: { status?: unknown } | null, exchangeId: string) => {
    if (typeof response?.status === 'number') onStatus(exchangeId, response.status);
  });
  return client;
}

/** The operation as the WSDL describes it, or undefined when the WSDL has no such operation. */
export function operationContract(client: Client, operation: string, namespace?: string): OperationContract | undefined {
  const services = (client.wsdl.definitions as unknown as { services: Record<string, { ports: Record<string, WsdlPort> }> }).services;
  const description = client.describe() as Record<string, Record<string, Record<string, { input?: Record<string, unknown> }>>>;
  for (const [serviceName, service] of Object.entries(services)) {
    for (const [portName, port] of Object.entries(service.ports)) {
      const output = port.binding?.methods?.[operation]?.output;
      if (!output?.$name) continue;
      const input = description[serviceName]?.[portName]?.[operation]?.input;
      return {
        operation,
        element: output.$name,
        namespace: namespace ?? output.targetNamespace,
        argumentOrder: input && typeof input === 'object' ? Object.keys(input) : [],
      };
    }
  }
  return undefined;
}

/** The arguments in the WSDL's order; names the WSDL does not know are kept, last. */
export function orderArguments(args: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const known = order.filter((k) => k in args).map((k) => [k, args[k]] as const);
  const rest = Object.entries(args).filter(([k]) => !order.includes(k));
  return Object.fromEntries([...known, ...rest]);
}
