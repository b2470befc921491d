// The peer's CRM data, seeded with a few records tests and the embedded mode can rely on.
// Identifiers follow Bimer's style: 10 upper-case alphanumerics, 6-digit client codes, 8-digit
// process numbers starting at 10000001.

export interface PeerClient {
  id: string;
  code: string;
  companyName: string;
  shortName?: string;
  taxId?: string;
  /** The products the client owns. */
  productIds: string[];
  delinquent?: { since: string; reason: string };
  /** Every marker the CRM keeps on the client (the delinquency one flagged). */
  markers?: Array<{ code: string; label: string; since?: string; delinquency?: boolean }>;
  /** The client's versions per system. */
  versions?: Array<{ system: string; used?: string; entitled?: string; downloaded?: string }>;
}

export interface PeerProduct { id: string; name: string; active: boolean }
export interface PeerCaseType { id: string; name: string; standardOpinions: Array<{ id: string; text: string }> }
export interface PeerUser { id: string; name: string; spySystemLogin?: string }
export interface PeerResponsibilityCenter { id: string; name: string }
export interface PeerOpinion { text: string; externalRef: string; at: string }
export interface PeerNotification { spySystemLogins: string[]; emails: string[]; externalRef: string; at: string }
/** One UpdateProcess call as applied: what the service received. */
export interface PeerUpdate { externalRef: string; close?: boolean; responsibilityCenterId?: string; nextContactDate?: string; nextContactUserId?: string; priority?: boolean; at: string }

export interface PeerProcess {
  number: string;
  clientCode: string;
  productId: string;
  caseTypeId: string;
  subject: string;
  status: 'Open' | 'Closed';
  openedAt: string;
  contactPerson?: string;
  responsibilityCenterId?: string;
  nextContactDate?: string;
  nextContactUserId?: string;
  priority: boolean;
  externalRef?: string;
  opinions: PeerOpinion[];
  notifications: PeerNotification[];
  updates: PeerUpdate[];
}

export const SEED = {
  clients: { padaria: '000012', mercado: '000027', oficina: '000031' },
  delinquentClient: '000031',
  products: { erp: '00P0000001', pdv: '00P0000002', legacyPayroll: '00P0000003' },
  inactiveProduct: '00P0000003',
  caseTypes: { support: '00T0000001', commercial: '00T0000002' },
  standardOpinions: { chatSolved: '00O0000001', remoteAccess: '00O0000002', proposalSent: '00O0000003' },
  users: { ana: '00U0000001', bruno: '00U0000002', carla: '00U0000003' },
  spySystemLogins: { ana: 'ana.souza', bruno: 'bruno.lima' },
  responsibilityCenters: { support: '00C0000001', commercial: '00C0000002' },
  existingProcess: '10000001',
  existingOpinionRef: 'seed-opinion-1',
  firstNewProcess: '10000002',
} as const;

export class PeerState {
  readonly clients = new Map<string, PeerClient>();
  readonly products = new Map<string, PeerProduct>();
  readonly caseTypes = new Map<string, PeerCaseType>();
  readonly users = new Map<string, PeerUser>();
  readonly responsibilityCenters = new Map<string, PeerResponsibilityCenter>();
  readonly processes = new Map<string, PeerProcess>();
  private lastNumber = 10000000;

  nextProcessNumber(): string {
    this.lastNumber += 1;
    return String(this.lastNumber);
  }

  processByExternalRef(externalRef: string): PeerProcess | undefined {
    return [...this.processes.values()].find((p) => p.externalRef === externalRef);
  }
}

const put = <T extends { id: string }>(map: Map<string, T>, items: T[]) => items.forEach((i) => map.set(i.id, i));

export function seededState(): PeerState {
  const s = new PeerState();
  const { products: p, caseTypes: t, standardOpinions: o, users: u, responsibilityCenters: c } = SEED;
  put(s.products, [
    { id: p.erp, name: 'Bimer ERP', active: true },
    { id: p.pdv, name: 'Bimer PDV', active: true },
    { id: p.legacyPayroll, name: 'Bimer Folha (legado)', active: false },
  ]);
  put(s.caseTypes, [
    { id: t.support, name: 'Suporte técnico', standardOpinions: [{ id: o.chatSolved, text: 'Atendimento realizado pelo chat.' }, { id: o.remoteAccess, text: 'Atendimento realizado por acesso remoto.' }] },
    { id: t.commercial, name: 'Dúvida comercial', standardOpinions: [{ id: o.proposalSent, text: 'Proposta comercial enviada ao cliente.' }] },
  ]);
  put(s.users, [
    { id: u.ana, name: 'Ana Souza', spySystemLogin: SEED.spySystemLogins.ana },
    { id: u.bruno, name: 'Bruno Lima', spySystemLogin: SEED.spySystemLogins.bruno },
    { id: u.carla, name: 'Carla Mendes' },
  ]);
  put(s.responsibilityCenters, [
    { id: c.support, name: 'Suporte' },
    { id: c.commercial, name: 'Comercial' },
  ]);
  for (const client of [
    { id: '00A0000012', code: SEED.clients.padaria, companyName: 'Padaria Pão Quente Ltda', shortName: 'Pão Quente', taxId: '11222333000181', productIds: [p.erp, p.pdv] },
    { id: '00A0000027', code: SEED.clients.mercado, companyName: 'Mercado Boa Vista Ltda', shortName: 'Boa Vista', taxId: '22333444000190', productIds: [p.erp] },
    {
      id: '00A0000031',
      code: SEED.clients.oficina,
      companyName: 'Oficina Torque Certo ME',
      taxId: '33444555000102',
      productIds: [p.pdv],
      delinquent: { since: '2025-01-15', reason: 'Boletos vencidos há mais de 60 dias' },
      versions: [{ system: 'Bimer PDV', used: '4.0', entitled: '4.2', downloaded: '4.1' }],
      markers: [
        { code: 'INAD', label: 'Inadimplente', since: '2025-01-15', delinquency: true },
        { code: 'VIP', label: 'Cliente VIP', since: '2021-06-01' },
      ],
    },
  ] satisfies PeerClient[]) {
    s.clients.set(client.code, client);
  }
  const number = s.nextProcessNumber();
  s.processes.set(number, {
    number,
    clientCode: SEED.clients.padaria,
    productId: p.erp,
    caseTypeId: t.support,
    subject: 'Erro ao emitir NF-e',
    status: 'Open',
    openedAt: '2025-03-10T13:45:00Z',
    nextContactDate: '2025-07-01',
    nextContactUserId: u.bruno,
    priority: false,
    opinions: [{ text: 'Cliente relata rejeição 539 na emissão.', externalRef: SEED.existingOpinionRef, at: '2025-03-10T13:45:00Z' }],
    notifications: [],
    updates: [],
  });
  return s;
}
