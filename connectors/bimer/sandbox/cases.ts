// The sandbox's CRM cases (atendimentos): find by external reference or by client, read one,
// create, add opinions (pareceres) and notifications; everything kept in state for tests.

import type { FastifyInstance } from 'fastify';
import { erro, invalid, notFound, ok } from './answers.js';
import { nextOpinionId, takeProcessNumber, type SandboxCase, type SandboxState } from './state.js';
import { isBody, validateCase, validateNotification, validateOpinion, validateUpdate } from './validation.js';

type Params = { numero: string };
type CaseBody = Omit<SandboxCase, 'Numero' | 'Situacao' | 'DataAbertura' | 'Pareceres' | 'Notificacoes'> & { Parecer: string; Encerrar: boolean };
type Query = Record<string, string | undefined>;

const summary = (c: SandboxCase) => ({
  Numero: c.Numero,
  Situacao: c.Situacao,
  Assunto: c.Assunto,
  CodigoCliente: c.CodigoCliente,
  DataAbertura: c.DataAbertura,
  DataProximoContato: c.DataProximoContato,
  IdentificadorUsuarioProximoContato: c.IdentificadorUsuarioProximoContato,
  ReferenciaExterna: c.ReferenciaExterna,
});

const notAnObject = () => invalid([{ field: '(corpo)', message: 'o corpo deve ser um objeto JSON' }]);

export function registerCaseRoutes(app: FastifyInstance, state: SandboxState, now: () => number): void {
  const find = (numero: string) => state.cases.find((c) => c.Numero === numero);
  const iso = () => new Date(now()).toISOString();

  app.get<{ Querystring: Query }>('/api/crm/atendimentos', async (req, reply) => {
    const { referenciaExterna, codigoCliente, situacao } = req.query;
    if (referenciaExterna) return ok(state.cases.filter((c) => c.ReferenciaExterna === referenciaExterna).map(summary));
    if (codigoCliente) {
      return ok(state.cases.filter((c) => c.CodigoCliente === codigoCliente && (!situacao || c.Situacao === situacao.toUpperCase())).map(summary));
    }
    return reply.code(400).send(erro('-1', 'Filtro obrigatório', 'referenciaExterna: informe referenciaExterna ou codigoCliente'));
  });

  app.get<{ Params: Params }>('/api/crm/atendimentos/:numero', async (req, reply) => {
    const found = find(req.params.numero);
    return found ? ok([summary(found)]) : reply.code(400).send(notFound('Atendimento', req.params.numero));
  });

  app.post('/api/crm/atendimentos', async (req, reply) => {
    if (!isBody(req.body)) return reply.code(400).send(notAnObject());
    const problems = validateCase(state, req.body);
    if (problems.length) return reply.code(400).send(invalid(problems));
    // validateCase checked every field, so the body now has the shape of a case.
    const b = req.body as unknown as CaseBody;
    const created: SandboxCase = {
      Numero: takeProcessNumber(state),
      CodigoCliente: b.CodigoCliente,
      IdentificadorProduto: b.IdentificadorProduto,
      IdentificadorTipoAtendimento: b.IdentificadorTipoAtendimento,
      Assunto: b.Assunto,
      PessoaContato: b.PessoaContato,
      Situacao: b.Encerrar ? 'ENCERRADO' : 'ABERTO',
      Prioritario: b.Prioritario,
      IdentificadorCentroResponsabilidade: b.IdentificadorCentroResponsabilidade,
      DataProximoContato: b.DataProximoContato,
      IdentificadorUsuarioProximoContato: b.IdentificadorUsuarioProximoContato,
      ReferenciaExterna: b.ReferenciaExterna,
      DataAbertura: iso(),
      Pareceres: [{ Identificador: nextOpinionId(state), Texto: b.Parecer, ReferenciaExterna: b.ReferenciaExterna, Data: iso() }],
      Notificacoes: [],
    };
    state.cases.push(created);
    return reply.send(ok([created.Numero]));
  });

  app.patch<{ Params: Params }>('/api/crm/atendimentos/:numero', async (req, reply) => {
    const found = find(req.params.numero);
    if (!found) return reply.code(400).send(notFound('Atendimento', req.params.numero));
    if (!isBody(req.body)) return reply.code(400).send(notAnObject());
    const problems = validateUpdate(state, req.body);
    if (problems.length) return reply.code(400).send(invalid(problems));
    const b = req.body as Partial<CaseBody>;
    if (b.Encerrar !== undefined) found.Situacao = b.Encerrar ? 'ENCERRADO' : 'ABERTO';
    if (b.IdentificadorCentroResponsabilidade !== undefined) found.IdentificadorCentroResponsabilidade = b.IdentificadorCentroResponsabilidade;
    if (b.DataProximoContato !== undefined) found.DataProximoContato = b.DataProximoContato;
    if (b.IdentificadorUsuarioProximoContato !== undefined) found.IdentificadorUsuarioProximoContato = b.IdentificadorUsuarioProximoContato;
    if (b.Prioritario !== undefined) found.Prioritario = b.Prioritario;
    (found.Atualizacoes ??= []).push({ ...req.body, Data: iso() });
    return reply.send(ok([found.Numero]));
  });

  app.get<{ Params: Params; Querystring: Query }>('/api/crm/atendimentos/:numero/pareceres', async (req, reply) => {
    const found = find(req.params.numero);
    if (!found) return reply.code(400).send(notFound('Atendimento', req.params.numero));
    const ref = req.query.referenciaExterna;
    return ok(found.Pareceres.filter((p) => !ref || p.ReferenciaExterna === ref));
  });

  app.post<{ Params: Params }>('/api/crm/atendimentos/:numero/pareceres', async (req, reply) => {
    const found = find(req.params.numero);
    if (!found) return reply.code(400).send(notFound('Atendimento', req.params.numero));
    if (!isBody(req.body)) return reply.code(400).send(notAnObject());
    const problems = validateOpinion(req.body);
    if (problems.length) return reply.code(400).send(invalid(problems));
    const id = nextOpinionId(state);
    found.Pareceres.push({ Identificador: id, Texto: req.body.Texto as string, ReferenciaExterna: req.body.ReferenciaExterna as string | undefined, Data: iso() });
    return reply.send(ok([id]));
  });

  app.get<{ Params: Params; Querystring: Query }>('/api/crm/atendimentos/:numero/notificacoes', async (req, reply) => {
    const found = find(req.params.numero);
    if (!found) return reply.code(400).send(notFound('Atendimento', req.params.numero));
    const ref = req.query.referenciaExterna;
    return ok(found.Notificacoes.filter((n) => !ref || n.ReferenciaExterna === ref));
  });

  app.post<{ Params: Params }>('/api/crm/atendimentos/:numero/notificacoes', async (req, reply) => {
    const found = find(req.params.numero);
    if (!found) return reply.code(400).send(notFound('Atendimento', req.params.numero));
    if (!isBody(req.body)) return reply.code(400).send(notAnObject());
    const problems = validateNotification(state, req.body);
    if (problems.length) return reply.code(400).send(invalid(problems));
    const { LoginsSpySystem, Emails, ReferenciaExterna } = req.body as { LoginsSpySystem?: string[]; Emails?: string[]; ReferenciaExterna?: string };
    found.Notificacoes.push({ LoginsSpySystem: LoginsSpySystem ?? [], Emails: Emails ?? [], ReferenciaExterna, Data: iso() });
    return reply.send(ok([]));
  });
}
