// The contract between the integration engine and an ERP connector (REST, SOAP, ...).
// Connectors import only this file and src/errors.ts from the engine.

import type { ConnectorError } from '../errors.js';

export interface ErpClient {
  /** CRM client code, 6 digits in Bimer ("000012"). */
  code: string;
  /** The ERP's own identifier of the person. */
  id: string;
  companyName: string;
  shortName?: string;
  taxId?: string;
}

export interface ErpProduct { id: string; name: string; active: boolean }
export interface ErpStandardOpinion { id: string; text: string }
export interface ErpCaseType { id: string; name: string; standardOpinions: ErpStandardOpinion[] }
export interface ErpUser { id: string; name: string; spySystemLogin?: string }
export interface ErpResponsibilityCenter { id: string; name: string }

export interface ErpProcess {
  number: string;
  status: string;
  nextContactDate?: string;
  nextContactUserId?: string;
}

/** An open ERP case of a client ("fator crítico"). */
export interface ErpCriticalFactor { number: string; subject: string; openedAt?: string }

export interface ErpClientMarkers { delinquent: boolean; since?: string; reason?: string }

/** One request/response exchange, recorded with the integration attempt (already redacted). */
export interface ConnectorExchange {
  operation: string;
  request: unknown;
  response?: unknown;
  status?: number;
  durationMs: number;
}

export interface ConnectorLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Per-call context: where to record exchanges, and the job's logger. */
export interface CallContext {
  trace?: (exchange: ConnectorExchange) => void;
  log?: ConnectorLogger;
}

/**
 * What the engine calls. Write operations receive payloads already produced by the
 * connector's mappings (mappings/<connector>/<operation>.jsonata) and validated against
 * schemas/connectors/<connector>/<operation>.json; lookups return neutral records.
 * Every failure is a ConnectorError (transient or permanent, with a stable code).
 */
export interface ErpConnector {
  readonly name: string;

  getClient(code: string, ctx?: CallContext): Promise<ErpClient | null>;
  listProducts(ctx?: CallContext): Promise<ErpProduct[]>;
  listCaseTypes(ctx?: CallContext): Promise<ErpCaseType[]>;
  listUsers(ctx?: CallContext): Promise<ErpUser[]>;
  listResponsibilityCenters(ctx?: CallContext): Promise<ErpResponsibilityCenter[]>;
  getProcess(number: string, ctx?: CallContext): Promise<ErpProcess | null>;
  /** Products the client owns in the ERP (chat details panel). */
  listClientProducts(clientCode: string, ctx?: CallContext): Promise<ErpProduct[]>;
  /** The client's open ERP cases (chat details panel). */
  listCriticalFactors(clientCode: string, ctx?: CallContext): Promise<ErpCriticalFactor[]>;
  /** Marker pull for ERPs that cannot push. */
  getMarkers(clientCode: string, ctx?: CallContext): Promise<ErpClientMarkers | null>;

  /** Idempotency: the process number already created with this external reference, if any. */
  findCaseByExternalRef(externalRef: string, ctx?: CallContext): Promise<string | null>;
  /** Creates a CRM case from a mapped payload; returns the ERP process number. */
  createCase(payload: Record<string, unknown>, ctx?: CallContext): Promise<string>;
  /** Whether an opinion with this external reference is already on the process. */
  hasOpinion(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean>;
  addOpinion(processNumber: string, payload: Record<string, unknown>, ctx?: CallContext): Promise<void>;
  notify(processNumber: string, payload: Record<string, unknown>, ctx?: CallContext): Promise<void>;

  /** Cheap reachability check for /ready. */
  ping(ctx?: CallContext): Promise<void>;
  close(): Promise<void>;
}

export type ConnectorOperation = 'createCase' | 'addOpinion' | 'notify';

export interface ConnectorDeps {
  log: ConnectorLogger;
}

/** What a connector folder exports as `manifest` from its index.ts. */
export interface ConnectorManifest<Config = Record<string, unknown>> {
  name: string;
  description: string;
  /** JSON Schema of the connector's configuration (validated at start). */
  configSchema: Record<string, unknown>;
  /** Builds the connector's configuration from environment variables. */
  configFromEnv(env: NodeJS.ProcessEnv): Config;
  /** Write operations for which mappings/<name>/<operation>.jsonata must exist. */
  operations: readonly ConnectorOperation[];
  create(config: Config, deps: ConnectorDeps): Promise<ErpConnector>;
}

export type { ConnectorError };

/** Neutral input of mappings/<connector>/createCase.jsonata. */
export interface CaseRecord {
  /** The integration id: the external reference every ERP write carries. */
  externalRef: string;
  clientCode: string;
  /** An existing ERP process this case is attached to. */
  processNumber?: string;
  productId: string;
  caseTypeId: string;
  subject: string;
  opinion: string;
  contactPerson?: string;
  closeCase: boolean;
  responsibilityCenterId?: string;
  nextContact?: { userId?: string; date?: string };
  priority: boolean;
}

/** Neutral input of mappings/<connector>/addOpinion.jsonata. */
export interface OpinionRecord { externalRef: string; processNumber: string; text: string }

/** Neutral input of mappings/<connector>/notify.jsonata. */
export interface NotifyRecord { externalRef: string; processNumber: string; spySystemLogins: string[]; emails: string[] }
