// Sigma's SOAP operations over its state. Business refusals come back inside the answer
// (Sucesso=false, CodigoErro, Mensagem); a request missing a required element is a soap:Client fault.

import type { IServices } from 'soap';
import type { SigmaProcess, SigmaState } from './state.js';

type Args = Record<string, any> | null;
type Answer = Record<string, unknown>;

export class ClientFault {
  constructor(readonly Fault: { faultcode: string; faultstring: string; statusCode: number }) {}
}
const fault = (message: string) => new ClientFault({ faultcode: 'soap:Client', faultstring: message, statusCode: 500 });

const text = (v: unknown): string | undefined => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined);
function need(v: unknown, name: string): string {
  const t = text(v);
  if (t === undefined) throw fault(`${name}: elemento obrigatório ausente`);
  return t;
}
const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).map((x) => String(x));

const refused = (CodigoErro: string, Mensagem: string): Answer => ({ Sucesso: false, Mensagem, CodigoErro });
const done = (payload: Answer = {}): Answer => ({ Sucesso: true, ...payload });

export function sigmaService(s: SigmaState): IServices {
  const process = (n: unknown) => s.processes.find((p) => p.numero === text(n));
  const client = (c: unknown) => s.clients.find((x) => x.codigo === text(c));
  const produtos = (codes?: string[]) => ({ Produto: s.products.filter((p) => !codes || codes.includes(p.codigo)).map((p) => ({ Codigo: p.codigo, Descricao: p.descricao, Ativo: p.ativo })) });
  const retorno = (r: Args, p: SigmaProcess) => {
    if (!r) return undefined;
    const responsavel = text(r.Responsavel);
    if (responsavel && !s.users.some((u) => u.codigo === responsavel)) return refused('VALIDACAO', `Retorno.Responsavel: usuário ${responsavel} não cadastrado`);
    p.retorno = { ...p.retorno, ...(text(r.Data) ? { data: text(r.Data) } : {}), ...(responsavel ? { responsavel } : {}) };
    return undefined;
  };

  const ops: Record<string, (args: Args) => Answer> = {
    ConsultarCliente: (a) => {
      const c = client(need(a?.Codigo, 'Codigo'));
      return c ? done({ Cliente: { Id: c.id, Codigo: c.codigo, RazaoSocial: c.razaoSocial, NomeFantasia: c.nomeFantasia, Documento: c.documento } }) : refused('NAO_ENCONTRADO', 'Cliente não encontrado');
    },
    ListarProdutos: () => done({ Produtos: produtos() }),
    ListarTiposAtendimento: () => done({ Tipos: { Tipo: s.types.map((t) => ({ Codigo: t.codigo, Descricao: t.descricao, Textos: { Texto: t.textos.map((x) => ({ Codigo: x.codigo, Conteudo: x.conteudo })) } })) } }),
    ListarUsuarios: () => done({ Usuarios: { Usuario: s.users.map((u) => ({ Codigo: u.codigo, Nome: u.nome, LoginSpy: u.loginSpy })) } }),
    ListarCentrosCusto: () => done({ Centros: { Centro: s.centers.map((c) => ({ Codigo: c.codigo, Descricao: c.descricao })) } }),
    ConsultarAtendimento: (a) => {
      const p = process(need(a?.Numero, 'Numero'));
      return p ? done({ Atendimento: { Numero: p.numero, Situacao: p.situacao, Retorno: p.retorno ? { Data: p.retorno.data, Responsavel: p.retorno.responsavel } : undefined } }) : refused('NAO_ENCONTRADO', 'Atendimento não encontrado');
    },
    ListarProdutosCliente: (a) => {
      const c = client(need(a?.Codigo, 'Codigo'));
      return c ? done({ Produtos: produtos(c.produtos) }) : refused('NAO_ENCONTRADO', 'Cliente não encontrado');
    },
    ListarPendencias: (a) => {
      const code = need(a?.Codigo, 'Codigo');
      return done({ Pendencias: { Pendencia: s.processes.filter((p) => p.cliente === code && p.situacao === 'ABERTO').map((p) => ({ Numero: p.numero, Assunto: p.assunto, Abertura: p.abertura })) } });
    },
    ConsultarSituacaoFinanceira: (a) => {
      const c = client(need(a?.Codigo, 'Codigo'));
      if (!c) return refused('NAO_ENCONTRADO', 'Cliente não encontrado');
      return done({ Situacao: c.inadimplencia ? { Inadimplente: true, Desde: c.inadimplencia.desde, Motivo: c.inadimplencia.motivo } : { Inadimplente: false } });
    },
    LocalizarAtendimento: (a) => {
      const protocolo = need(a?.Protocolo, 'Protocolo');
      return done({ Atendimentos: { Atendimento: s.processes.filter((p) => p.protocolo === protocolo).map((p) => ({ Numero: p.numero, Protocolo: p.protocolo })) } });
    },
    AbrirAtendimento: (a) => {
      const r = a?.Solicitacao as Args;
      if (!r) throw fault('Solicitacao: elemento obrigatório ausente');
      if (s.refusals > 0) {
        s.refusals -= 1;
        return refused('VALIDACAO', 'Assunto: o ERP recusou o atendimento');
      }
      const cliente = need(r.Cliente?.Codigo, 'Solicitacao.Cliente.Codigo');
      if (!client(cliente)) return refused('VALIDACAO', `Cliente.Codigo: cliente ${cliente} não cadastrado`);
      const produto = s.products.find((p) => p.codigo === need(r.Produto?.Codigo, 'Solicitacao.Produto.Codigo'));
      if (!produto || !produto.ativo) return refused('VALIDACAO', `Produto.Codigo: produto ${text(r.Produto?.Codigo)} não cadastrado ou inativo`);
      const tipo = need(r.Tipo?.Codigo, 'Solicitacao.Tipo.Codigo');
      if (!s.types.some((t) => t.codigo === tipo)) return refused('VALIDACAO', `Tipo.Codigo: tipo ${tipo} não cadastrado`);
      const centro = text(r.Encerramento?.CentroCusto);
      if (centro && !s.centers.some((c) => c.codigo === centro)) return refused('VALIDACAO', `Encerramento.CentroCusto: centro ${centro} não cadastrado`);
      const p: SigmaProcess = {
        numero: '',
        cliente,
        produto: produto.codigo,
        tipo,
        assunto: need(r.Assunto, 'Solicitacao.Assunto'),
        situacao: r.Encerramento?.Encerrar === true ? 'FECHADO' : 'ABERTO',
        abertura: new Date().toISOString().slice(0, 19),
        urgente: r.Urgente === true,
        contato: text(r.Contato),
        centroCusto: centro,
        protocolo: need(r.Protocolo, 'Solicitacao.Protocolo'),
        andamentos: [],
        notificacoes: [],
        atualizacoes: [],
      };
      const bad = retorno(r.Retorno ?? null, p);
      if (bad) return bad;
      p.andamentos.push({ texto: need(r.Descricao, 'Solicitacao.Descricao'), protocolo: p.protocolo! });
      p.numero = s.nextNumber();
      s.processes.push(p);
      return done({ Numero: p.numero });
    },
    IncluirAndamento: (a) => {
      const p = process(need(a?.Numero, 'Numero'));
      if (!p) return refused('NAO_ENCONTRADO', 'Atendimento não encontrado');
      p.andamentos.push({ texto: need(a?.Texto, 'Texto'), protocolo: need(a?.Protocolo, 'Protocolo') });
      return done();
    },
    ConsultarAndamento: (a) => {
      const p = process(need(a?.Numero, 'Numero'));
      const protocolo = need(a?.Protocolo, 'Protocolo');
      return p ? done({ Existe: p.andamentos.some((x) => x.protocolo === protocolo) }) : refused('NAO_ENCONTRADO', 'Atendimento não encontrado');
    },
    Notificar: (a) => {
      const p = process(need(a?.Numero, 'Numero'));
      if (!p) return refused('NAO_ENCONTRADO', 'Atendimento não encontrado');
      const logins = list(a?.Destinatarios?.Login);
      const unknown = logins.find((l) => !s.users.some((u) => u.loginSpy === l));
      if (unknown) return refused('VALIDACAO', `Destinatarios.Login: ${unknown} desconhecido`);
      p.notificacoes.push({ logins, emails: list(a?.Destinatarios?.Email), protocolo: need(a?.Protocolo, 'Protocolo') });
      return done();
    },
    ConsultarNotificacao: (a) => {
      const p = process(need(a?.Numero, 'Numero'));
      const protocolo = need(a?.Protocolo, 'Protocolo');
      return p ? done({ Existe: p.notificacoes.some((n) => n.protocolo === protocolo) }) : refused('NAO_ENCONTRADO', 'Atendimento não encontrado');
    },
    AtualizarAtendimento: (a) => {
      const p = process(need(a?.Numero, 'Numero'));
      if (!p) return refused('NAO_ENCONTRADO', 'Atendimento não encontrado');
      const enc = a?.Encerramento as Args;
      if (enc) {
        p.situacao = enc.Encerrar === true ? 'FECHADO' : 'ABERTO';
        if (text(enc.CentroCusto)) p.centroCusto = text(enc.CentroCusto);
      }
      const bad = retorno(a?.Retorno ?? null, p);
      if (bad) return bad;
      if (typeof a?.Urgente === 'boolean') p.urgente = a.Urgente;
      p.atualizacoes.push({ protocolo: need(a?.Protocolo, 'Protocolo'), encerramento: enc ?? undefined, urgente: a?.Urgente });
      return done();
    },
  };
  const wrapped = Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      async (args: Args) => {
        try {
          return { [`${name}Result`]: op(args) };
        } catch (err) {
          if (err instanceof ClientFault) throw { Fault: err.Fault };
          throw err;
        }
      },
    ]),
  );
  return { SigmaCrm: { AtendimentoSoap: wrapped } };
}
