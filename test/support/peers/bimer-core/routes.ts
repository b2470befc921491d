// The Core peer's API: camelCase JSON in the {listaObjetos} envelope, 404 for what it does not
// have, 422 naming the field for what it refuses, a product catalogue paged by pagina/limite.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkCase, checkNotification, checkOpinion, checkUpdate, type Problem } from './validation.js';
import type { CoreProcess, CoreState } from './state.js';

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

export const MAX_PAGE = 50;
const ok = (listaObjetos: unknown[], extra: Record<string, unknown> = {}) => ({ listaObjetos, ...extra });
const notFound = (reply: FastifyReply, what: string) => reply.code(404).send({ erros: [{ codigo: 'NAO_ENCONTRADO', mensagem: `${what} não encontrado` }] });
const invalid = (reply: FastifyReply, problems: Problem[]) => reply.code(422).send({ erros: problems.map((p) => ({ codigo: 'VALIDACAO', campo: p.campo, mensagem: `${p.campo}: ${p.mensagem}` })) });

const summary = (p: CoreProcess) => ({ numero: p.numero, assunto: p.assunto, situacao: p.situacao, abertoEm: p.abertoEm, proximoContato: p.proximoContato, referenciaExterna: p.referenciaExterna });

export function registerCoreRoutes(app: FastifyInstance, s: CoreState): void {
  const client = (code: string) => s.clients.find((c) => c.codigo === code);
  const process = (n: string) => s.processes.find((p) => p.numero === n);
  const person = ({ produtos: _p, inadimplencia: _i, marcadores: _m, versoes: _v, ...rest }: CoreState['clients'][number]) => rest;

  app.get<{ Params: Params }>('/api/pessoas/codigo/:codigo', async (req, reply) => {
    const c = client(req.params.codigo!);
    return c ? ok([person(c)]) : notFound(reply, 'Pessoa');
  });
  app.get<{ Params: Params }>('/api/pessoas/codigo/:codigo/situacao-financeira', async (req, reply) => {
    const c = client(req.params.codigo!);
    if (!c) return notFound(reply, 'Pessoa');
    const marcadores = c.marcadores ?? [];
    return ok([c.inadimplencia ? { inadimplente: true, desde: c.inadimplencia.desde, motivo: c.inadimplencia.motivo, marcadores } : { inadimplente: false, marcadores }]);
  });
  app.get<{ Params: Params }>('/api/pessoas/codigo/:codigo/versoes', async (req, reply) => {
    const c = client(req.params.codigo!);
    return c ? ok(c.versoes ?? []) : notFound(reply, 'Pessoa');
  });
  app.get<{ Querystring: Query }>('/api/crm/produtos', async (req) => {
    const pagina = Math.max(1, Number(req.query.pagina) || 1);
    const limite = Math.min(MAX_PAGE, Math.max(1, Number(req.query.limite) || MAX_PAGE));
    s.pagesServed.push(pagina);
    return ok(s.products.slice((pagina - 1) * limite, pagina * limite), { pagina, limite, total: s.products.length });
  });
  app.get('/api/crm/tipos-atendimento', async () => ok(s.caseTypes));
  app.get('/api/crm/usuarios', async () => ok(s.users));
  app.get('/api/crm/centros-responsabilidade', async () => ok(s.centers));
  app.get<{ Params: Params }>('/api/crm/pessoas/:codigo/produtos', async (req, reply) => {
    const c = client(req.params.codigo!);
    return c ? ok(s.products.filter((p) => c.produtos.includes(p.identificador))) : notFound(reply, 'Pessoa');
  });
  app.get<{ Querystring: Query }>('/api/crm/atendimentos', async (req, reply) => {
    const { referenciaExterna, codigoCliente, situacao } = req.query;
    if (referenciaExterna) return ok(s.processes.filter((p) => p.referenciaExterna === referenciaExterna).map(summary));
    if (codigoCliente) return ok(s.processes.filter((p) => p.cliente.codigo === codigoCliente && (!situacao || p.situacao.codigo === situacao)).map(summary));
    return invalid(reply, [{ campo: 'referenciaExterna', mensagem: 'informe referenciaExterna ou codigoCliente' }]);
  });
  app.get<{ Params: Params }>('/api/crm/atendimentos/:numero', async (req, reply) => {
    const p = process(req.params.numero!);
    return p ? ok([summary(p)]) : notFound(reply, 'Atendimento');
  });
  app.post('/api/crm/atendimentos', async (req, reply) => {
    const problems = checkCase(s, req.body);
    if (problems.length) return invalid(reply, problems);
    const b = req.body as Record<string, any>;
    const created: CoreProcess = {
      numero: String(s.nextNumber++),
      cliente: { codigo: b.cliente.codigo },
      produto: { identificador: b.produto.identificador },
      tipoAtendimento: { identificador: b.tipoAtendimento.identificador },
      assunto: b.assunto,
      situacao: { codigo: b.encerramento.encerrar ? 'ENCERRADO' : 'ABERTO' },
      abertoEm: new Date().toISOString(),
      prioritario: b.prioritario,
      contato: b.contato,
      centroResponsabilidade: b.encerramento.centroResponsabilidade,
      proximoContato: b.proximoContato,
      referenciaExterna: b.referenciaExterna,
      pareceres: [{ texto: b.parecer.texto, referenciaExterna: b.referenciaExterna }],
      notificacoes: [],
      atualizacoes: [],
    };
    s.processes.push(created);
    return reply.code(201).send(ok([{ numero: created.numero }]));
  });
  app.patch<{ Params: Params }>('/api/crm/atendimentos/:numero', async (req, reply) => {
    const p = process(req.params.numero!);
    if (!p) return notFound(reply, 'Atendimento');
    const problems = checkUpdate(s, req.body);
    if (problems.length) return invalid(reply, problems);
    const b = req.body as Record<string, any>;
    if (b.encerramento) {
      p.situacao = { codigo: b.encerramento.encerrar ? 'ENCERRADO' : 'ABERTO' };
      if (b.encerramento.centroResponsabilidade) p.centroResponsabilidade = b.encerramento.centroResponsabilidade;
    }
    if (b.proximoContato) p.proximoContato = { ...p.proximoContato, ...b.proximoContato };
    if (typeof b.prioritario === 'boolean') p.prioritario = b.prioritario;
    p.atualizacoes.push(b);
    return ok([{ numero: p.numero }]);
  });
  app.get<{ Params: Params; Querystring: Query }>('/api/crm/atendimentos/:numero/pareceres', async (req, reply) => {
    const p = process(req.params.numero!);
    return p ? ok(p.pareceres.filter((o) => !req.query.referenciaExterna || o.referenciaExterna === req.query.referenciaExterna)) : notFound(reply, 'Atendimento');
  });
  app.post<{ Params: Params }>('/api/crm/atendimentos/:numero/pareceres', async (req, reply) => {
    const p = process(req.params.numero!);
    if (!p) return notFound(reply, 'Atendimento');
    const problems = checkOpinion(req.body);
    if (problems.length) return invalid(reply, problems);
    p.pareceres.push(req.body as CoreProcess['pareceres'][number]);
    return reply.code(201).send(ok([]));
  });
  app.get<{ Params: Params; Querystring: Query }>('/api/crm/atendimentos/:numero/notificacoes', async (req, reply) => {
    const p = process(req.params.numero!);
    return p ? ok(p.notificacoes.filter((n) => !req.query.referenciaExterna || n.referenciaExterna === req.query.referenciaExterna)) : notFound(reply, 'Atendimento');
  });
  app.post<{ Params: Params }>('/api/crm/atendimentos/:numero/notificacoes', async (req, reply) => {
    const p = process(req.params.numero!);
    if (!p) return notFound(reply, 'Atendimento');
    const problems = checkNotification(s, req.body);
    if (problems.length) return invalid(reply, problems);
    const b = req.body as { destinatarios: { loginsSpySystem?: string[]; emails?: string[] }; referenciaExterna?: string };
    p.notificacoes.push({ loginsSpySystem: b.destinatarios.loginsSpySystem ?? [], emails: b.destinatarios.emails ?? [], referenciaExterna: b.referenciaExterna });
    return reply.code(201).send(ok([]));
  });
}
