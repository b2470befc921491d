// The two ERP test peers behind one face, so one table of integration cases runs against
// the REST connector (Bimer sandbox) and the SOAP connector (SOAP CRM peer) alike.

import { sandbox as bimerSandbox, SEED as BIMER } from './fixtures.js';
import { startSoapCrmPeer, SEED as SOAP } from '../../connectors/soap-crm/peer/server.js';

export type FaultKind = 'transient' | 'permanent' | 'timeout' | 'crash-after-create' | 'malformed' | 'html' | 'unknown-operation' | 'wrong-namespace';
export type FaultOp = 'createCase' | 'notify' | 'addOpinion';

export interface PeerCase { number: string; externalRef?: string; opinions: string[]; notifications: number }

export interface ErpPeer {
  connector: 'bimer' | 'soap-crm';
  env: Record<string, string>;
  seed: { clientCode: string; productId: string; caseTypeId: string; standardOpinionId: string; standardText: string; userId: string; centerId: string; processNumber: string };
  cases(): PeerCase[];
  fault(kind: FaultKind, op: FaultOp, times?: number): void;
  close(): Promise<void>;
}

const BIMER_PATHS: Record<FaultOp, string | RegExp> = { createCase: '/api/crm/atendimentos', notify: /\/notificacoes$/, addOpinion: /\/pareceres$/ };

export async function startBimerPeer(): Promise<ErpPeer> {
  const { sandbox, env } = await bimerSandbox();
  return {
    connector: 'bimer',
    env: { ...env, ERP_CONNECTOR: 'bimer' },
    seed: { clientCode: BIMER.clients.company, productId: BIMER.products.erp, caseTypeId: BIMER.caseTypes.support, standardOpinionId: '00A0000031', standardText: 'Cliente orientado pelo chat.', userId: BIMER.users.bruno, centerId: BIMER.centers.support, processNumber: '10000001' },
    cases: () => sandbox.state.cases.map((c) => ({ number: c.Numero, externalRef: c.ReferenciaExterna, opinions: c.Pareceres.map((o) => o.Texto), notifications: c.Notificacoes.length })),
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
  return {
    connector: 'soap-crm',
    env: { ERP_CONNECTOR: 'soap-crm', SOAP_URL: peer.url, SOAP_WSDL: peer.wsdlUrl, SOAP_AUTH: 'wsse', SOAP_USERNAME: auth.username, SOAP_PASSWORD: auth.password, SOAP_TIMEOUT_MS: '1000' },
    seed: { clientCode: SOAP.clients.padaria, productId: SOAP.products.erp, caseTypeId: SOAP.caseTypes.support, standardOpinionId: SOAP.standardOpinions.chatSolved, standardText: 'Atendimento realizado pelo chat.', userId: SOAP.users.bruno, centerId: SOAP.responsibilityCenters.support, processNumber: SOAP.existingProcess },
    cases: () => [...peer.state.processes.values()].map((p) => ({ number: p.number, externalRef: p.externalRef, opinions: p.opinions.map((o) => o.text), notifications: p.notifications.length })),
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

export const PEERS = { bimer: startBimerPeer, 'soap-crm': startSoapPeer };
