// The Bimer Core peer's data: camelCase records, nested where the Core API nests them, a
// catalogue of 120 products (more than one page), and what it received for every write.

export interface CoreClient { identificador: string; codigo: string; nome: string; nomeFantasia?: string; documento: { cpfCnpj: string }; produtos: string[]; inadimplencia?: { desde: string; motivo: string }; marcadores?: Array<{ codigo: string; descricao: string; desde?: string }>; versoes?: Array<{ sistema: string; emUso: string | null; liberada: string | null; baixada: string | null }> }
export interface CoreProduct { identificador: string; descricao: string; situacao: 'ATIVO' | 'INATIVO' }
export interface CoreCaseType { identificador: string; descricao: string; pareceresPadrao: Array<{ identificador: string; texto: string }> }
export interface CoreUser { identificador: string; nome: string; spySystem?: { login: string } }
export interface CoreCenter { identificador: string; descricao: string }
export interface CoreProcess {
  numero: string;
  cliente: { codigo: string };
  produto: { identificador: string };
  tipoAtendimento: { identificador: string };
  assunto: string;
  situacao: { codigo: 'ABERTO' | 'ENCERRADO' };
  abertoEm: string;
  prioritario: boolean;
  contato?: { nome: string };
  centroResponsabilidade?: { identificador: string };
  proximoContato?: { data?: string; usuario?: { identificador: string } };
  referenciaExterna?: string;
  pareceres: Array<{ texto: string; referenciaExterna?: string }>;
  notificacoes: Array<{ loginsSpySystem: string[]; emails: string[]; referenciaExterna?: string }>;
  /** Every PATCH body as received. */
  atualizacoes: unknown[];
}

export const CORE_SEED = {
  clients: { padaria: '000012', mercado: '000034', oficina: '000056' },
  products: { erp: 'P001', crm: 'P002', inactive: 'P003' },
  caseTypes: { support: 'TA01', commercial: 'TA02' },
  standardOpinions: { chat: 'PP01' },
  users: { ana: 'U001', bruno: 'U002' },
  centers: { support: 'CR01', commercial: 'CR02' },
  existingProcess: '20000001',
  catalogueSize: 120,
} as const;

export interface CoreState {
  credentials: { username: string; password: string };
  tokenTtlSeconds: number;
  /** Issued bearer tokens → when they expire (ms). */
  tokens: Map<string, number>;
  /** Integration keys accepted in X-Chave-Api. */
  apiKeys: Set<string>;
  signIns: number;
  clients: CoreClient[];
  products: CoreProduct[];
  caseTypes: CoreCaseType[];
  users: CoreUser[];
  centers: CoreCenter[];
  processes: CoreProcess[];
  nextNumber: number;
  /** Pages of the catalogue asked for (pagina values), to show every page was read. */
  pagesServed: number[];
  requests: Array<{ method: string; url: string; traceparent?: string; status?: number }>;
}

export function seededCoreState(credentials: CoreState['credentials'], tokenTtlSeconds: number): CoreState {
  const s = CORE_SEED;
  const products: CoreProduct[] = [
    { identificador: s.products.erp, descricao: 'Bimer ERP', situacao: 'ATIVO' },
    { identificador: s.products.crm, descricao: 'Bimer CRM', situacao: 'ATIVO' },
    { identificador: s.products.inactive, descricao: 'Bimer Legado', situacao: 'INATIVO' },
  ];
  for (let i = 4; i <= s.catalogueSize; i++) products.push({ identificador: `P${String(i).padStart(3, '0')}`, descricao: `Módulo ${i}`, situacao: 'ATIVO' });
  return {
    credentials,
    tokenTtlSeconds,
    tokens: new Map(),
    apiKeys: new Set(),
    signIns: 0,
    clients: [
      { identificador: 'C-0012', codigo: s.clients.padaria, nome: 'Padaria Pão Quente Ltda', nomeFantasia: 'Pão Quente', documento: { cpfCnpj: '11222333000181' }, produtos: [s.products.erp, s.products.crm] },
      { identificador: 'C-0034', codigo: s.clients.mercado, nome: 'Mercado Boa Vista Ltda', documento: { cpfCnpj: '22333444000190' }, produtos: [s.products.erp] },
      { identificador: 'C-0056', codigo: s.clients.oficina, nome: 'Oficina Torque Certo ME', documento: { cpfCnpj: '33444555000102' }, produtos: [s.products.crm], inadimplencia: { desde: '2025-01-15', motivo: 'Boletos vencidos' }, marcadores: [{ codigo: 'OFICINA', descricao: 'Oficina credenciada', desde: '2020-02-03' }], versoes: [{ sistema: 'Bimer CRM', emUso: '7.1', liberada: '7.2', baixada: null }] },
    ],
    products,
    caseTypes: [
      { identificador: s.caseTypes.support, descricao: 'Suporte técnico', pareceresPadrao: [{ identificador: s.standardOpinions.chat, texto: 'Atendido pelo chat.' }] },
      { identificador: s.caseTypes.commercial, descricao: 'Dúvida comercial', pareceresPadrao: [] },
    ],
    users: [
      { identificador: s.users.ana, nome: 'Ana Souza', spySystem: { login: 'ana.souza' } },
      { identificador: s.users.bruno, nome: 'Bruno Lima', spySystem: { login: 'bruno.lima' } },
    ],
    centers: [
      { identificador: s.centers.support, descricao: 'Suporte' },
      { identificador: s.centers.commercial, descricao: 'Comercial' },
    ],
    processes: [
      {
        numero: s.existingProcess,
        cliente: { codigo: s.clients.padaria },
        produto: { identificador: s.products.erp },
        tipoAtendimento: { identificador: s.caseTypes.support },
        assunto: 'Erro ao emitir NF-e',
        situacao: { codigo: 'ABERTO' },
        abertoEm: '2025-03-10T13:45:00Z',
        prioritario: false,
        proximoContato: { data: '2031-07-01', usuario: { identificador: s.users.bruno } },
        pareceres: [{ texto: 'Cliente relata rejeição 539.' }],
        notificacoes: [],
        atualizacoes: [],
      },
    ],
    nextNumber: 20000002,
    pagesServed: [],
    requests: [],
  };
}
