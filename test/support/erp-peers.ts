// The ERP test peers behind one face, so one table of integration cases runs against every
// mapping set alike: the Bimer sandbox (bimer), the SOAP CRM peer (soap-crm), a Bimer Core
// style REST ERP (bimer-core) and a SOAP ERP with another WSDL (sigma, from its own mapping
// folder in ERP_MAPPINGS_DIR).

import { sandbox as bimerSandbox, SEED as BIMER } from './fixtures.js';
import { startSoapCrmPeer, SEED as SOAP } from '../../connectors/soap-crm/peer/server.js';
import { CORE_CREDENTIALS, CORE_SEED, startBimerCorePeer, type CoreFault } from './peers/bimer-core/server.js';
import { SIGMA_CREDENTIALS, SIGMA_MAPPINGS, SIGMA_SEED, startSigmaPeer, type SigmaFault } from './peers/sigma/server.js';

export type FaultKind = 'transient' | 'permanent' | 'timeout' | 'crash-after-create' | 'malformed' | 'html' | 'unknown-operation' | 'wrong-namespace';
export type FaultOp = 'createCase' | 'notify' | 'addOpinion';

/** A process as the ERP stored it: what it received for close, priority, next contact and center. */
export interface PeerCase {
  number: string;
  externalRef?: string;
  opinions: string[];
  notifications: number;
  closed: boolean;
  priority: boolean;
  responsibilityCenterId?: string;
  nextContactUserId?: string;
  nextContactDate?: string;
}

export interface ErpPeer {
  /** The mapping set (ERP_CONNECTOR). */
  connector: string;
  env: Record<string, string>;
  seed: { clientCode: string; productId: string; caseTypeId: string; standardOpinionId: string; standardText: string; userId: string; spySystemLogin: string; centerId: string; processNumber: string };
  cases(): PeerCase[];
  process(number: string): PeerCase | undefined;
  /** The traceparent headers the ERP received. */
  traceparents(): string[];
  fault(kind: FaultKind, op: FaultOp, times?: number): void;
  close(): Promise<void>;
}

const BIMER_PATHS: Record<FaultOp, string | RegExp> = { createCase: '/api/crm/atendimentos', notify: /\/notificacoes$/, addOpinion: /\/pareceres$/ };

export async function startBimerPeer(): Promise<ErpPeer> {
  const { sandbox, env } = await bimerSandbox();
  const cases = (): PeerCase[] =>
    sandbox.state.cases.map((c) => ({
      number: c.Numero,
      externalRef: c.ReferenciaExterna,
      opinions: c.Pareceres.map((o) => o.Texto),
      notifications: c.Notificacoes.length,
      closed: c.Situacao === 'ENCERRADO',
      priority: c.Prioritario,
      responsibilityCenterId: c.IdentificadorCentroResponsabilidade,
      nextContactUserId: c.IdentificadorUsuarioProximoContato,
      nextContactDate: c.DataProximoContato,
    }));
  return {
    connector: 'bimer',
    env: { ...env, ERP_CONNECTOR: 'bimer' },
    seed: { clientCode: BIMER.clients.company, productId: BIMER.products.erp, caseTypeId: BIMER.caseTypes.support, standardOpinionId: '00A0000031', standardText: 'Cliente orientado pelo chat.', userId: BIMER.users.bruno, spySystemLogin: 'ana.souza', centerId: BIMER.centers.support, processNumber: '10000001' },
    cases,
    process: (number) => cases().find((c) => c.number === number),
    traceparents: () => sandbox.state.requests.flatMap((r) => (r.traceparent ? [r.traceparent] : [])),
    fault(kind, op, times = 1) {
      const path = BIMER_PATHS[op];
      const method = 'POST';
      const action = {
        transient: { type: 'status', status: 503 },
        permanent: { type: 'validation', field: 'Assunto', message: 'Assunto inválido' },
        timeout: { type: 'delay', ms: 1500 },
        'crash-after-create': { type: 'crash-after-create', then: 'reset' },
        malformed: { type: 'status', status: 500, envelope: false },
        html: { type: 'html', status: 502 },
        'unknown-operation': { type: 'status', status: 404, envelope: false },
        'wrong-namespace': { type: 'html', status: 200 },
      }[kind] as never;
      sandbox.faults.inject({ method, path, times, action });
    },
    close: () => sandbox.close(),
  };
}

