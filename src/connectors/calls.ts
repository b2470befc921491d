// The calls of the connector contract as the engine runs them: what each one's answer must
// become (a list of neutral records, one or none, a yes/no, nothing) and which a set must map.

import type { ConnectorCall } from './contract.js';

export type OutputShape =
  /** A list of records (possibly empty). */
  | 'list'
  /** One record, or null when the ERP has none (a not-found outcome, or no record). */
  | 'nullable'
  /** Exactly one record. */
  | 'single'
  /** `{found: boolean}`: from the result mapping, else whether any record came. */
  | 'found'
  /** Only the outcome rules matter (writes that answer nothing ponte needs). */
  | 'none';

export interface CallShape {
  output: OutputShape;
  /** schemas/connectors/records/<record>.json */
  record?: string;
  write?: boolean;
  /** A set may leave it out: calling it is then a permanent CONNECTOR_CALL_UNMAPPED. */
  optional?: boolean;
}

export const CALL_SHAPES: Readonly<Record<ConnectorCall, CallShape>> = {
  getClient: { output: 'nullable', record: 'client' },
  listProducts: { output: 'list', record: 'product' },
  listCaseTypes: { output: 'list', record: 'caseType' },
  listUsers: { output: 'list', record: 'user' },
  listResponsibilityCenters: { output: 'list', record: 'responsibilityCenter' },
  getProcess: { output: 'nullable', record: 'process' },
  listClientProducts: { output: 'list', record: 'product', optional: true },
  listCriticalFactors: { output: 'list', record: 'criticalFactor', optional: true },
  getMarkers: { output: 'nullable', record: 'markers', optional: true },
  listProductVersions: { output: 'list', record: 'productVersion', optional: true },
  findCaseByExternalRef: { output: 'list', record: 'caseRef' },
  hasOpinion: { output: 'found', record: 'found' },
  findNotification: { output: 'found', record: 'found' },
  createCase: { output: 'single', record: 'caseRef', write: true },
  addOpinion: { output: 'none', write: true },
  notify: { output: 'none', write: true },
  updateProcess: { output: 'none', write: true },
};

export const CALL_NAMES = Object.keys(CALL_SHAPES) as ConnectorCall[];
