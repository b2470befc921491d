// The node-soap client of one connector: loaded lazily from the WSDL (so ponte starts while the
// service is down), security per settings, answers' dates kept as the text the service sent, and
// what the engine needs of each operation (its answer element, its input and output trees) read
// once from the WSDL.

import { BasicAuthSecurity, createClientAsync, HttpClient, WSSecurity, type Client, type IHeaders, type IExOptions } from 'soap';

export interface SoapAuth {
  type: 'wsse' | 'basic' | 'none';
  username?: string;
  password?: string;
  passwordType?: 'PasswordText' | 'PasswordDigest';
}

export interface SoapTarget {
  wsdl: string;
  endpoint: string;
  auth: SoapAuth;
  timeoutMs: number;
  /** Overrides the namespace answers must be in (default: the WSDL's). */
  namespace?: string;
}

/** An element tree as node-soap describes it: child name ("Item[]" when repeated) → type name or subtree. */
export type Described = { [name: string]: string | Described };

/** What the engine knows of one WSDL operation. */
export interface OperationContract {
  operation: string;
  /** The answer element the WSDL promises, and its namespace. */
  element: string;
  namespace: string | undefined;
  input: Described;
  output: Described;
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

/** Why the WSDL could not be had: an HTTP status, a network error code, or neither (it does not parse). */
export interface WsdlFailure { status?: number; network?: string; why: string }

/** Error codes that mean the network, not the WSDL (a missing file is ENOENT: the WSDL is unusable). */
export const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED', 'ERR_BAD_RESPONSE',
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function wsdlFailure(err: unknown, wsdl: string): WsdlFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  // node-soap reports a non-200 WSDL answer only in its message: "Invalid WSDL URL: … Code: 401".
  const status = Number(/\bCode: (\d{3})\b/.exec(message)?.[1]) || undefined;
  if (status) return { status, why: `loading the WSDL ${wsdl}: HTTP ${status}` };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return { network: e.code, why: `loading the WSDL ${wsdl}: ${e.code}` };
  return { why: `loading the WSDL ${wsdl}: ${message.split('\n')[0]}` };
}

const basicHeader = (auth: SoapAuth): Record<string, string> =>
  auth.type === 'basic' ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};

/** Keeps xs:date and xs:dateTime as the service wrote them: a Date would move a date across time zones. */
const asText = (text: string) => text;

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
      customDeserializer: { date: asText, dateTime: asText },
    });
  } catch (err) {
    throw wsdlFailure(err, target.wsdl);
  }
  const { auth } = target;
  if (auth.type === 'wsse') client.setSecurity(new WSSecurity(auth.username!, auth.password!, { passwordType: auth.passwordType ?? 'PasswordText' }));
  if (auth.type === 'basic') client.setSecurity(new BasicAuthSecurity(auth.username!, auth.password!));
  // The only per-call way to learn a successful answer's HTTP status; keyed by our exchange id.
  client.on('response', (_body: unknown, response: { status?: unknown } | null, exchangeId: string) => {
    if (typeof response?.status === 'number') onStatus(exchangeId, response.status);
  });
  return client;
}

interface WsdlOutput { $name?: string; targetNamespace?: string }
interface WsdlPort { binding?: { methods?: Record<string, { output?: WsdlOutput }> } }

const tree = (v: unknown): Described => (typeof v === 'object' && v !== null ? (v as Described) : {});

/** The operation as the WSDL describes it, or undefined when the WSDL has no such operation. */
export function operationContract(client: Client, operation: string, namespace?: string): OperationContract | undefined {
  const services = (client.wsdl.definitions as unknown as { services: Record<string, { ports: Record<string, WsdlPort> }> }).services;
  const description = client.describe() as Record<string, Record<string, Record<string, { input?: unknown; output?: unknown }>>>;
  for (const [serviceName, service] of Object.entries(services)) {
    for (const [portName, port] of Object.entries(service.ports)) {
      const output = port.binding?.methods?.[operation]?.output;
      if (!output?.$name) continue;
      const described = description[serviceName]?.[portName]?.[operation];
      return { operation, element: output.$name, namespace: namespace ?? output.targetNamespace, input: tree(described?.input), output: tree(described?.output) };
    }
  }
  return undefined;
}