const SOAP_OPS: Record<FaultOp, string> = { createCase: 'CreateCase', notify: 'Notify', addOpinion: 'AddOpinion' };

export async function startSoapPeer(): Promise<ErpPeer> {
  const auth = { type: 'wsse' as const, username: 'ponte', password: 'soap-secret' };
  const peer = await startSoapCrmPeer({ auth });
  const cases = (): PeerCase[] =>
    [...peer.state.processes.values()].map((p) => ({
      number: p.number,
      externalRef: p.externalRef,
      opinions: p.opinions.map((o) => o.text),
      notifications: p.notifications.length,
      closed: p.status === 'Closed',
      priority: p.priority,
      responsibilityCenterId: p.responsibilityCenterId,
      nextContactUserId: p.nextContactUserId,
      nextContactDate: p.nextContactDate,
    }));
  return {
    connector: 'soap-crm',
    env: { ERP_CONNECTOR: 'soap-crm', SOAP_URL: peer.url, SOAP_WSDL: peer.wsdlUrl, SOAP_AUTH: 'wsse', SOAP_USERNAME: auth.username, SOAP_PASSWORD: auth.password, SOAP_TIMEOUT_MS: '1000' },
    seed: { clientCode: SOAP.clients.padaria, productId: SOAP.products.erp, caseTypeId: SOAP.caseTypes.support, standardOpinionId: SOAP.standardOpinions.chatSolved, standardText: 'Atendimento realizado pelo chat.', userId: SOAP.users.bruno, spySystemLogin: SOAP.spySystemLogins.ana, centerId: SOAP.responsibilityCenters.support, processNumber: SOAP.existingProcess },
    cases,
    process: (number) => cases().find((c) => c.number === number),
    traceparents: () => peer.requests.flatMap((r) => (r.traceparent ? [r.traceparent] : [])),
    fault(kind, op, times = 1) {
      const action = {
        transient: { type: 'server-fault' },
        permanent: { type: 'client-fault', message: 'Subject is invalid' },
        timeout: { type: 'delay', ms: 1500 },
        'crash-after-create': { type: 'crash-after-create' },
        malformed: { type: 'malformed-xml' },
        html: { type: 'html', status: 502 },
        'unknown-operation': { type: 'unknown-operation' },
        'wrong-namespace': { type: 'wrong-namespace' },
      }[kind] as never;
      peer.faults.inject({ operation: SOAP_OPS[op], times, action });
    },
    close: () => peer.close(),
  };
}

const CORE_PATHS: Record<FaultOp, RegExp> = { createCase: /^\/api\/crm\/atendimentos$/, notify: /\/notificacoes$/, addOpinion: /\/pareceres$/ };

