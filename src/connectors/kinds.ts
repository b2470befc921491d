// The contract between the declarative engine and a connector kind (REST, SOAP): a kind is a
// transport that sends one request the mapping set built and reports what came back, raw; the
// engine classifies it with the set's outcome rules and maps it to neutral records.

import type { CallContext, ConnectorExchange, ConnectorLogger } from './contract.js';
import type { ConnectorError } from '../errors.js';

/** Settings every kind understands; a mapping set names the environment variable of each. */
export const SETTING_KEYS = [
  'url',
  'wsdl',
  'namespace',
  'auth',
  'username',
  'password',
  'passwordType',
  'clientId',
  'clientSecret',
  'token',
  'tokenPath',
  'apiKeyHeader',
  'timeoutMs',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type Settings = Partial<Record<SettingKey, string>>;
export const SECRET_SETTINGS: readonly SettingKey[] = ['password', 'clientSecret', 'token'];

/** A REST request as the mapping built it (path already expanded and encoded). */
export interface RestRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: unknown;
  /** Send the body as application/x-www-form-urlencoded instead of JSON. */
  form?: boolean;
}

/** A SOAP request: the operation and its arguments (ordered by the transport from the WSDL). */
export interface SoapRequest {
  operation: string;
  arguments: Record<string, unknown>;
}

export type WireRequest = RestRequest | SoapRequest;

/** What the shape of an answer says before any rule reads it. */
export type AnswerTag =
  /** Not the JSON the set expects (an HTML page, text), not a SOAP envelope, or a token answer without its token. */
  | 'not-envelope'
  /** XML that does not parse. */
  | 'malformed'
  /** A SOAP envelope carrying another operation's element or a foreign namespace. */
  | 'unexpected-element'
  /** The WSDL has no such operation. */
  | 'unknown-operation'
  /** The WSDL could not be read. */
  | 'wsdl-unusable'
  /** The request could not be built from the arguments (nothing was sent). */
  | 'request-invalid';

export interface Fault {
  /** Local part of the fault code, without prefix or dotted subcode: Client, Server, Sender, Receiver... */
  code: string;
  reason: string;
  detail?: unknown;
}

/** What came back from one request, unclassified. */
export interface WireAnswer {
  status?: number;
  headers?: Record<string, unknown>;
  /** Parsed JSON (REST) or node-soap's parsed result (SOAP), normalised to plain JSON values. */
  body?: unknown;
  /** The Node/axios error code when no answer came. */
  network?: string;
  answer?: AnswerTag;
  fault?: Fault;
  /** A short, already secret-free description for the admin message ("HTTP 400", "ECONNRESET: socket hang up"). */
  why: string;
  /** What to trace: the request and the raw answer as the wire saw them (redacted by the engine). */
  exchange: { operation: string; request: unknown; response?: unknown };
  /** The credential the request carried, so the engine can ask for it to be renewed. */
  credential?: string;
}

/** What a transport gets from the engine. */
export interface TransportDeps {
  log: ConnectorLogger;
  now: () => number;
  /** Classifies an answer of the kind's own calls (the token endpoint) with the set's outcome rules. */
  classify(call: string, answer: WireAnswer): Promise<ConnectorError | undefined>;
  /** Records an exchange of the kind's own calls (token requests) into the call's trace, redacted. */
  record(ctx: CallContext | undefined, exchange: ConnectorExchange): void;
}

export interface Transport {
  send(request: WireRequest, ctx?: CallContext): Promise<WireAnswer>;
  /** The ERP refused this credential as expired: renew it. False when renewing cannot help (a static key). */
  renew(credential: string | undefined): boolean;
  /** For strategies with a token: obtaining it proves URL, network and credentials at once. */
  signIn?(ctx?: CallContext): Promise<void>;
  /**
   * SOAP: whether `path` (dotted) is an element the WSDL declares in the operation's answer, so
   * its absence means "none" rather than a mapping that does not match.
   */
  declares?(operation: string, path: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * What a kind folder (connectors/rest, connectors/soap) exports as `kind`. Its default outcome
 * rules, applied after the mapping set's own, are connectors/<kind>/outcomes.json.
 */
export interface ConnectorKind {
  name: 'rest' | 'soap';
  /** Problems with the settings, each naming the setting key ("url", "password"). */
  checkSettings(settings: Settings): Array<{ key: SettingKey; message: string }>;
  createTransport(settings: Settings, options: KindOptions, deps: TransportDeps): Transport;
}

/** Parts of the mapping set a kind reads itself. */
export interface KindOptions {
  /** The token request/answer of the bimer-core (JSON sign-in) strategy (defaults: accessToken, expiresIn). */
  token: { body?: (input: Record<string, string | undefined>) => Promise<unknown>; accessToken: string; expiresIn: string };
}

/** A built-in stand-in ERP started when a set's url setting is empty (connectors/bimer/sandbox...). */
export interface Sandbox {
  /** Settings that point the connector at it (url, credentials). */
  settings: Settings;
  close(): Promise<void>;
}
/** `dataDir`: where a sandbox keeps its records across restarts (DATA_DIR); without it, in memory. */
export type SandboxStarter = (log: ConnectorLogger, options: { dataDir?: string }) => Promise<Sandbox>;
