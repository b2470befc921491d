// Sigma ERP's data (a test peer): Portuguese names, 6-digit process numbers, and what the service
// received for every write, so tests can assert close, priority, next contact and cost center.

export interface SigmaProcess {
  numero: string;
  cliente: string;
  produto: string;
  tipo: string;
  assunto: string;
  situacao: 'ABERTO' | 'FECHADO';
  abertura: string;
  urgente: boolean;
  contato?: string;
  centroCusto?: string;
  retorno?: { data?: string; responsavel?: string };
  protocolo?: string;
  andamentos: Array<{ texto: string; protocolo: string }>;
  notificacoes: Array<{ logins: string[]; emails: string[]; protocolo: string }>;
  atualizacoes: Array<Record<string, unknown>>;
}

export const SIGMA_SEED = {
  clients: { padaria: '12', mercado: '27' },
  products: { erp: 'ERP', pdv: 'PDV', legado: 'LEG' },
  types: { suporte: 'SUP', comercial: 'COM' },
  texts: { chat: 'T1' },
  users: { ana: 'ANA', bruno: 'BRU' },
  centers: { suporte: 'CC10', comercial: 'CC20' },
  existingProcess: '500001',
} as const;

export class SigmaState {
  readonly clients = [
    { id: 'CL-12', codigo: SIGMA_SEED.clients.padaria, razaoSocial: 'Padaria Pão Quente Ltda', nomeFantasia: 'Pão Quente', documento: '11222333000181', produtos: ['ERP', 'PDV'] },
    { id: 'CL-27', codigo: SIGMA_SEED.clients.mercado, razaoSocial: 'Mercado Boa Vista Ltda', documento: '22333444000190', produtos: ['ERP'], inadimplencia: { desde: '2025-02-01', motivo: 'Títulos vencidos' } },
  ] as Array<{ id: string; codigo: string; razaoSocial: string; nomeFantasia?: string; documento: string; produtos: string[]; inadimplencia?: { desde: string; motivo: string } }>;
  readonly products = [
    { codigo: 'ERP', descricao: 'Sigma ERP', ativo: true },
    { codigo: 'PDV', descricao: 'Sigma PDV', ativo: true },
    { codigo: 'LEG', descricao: 'Sigma Legado', ativo: false },
  ];
  readonly types = [
    { codigo: 'SUP', descricao: 'Suporte', textos: [{ codigo: 'T1', conteudo: 'Atendimento concluído pelo chat.' }] },
    { codigo: 'COM', descricao: 'Comercial', textos: [] as Array<{ codigo: string; conteudo: string }> },
  ];
  readonly users = [
    { codigo: 'ANA', nome: 'Ana Souza', loginSpy: 'ana.souza' },
    { codigo: 'BRU', nome: 'Bruno Lima', loginSpy: 'bruno.lima' },
  ];
  readonly centers = [
    { codigo: 'CC10', descricao: 'Suporte' },
    { codigo: 'CC20', descricao: 'Comercial' },
  ];
  readonly processes: SigmaProcess[] = [
    {
      numero: SIGMA_SEED.existingProcess,
      cliente: SIGMA_SEED.clients.padaria,
      produto: 'ERP',
      tipo: 'SUP',
      assunto: 'Erro ao emitir NF-e',
      situacao: 'ABERTO',
      abertura: '2025-03-10T13:45:00',
      urgente: false,
      retorno: { data: '2031-07-01', responsavel: 'BRU' },
      andamentos: [{ texto: 'Cliente relata rejeição 539.', protocolo: 'seed' }],
      notificacoes: [],
      atualizacoes: [],
    },
  ];
  /** The next AbrirAtendimento is refused in its answer (Sucesso=false) this many times. */
  refusals = 0;
  private last = 500001;

  nextNumber(): string {
    this.last += 1;
    return String(this.last);
  }
}