export async function startBimerCoreErp(): Promise<ErpPeer> {
  const peer = await startBimerCorePeer();
  const cases = (): PeerCase[] =>
    peer.state.processes.map((p) => ({
      number: p.numero,
      externalRef: p.referenciaExterna,
      opinions: p.pareceres.map((o) => o.texto),
      notifications: p.notificacoes.length,
      closed: p.situacao.codigo === 'ENCERRADO',
      priority: p.prioritario,
      responsibilityCenterId: p.centroResponsabilidade?.identificador,
      nextContactUserId: p.proximoContato?.usuario?.identificador,
      nextContactDate: p.proximoContato?.data,
    }));
  const s = CORE_SEED;
  return {
    connector: 'bimer-core',
    env: { ERP_CONNECTOR: 'bimer-core', BIMER_URL: peer.url, BIMER_USERNAME: CORE_CREDENTIALS.username, BIMER_PASSWORD: CORE_CREDENTIALS.password, BIMER_TIMEOUT_MS: '1000' },
    seed: { clientCode: s.clients.padaria, productId: s.products.erp, caseTypeId: s.caseTypes.support, standardOpinionId: s.standardOpinions.chat, standardText: 'Atendido pelo chat.', userId: s.users.bruno, spySystemLogin: 'ana.souza', centerId: s.centers.support, processNumber: s.existingProcess },
    cases,
    process: (number) => cases().find((c) => c.number === number),
    traceparents: () => peer.state.requests.flatMap((r) => (r.traceparent ? [r.traceparent] : [])),
    fault(kind, op, times = 1) {
      const action = ({
        transient: { type: 'status', status: 503 },
        permanent: { type: 'validation', campo: 'assunto', mensagem: 'assunto: não aceito pelo ERP' },
        timeout: { type: 'delay', ms: 1500 },
        'crash-after-create': { type: 'crash-after-create' },
        malformed: { type: 'text', status: 500 },
        html: { type: 'html', status: 502 },
      } as Partial<Record<FaultKind, CoreFault>>)[kind];
      if (!action) throw new Error(`the bimer-core peer has no ${kind} fault`);
      peer.inject('POST', CORE_PATHS[op], action, times);
    },
    close: () => peer.close(),
  };
}

const SIGMA_OPS: Record<FaultOp, string> = { createCase: 'AbrirAtendimento', notify: 'Notificar', addOpinion: 'IncluirAndamento' };

export async function startSigmaErp(): Promise<ErpPeer> {
  const peer = await startSigmaPeer();
  const cases = (): PeerCase[] =>
    peer.state.processes.map((p) => ({
      number: p.numero,
      externalRef: p.protocolo,
      opinions: p.andamentos.map((a) => a.texto),
      notifications: p.notificacoes.length,
      closed: p.situacao === 'FECHADO',
      priority: p.urgente,
      responsibilityCenterId: p.centroCusto,
      nextContactUserId: p.retorno?.responsavel,
      nextContactDate: p.retorno?.data,
    }));
  const s = SIGMA_SEED;
  return {
    connector: 'sigma',
    env: { ERP_CONNECTOR: 'sigma', ERP_MAPPINGS_DIR: SIGMA_MAPPINGS, ERP_URL: peer.url, ERP_USERNAME: SIGMA_CREDENTIALS.username, ERP_PASSWORD: SIGMA_CREDENTIALS.password, ERP_TIMEOUT_MS: '1000' },
    seed: { clientCode: '000012', productId: s.products.erp, caseTypeId: s.types.suporte, standardOpinionId: s.texts.chat, standardText: 'Atendimento concluído pelo chat.', userId: s.users.bruno, spySystemLogin: 'ana.souza', centerId: s.centers.suporte, processNumber: s.existingProcess },
    cases,
    process: (number) => cases().find((c) => c.number === number),
    traceparents: () => peer.requests.flatMap((r) => (r.traceparent ? [r.traceparent] : [])),
    fault(kind, op, times = 1) {
      const action = ({ transient: 'server-fault', permanent: 'refuse', timeout: 'delay', 'crash-after-create': 'crash-after-create', malformed: 'malformed', html: 'html' } as Partial<Record<FaultKind, SigmaFault>>)[kind];
      if (!action) throw new Error(`the sigma peer has no ${kind} fault`);
      peer.inject(SIGMA_OPS[op], action, times);
    },
    close: () => peer.close(),
  };
}

export const PEERS = { bimer: startBimerPeer, 'soap-crm': startSoapPeer, 'bimer-core': startBimerCoreErp, sigma: startSigmaErp };
