// The sandbox's seeded ERP data: fixed, so tests and demos can name clients, products and
// users. Tax ids are valid check-digit numbers; the next-contact date lies far ahead on purpose.

import type { SandboxCase, SandboxCaseType, SandboxCenter, SandboxClient, SandboxProduct, SandboxUser } from './state.js';

export const SEED = {
  clients: { company: '000012', person: '000034', delinquent: '000056' },
  products: { erp: '00A0000011', crm: '00A0000012', payroll: '00A0000013', inactive: '00A0000014' },
  caseTypes: { support: '00A0000021', commercial: '00A0000022', questionReturn: '00A0000023' },
  users: { ana: '00A0000041', bruno: '00A0000042', carla: '00A0000043' },
  centers: { support: '00A0000051', commercial: '00A0000052' },
  openProcess: '10000001',
  closedProcess: '10000002',
} as const;

/** Numbers given to created cases start after the seeded ones. */
export const FIRST_NEW_PROCESS_NUMBER = 10000003;

export function seedCatalogue(): {
  clients: SandboxClient[];
  products: SandboxProduct[];
  caseTypes: SandboxCaseType[];
  users: SandboxUser[];
  centers: SandboxCenter[];
} {
  const p = SEED.products;
  return {
    clients: [
      { Identificador: '00A0000001', Codigo: '000012', Nome: 'Padaria Pão Quente Ltda', NomeCurto: 'Pão Quente', CpfCnpj: '11222333000181', Produtos: [p.erp, p.crm], Caracteristicas: [] },
      { Identificador: '00A0000002', Codigo: '000034', Nome: 'Maria da Silva', NomeCurto: 'Maria', CpfCnpj: '52998224725', Produtos: [p.crm], Caracteristicas: [] },
      {
        Identificador: '00A0000003',
        Codigo: '000056',
        Nome: 'Mercado Bom Preço Eireli',
        NomeCurto: 'Bom Preço',
        CpfCnpj: '45678912000155',
        Produtos: [p.erp, p.payroll, p.inactive],
        Caracteristicas: [
          { Identificador: '00A0000061', Nome: 'CLIENTE INADIMPLENTE', DataInclusao: '2024-03-01T00:00:00.000Z' },
          { Identificador: '00A0000062', Nome: 'VAREJO', DataInclusao: '2019-05-10T00:00:00.000Z' },
        ],
        Versoes: [
          { Sistema: 'Bimer ERP', VersaoEmUso: '10.2', VersaoLiberada: '10.4', VersaoBaixada: '10.3' },
          { Sistema: 'Bimer Folha', VersaoEmUso: '3.1', VersaoLiberada: '3.1', VersaoBaixada: '3.1' },
        ],
      },
    ],
    products: [
      { Identificador: p.erp, Nome: 'Bimer ERP', Ativo: true },
      { Identificador: p.crm, Nome: 'Bimer CRM', Ativo: true },
      { Identificador: p.payroll, Nome: 'Bimer Folha', Ativo: true },
      { Identificador: p.inactive, Nome: 'Bimer Legado', Ativo: false },
    ],
    caseTypes: [
      {
        Identificador: SEED.caseTypes.support,
        Nome: 'Suporte técnico',
        PareceresPadrao: [
          { Identificador: '00A0000031', Texto: 'Cliente orientado pelo chat.' },
          { Identificador: '00A0000032', Texto: 'Problema encaminhado ao desenvolvimento.' },
        ],
      },
      { Identificador: SEED.caseTypes.commercial, Nome: 'Dúvida comercial', PareceresPadrao: [{ Identificador: '00A0000033', Texto: 'Proposta comercial enviada.' }] },
      { Identificador: SEED.caseTypes.questionReturn, Nome: 'Retorno de questionamento', PareceresPadrao: [] },
    ],
    users: [
      { Identificador: SEED.users.ana, Nome: 'Ana Souza', LoginSpySystem: 'ana.souza' },
      { Identificador: SEED.users.bruno, Nome: 'Bruno Lima', LoginSpySystem: 'bruno.lima' },
      { Identificador: SEED.users.carla, Nome: 'Carla Dias', LoginSpySystem: 'carla.dias' },
    ],
    centers: [
      { Identificador: SEED.centers.support, Nome: 'Suporte' },
      { Identificador: SEED.centers.commercial, Nome: 'Comercial' },
    ],
  };
}

export function seedCases(): SandboxCase[] {
  return [
    {
      Numero: SEED.openProcess,
      CodigoCliente: SEED.clients.company,
      IdentificadorProduto: SEED.products.erp,
      IdentificadorTipoAtendimento: SEED.caseTypes.support,
      Assunto: 'Erro ao emitir nota fiscal',
      Situacao: 'ABERTO',
      Prioritario: false,
      DataProximoContato: '2030-06-03T12:00:00.000Z',
      IdentificadorUsuarioProximoContato: SEED.users.bruno,
      DataAbertura: '2024-05-20T13:45:00.000Z',
      Pareceres: [{ Identificador: 'PA00000000', Texto: 'Cliente relata rejeição 539 da SEFAZ.', Data: '2024-05-20T13:45:00.000Z' }],
      Notificacoes: [],
    },
    {
      Numero: SEED.closedProcess,
      CodigoCliente: SEED.clients.company,
      IdentificadorProduto: SEED.products.crm,
      IdentificadorTipoAtendimento: SEED.caseTypes.commercial,
      Assunto: 'Renovação de contrato',
      Situacao: 'ENCERRADO',
      Prioritario: false,
      DataAbertura: '2023-11-02T10:00:00.000Z',
      Pareceres: [],
      Notificacoes: [],
    },
  ];
}
