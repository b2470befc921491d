// The sandbox ERP's state: its catalogue (seeded), the cases it created, and what its token
// endpoint issued, so tests can look at what the connector really did.

import { seedCatalogue, seedCases, FIRST_NEW_PROCESS_NUMBER } from './seed.js';

export interface SandboxCharacteristic { Identificador: string; Nome: string; DataInclusao: string }
export interface SandboxClient {
  Identificador: string;
  Codigo: string;
  Nome: string;
  NomeCurto: string;
  CpfCnpj: string;
  /** Identificadores of the products the client owns. */
  Produtos: string[];
  Caracteristicas: SandboxCharacteristic[];
  /** The client's versions per system (absent: none known). */
  Versoes?: SandboxVersion[];
}
export interface SandboxVersion { Sistema: string; VersaoEmUso: string | null; VersaoLiberada: string | null; VersaoBaixada: string | null }
export interface SandboxProduct { Identificador: string; Nome: string; Ativo: boolean }
export interface SandboxCaseType { Identificador: string; Nome: string; PareceresPadrao: Array<{ Identificador: string; Texto: string }> }
export interface SandboxUser { Identificador: string; Nome: string; LoginSpySystem: string }
export interface SandboxCenter { Identificador: string; Nome: string }

export interface SandboxOpinion { Identificador: string; Texto: string; ReferenciaExterna?: string; Data: string }
export interface SandboxNotification { LoginsSpySystem: string[]; Emails: string[]; ReferenciaExterna?: string; Data: string }

export interface SandboxCase {
  Numero: string;
  CodigoCliente: string;
  IdentificadorProduto: string;
  IdentificadorTipoAtendimento: string;
  Assunto: string;
  PessoaContato?: string;
  Situacao: 'ABERTO' | 'ENCERRADO';
  Prioritario: boolean;
  IdentificadorCentroResponsabilidade?: string;
  DataProximoContato?: string;
  IdentificadorUsuarioProximoContato?: string;
  ReferenciaExterna?: string;
  DataAbertura: string;
  Pareceres: SandboxOpinion[];
  Notificacoes: SandboxNotification[];
  /** Every PATCH applied to the process, as received. */
  Atualizacoes?: Array<Record<string, unknown> & { Data: string }>;
}

export interface SandboxCredentials { clientId: string; clientSecret: string; username: string; password: string }

export interface TokenGrant { grantType: 'password' | 'refresh_token'; at: string }

export interface SandboxAuth {
  credentials: SandboxCredentials;
  /** expires_in of new access tokens; tests shorten it to see refreshes. */
  tokenTtlSeconds: number;
  refreshTtlSeconds: number;
  grants: TokenGrant[];
  accessTokens: Map<string, { expiresAt: number }>;
  refreshTokens: Map<string, { expiresAt: number }>;
  /** A nonce is accepted once: replaying a captured password proof fails. */
  usedNonces: Set<string>;
  /** Every token value handed out, so tests can prove none leaked into traces or logs. */
  issued: string[];
}

/** `traceparent` when the request carried one (W3C trace context travels to the ERP). */
export interface SandboxRequest { method: string; url: string; at: string; traceparent?: string; requestId?: string }

export interface SandboxState {
  clients: SandboxClient[];
  products: SandboxProduct[];
  caseTypes: SandboxCaseType[];
  users: SandboxUser[];
  centers: SandboxCenter[];
  cases: SandboxCase[];
  nextProcessNumber: number;
  nextOpinionId: number;
  auth: SandboxAuth;
  /** The last 1000 requests received (test endpoints excluded). */
  requests: SandboxRequest[];
}

export const SANDBOX_CREDENTIALS: SandboxCredentials = {
  clientId: 'ponte-sandbox',
  clientSecret: 'sandbox-client-secret',
  username: 'ponte',
  password: 'sandbox-password',
};

export interface StateOptions {
  credentials?: Partial<SandboxCredentials>;
  tokenTtlSeconds?: number;
  refreshTtlSeconds?: number;
}

export function createSandboxState(options: StateOptions = {}): SandboxState {
  const catalogue = seedCatalogue();
  return {
    ...catalogue,
    cases: seedCases(),
    nextProcessNumber: FIRST_NEW_PROCESS_NUMBER,
    nextOpinionId: 1,
    auth: {
      credentials: { ...SANDBOX_CREDENTIALS, ...options.credentials },
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 86_400,
      grants: [],
      accessTokens: new Map(),
      refreshTokens: new Map(),
      usedNonces: new Set(),
      issued: [],
    },
    requests: [],
  };
}

/** Identificadores are 10 upper-case alphanumerics; opinions get their own "PA" series. */
export function nextOpinionId(state: SandboxState): string {
  return `PA${String(state.nextOpinionId++).padStart(8, '0')}`;
}

export function takeProcessNumber(state: SandboxState): string {
  return String(state.nextProcessNumber++);
}

/** What GET /__sandbox/state shows: everything but the secrets and tokens. */
export function publicView(state: SandboxState): Record<string, unknown> {
  const { auth, ...rest } = state;
  return {
    ...rest,
    auth: { tokenTtlSeconds: auth.tokenTtlSeconds, refreshTtlSeconds: auth.refreshTtlSeconds, grants: auth.grants, activeTokens: auth.accessTokens.size },
  };
}
