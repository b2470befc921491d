// The soap-crm connector's configuration: its JSON Schema (validated by the engine at start)
// and how it is read from SOAP_* environment variables.

import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../src/errors.js';

/** The CRM calls the connector makes, by neutral name → the SOAP operation that answers it. */
export const DEFAULT_OPERATIONS = {
  getClient: 'GetClient',
  listProducts: 'ListProducts',
  listCaseTypes: 'ListCaseTypes',
  listUsers: 'ListUsers',
  listResponsibilityCenters: 'ListResponsibilityCenters',
  getProcess: 'GetProcess',
  findCaseByExternalRef: 'FindCaseByExternalRef',
  createCase: 'CreateCase',
  hasOpinion: 'HasOpinion',
  addOpinion: 'AddOpinion',
  notify: 'Notify',
  listClientProducts: 'ListClientProducts',
  listCriticalFactors: 'ListCriticalFactors',
  getMarkers: 'GetMarkers',
} as const;

export type CrmCall = keyof typeof DEFAULT_OPERATIONS;

export type SoapAuth =
  | { type: 'none'; username?: string; password?: string }
  | { type: 'basic' | 'wsse'; username: string; password: string; passwordType?: 'PasswordText' | 'PasswordDigest' };

export interface SoapCrmConfig {
  /** URL or file path of the WSDL; the bundled fixtures/crm.wsdl by default. */
  wsdl: string;
  /** Where calls go (overrides the WSDL's soap:address); empty → the built-in peer is started. */
  endpoint?: string;
  auth: SoapAuth;
  timeoutMs: number;
  /**
   * XML namespace the answers' body elements must be in (default: the WSDL's target namespace).
   * For services whose WSDL imports its messages from another namespace.
   */
  mappingNamespace?: string;
  /** Overrides of DEFAULT_OPERATIONS, so a deployment re-targets its own service's operation names. */
  operations: Partial<Record<CrmCall, string>>;
}

export const BUNDLED_WSDL = fileURLToPath(new URL('./fixtures/crm.wsdl', import.meta.url));
export const DEFAULT_TIMEOUT_MS = 10_000;

const credential = { type: 'string', maxLength: 200 };
const operationName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' };

export const configSchema: Record<string, unknown> = {
  $id: 'connectors/soap-crm/config',
  type: 'object',
  additionalProperties: false,
  required: ['wsdl', 'auth', 'timeoutMs', 'operations'],
  properties: {
    wsdl: { type: 'string', minLength: 1, description: 'SOAP_WSDL: URL or file path; the bundled fixtures/crm.wsdl by default.' },
    endpoint: { type: 'string', pattern: '^(https?://[^\\s]+)?$', description: 'SOAP_URL; empty starts the built-in test peer.' },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { enum: ['wsse', 'basic', 'none'], description: 'SOAP_AUTH' },
        username: { ...credential, description: 'SOAP_USERNAME' },
        password: { ...credential, description: 'SOAP_PASSWORD' },
        passwordType: { enum: ['PasswordText', 'PasswordDigest'], description: 'SOAP_WSSE_PASSWORD_TYPE (wsse only)' },
      },
      if: { properties: { type: { enum: ['wsse', 'basic'] } } },
      then: { required: ['username', 'password'], properties: { username: { minLength: 1 }, password: { minLength: 1 } } },
    },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 300_000, description: 'SOAP_TIMEOUT_MS, per SOAP call.' },
    mappingNamespace: { type: 'string', minLength: 1, description: "SOAP_NAMESPACE: XML namespace of the answers' body elements (default: the WSDL target namespace)." },
    operations: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(Object.keys(DEFAULT_OPERATIONS).map((k) => [k, operationName])),
      description: 'SOAP_OPERATIONS: JSON object, neutral call → SOAP operation name.',
    },
  },
};

function parseOperations(raw: string | undefined): Partial<Record<CrmCall, string>> {
  if (!raw?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ValidationError.field('SOAP_OPERATIONS', 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw ValidationError.field('SOAP_OPERATIONS', 'must be a JSON object');
  // Unknown keys and non-string values are left for the config schema to name.
  return parsed as Partial<Record<CrmCall, string>>;
}

export function configFromEnv(env: NodeJS.ProcessEnv): SoapCrmConfig {
  const timeout = env.SOAP_TIMEOUT_MS?.trim();
  const type = (env.SOAP_AUTH?.trim() || 'none') as SoapAuth['type'];
  const passwordType = env.SOAP_WSSE_PASSWORD_TYPE?.trim() as 'PasswordText' | 'PasswordDigest' | undefined;
  return {
    wsdl: env.SOAP_WSDL?.trim() || BUNDLED_WSDL,
    endpoint: env.SOAP_URL?.trim() || undefined,
    auth: {
      type,
      username: env.SOAP_USERNAME ?? '',
      password: env.SOAP_PASSWORD ?? '',
      ...(passwordType ? { passwordType } : {}),
    } as SoapAuth,
    // A non-number stays NaN so the schema rejects it instead of silently using the default.
    timeoutMs: timeout ? Number(timeout) : DEFAULT_TIMEOUT_MS,
    mappingNamespace: env.SOAP_NAMESPACE?.trim() || undefined,
    operations: parseOperations(env.SOAP_OPERATIONS),
  };
}

/** The operation map in force: the defaults with the configured overrides. */
export function operationNames(config: SoapCrmConfig): Record<CrmCall, string> {
  return { ...DEFAULT_OPERATIONS, ...config.operations };
}
