// The contract between the integration engine and the ERP: neutral records in and out, one
// method per call. Connectors import only this file and src/errors.ts from the engine.

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
  /** The client the process belongs to, where the ERP tells it: linking is refused for another client. */
  clientCode?: string;
}

/** An open ERP case of a client ("fator crítico"). */
export interface ErpCriticalFactor { number: string; subject: string; openedAt?: string }

/** A client's versions of one system (chat details, version releases). */
export interface ErpProductVersion { system: string; used?: string | null; entitled?: string | null; downloaded?: string | null }

/** One marker the ERP keeps on a client; `delinquency` flags the one that means delinquency. */
export interface ErpMarker { code: string; label: string; since?: string; delinquency?: boolean }
/** `markers`: every marker of the client; absent when the ERP cannot list them. */
export interface ErpClientMarkers { delinquent: boolean; since?: string; reason?: string; markers?: ErpMarker[] }

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

/** Per-call context: where to record exchanges, the job's logger, and headers to send. */
export interface CallContext {
  trace?: (exchange: ConnectorExchange) => void;
  log?: ConnectorLogger;
  /**
   * Headers every transport sends with each ERP request of this call: the W3C trace
   * context (`traceparent`, `tracestate`) and `x-request-id`, so the ERP's logs and traces
   * join the helpdesk request that caused the call.
   */
  headers?: Record<string, string>;
}

/** Neutral input of the createCase call. */
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

/** Neutral input of the addOpinion call. */
export interface OpinionRecord { externalRef: string; processNumber: string; text: string }

/** Neutral input of the notify call. */
export interface NotifyRecord { externalRef: string; processNumber: string; spySystemLogins: string[]; emails: string[] }

/**
 * Neutral input of the updateProcess call: what an integration linked to an existing process
 * applies to it. Only the fields present are sent.
 */
export interface ProcessUpdateRecord {
  externalRef: string;
  processNumber: string;
  closeCase?: boolean;
  responsibilityCenterId?: string;
  nextContact?: { userId?: string; date?: string };
  priority?: boolean;
}

export interface WriteRecords {
  createCase: CaseRecord;
  addOpinion: OpinionRecord;
  notify: NotifyRecord;
  updateProcess: ProcessUpdateRecord;
}

export type WriteCall = keyof WriteRecords;
export const WRITE_CALLS: readonly WriteCall[] = ['createCase', 'addOpinion', 'notify', 'updateProcess'];

export const READ_CALLS = [
  'getClient',
  'listProducts',
  'listCaseTypes',
  'listUsers',
  'listResponsibilityCenters',
  'getProcess',
  'listClientProducts',
  'listCriticalFactors',
  'getMarkers',
  'listProductVersions',
  'findCaseByExternalRef',
  'hasOpinion',
  'findNotification',
] as const;
export type ReadCall = (typeof READ_CALLS)[number];
export type ConnectorCall = ReadCall | WriteCall;

/** What a write would send, built from its mapping without calling the ERP. */
export interface PreparedRequest {
  call: WriteCall;
  /** REST: the HTTP method and path (query included). */
  method?: string;
  path?: string;
  /** SOAP: the operation. */
  operation?: string;
  /** The REST body or the SOAP arguments, as the payload schema sees them. */
  payload: unknown;
}

/** A payload that does not hold against its schema; `field` is the neutral record's field it came from, when known. */
export interface PayloadProblem { path: string; message: string; field?: string }

export interface DryRun {
  request: PreparedRequest;
  /** Empty when the payload is valid. */
  problems: PayloadProblem[];
}

export interface ConnectorCapabilities {
  /**
   * Neutral fields (dotted paths of the write's record, e.g. "priority", "nextContact.date")
   * the mapping set declares it cannot apply: a request using them must be refused at accept.
   */
  cannotApply: Partial<Record<WriteCall, string[]>>;
}

/**
 * What the engine calls. Reads return neutral records (validated against
 * schemas/connectors/records/), writes take neutral records and map them through the connector's
 * mapping set. Every failure is a ConnectorError (transient or permanent, with a stable code).
 */
export interface ErpConnector {
  readonly name: string;
  readonly capabilities: ConnectorCapabilities;

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
  /** The client's versions of each system, asked when a chat starts (optional call). */
  listProductVersions(clientCode: string, ctx?: CallContext): Promise<ErpProductVersion[]>;

  /** Idempotency: the process number already created with this external reference, if any. */
  findCaseByExternalRef(externalRef: string, ctx?: CallContext): Promise<string | null>;
  /** Whether an opinion with this external reference is already on the process. */
  hasOpinion(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean>;
  /** Whether a notification with this external reference is already on the process. */
  findNotification(processNumber: string, externalRef: string, ctx?: CallContext): Promise<boolean>;

  /** Creates a CRM case; returns the ERP process number. */
  createCase(record: CaseRecord, ctx?: CallContext): Promise<string>;
  addOpinion(record: OpinionRecord, ctx?: CallContext): Promise<void>;
  notify(record: NotifyRecord, ctx?: CallContext): Promise<void>;
  /** Applies close + responsibility center, priority, next contact to an existing process. */
  updateProcess(record: ProcessUpdateRecord, ctx?: CallContext): Promise<void>;

  /**
   * Maps a write's record and validates the payload against its schema, without calling the ERP
   * (accept-time checks, `ponte integrations show --payload`). Throws MAPPING_FAILED when the
   * mapping itself fails.
   */
  dryRun<C extends WriteCall>(call: C, record: WriteRecords[C]): Promise<DryRun>;

  /** Cheap reachability check for /ready. */
  ping(ctx?: CallContext): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectorDeps {
  log: ConnectorLogger;
}

export type { ConnectorError };

