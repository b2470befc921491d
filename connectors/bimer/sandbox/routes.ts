// The sandbox's read routes: people (by code, id, tax id), their características and products,
// and the CRM catalogue. Write routes for cases are in cases.ts.

import type { FastifyInstance } from 'fastify';
import { erro, notFound, ok } from './answers.js';
import type { SandboxClient, SandboxState } from './state.js';

/** A person as the API shows it (the sandbox's own bookkeeping fields left out). */
const person = ({ Identificador, Codigo, Nome, NomeCurto, CpfCnpj }: SandboxClient) => ({ Identificador, Codigo, Nome, NomeCurto, CpfCnpj });

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

export function registerReadRoutes(app: FastifyInstance, state: SandboxState): void {
  const byCode = (code: string) => state.clients.find((c) => c.Codigo === code);
  const byId = (id: string) => state.clients.find((c) => c.Identificador === id);

  app.get<{ Params: Params }>('/api/pessoas/codigo/:codigo', async (req, reply) => {
    const client = byCode(req.params.codigo!);
    return client ? ok([person(client)]) : reply.code(400).send(notFound('Pessoa', req.params.codigo!));
  });

  app.get<{ Querystring: Query }>('/api/pessoas', async (req, reply) => {
    const digits = req.query.cpfCnpj?.replace(/\D/g, '');
    // Refuses unbounded listings: whole-table answers are what public clients got wrong.
    if (!digits) return reply.code(400).send(erro('-1', 'Filtro obrigatório', 'cpfCnpj: informe o CPF ou CNPJ'));
    return ok(state.clients.filter((c) => c.CpfCnpj === digits).map(person));
  });

  app.get<{ Params: Params }>('/api/pessoas/:id', async (req, reply) => {
    const client = byId(req.params.id!);
    return client ? ok([person(client)]) : reply.code(400).send(notFound('Pessoa', req.params.id!));
  });

  app.get<{ Params: Params }>('/api/pessoas/:id/caracteristicas', async (req, reply) => {
    const client = byId(req.params.id!);
    return client ? ok(client.Caracteristicas) : reply.code(400).send(notFound('Pessoa', req.params.id!));
  });

  app.get<{ Params: Params }>('/api/crm/pessoas/:codigo/versoes', async (req, reply) => {
    const client = byCode(req.params.codigo!);
    return client ? ok(client.Versoes ?? []) : reply.code(400).send(notFound('Pessoa', req.params.codigo!));
  });

  app.get<{ Params: Params }>('/api/crm/pessoas/:codigo/produtos', async (req, reply) => {
    const client = byCode(req.params.codigo!);
    if (!client) return reply.code(400).send(notFound('Pessoa', req.params.codigo!));
    return ok(state.products.filter((p) => client.Produtos.includes(p.Identificador)));
  });

  app.get('/api/crm/produtos', async () => ok(state.products));
  app.get('/api/crm/tiposatendimento', async () => ok(state.caseTypes));
  app.get('/api/crm/usuarios', async () => ok(state.users));
  app.get('/api/crm/centrosresponsabilidade', async () => ok(state.centers));
}
