// How the sandbox ERP checks POST bodies: like a real ERP, against its own catalogue, naming
// the field in each problem. Independent of ponte's schemas on purpose (it is the other side).

import type { Problem } from './answers.js';
import type { SandboxState } from './state.js';

type Body = Record<string, unknown>;

const CASE_FIELDS = [
  'CodigoCliente', 'IdentificadorProduto', 'IdentificadorTipoAtendimento', 'Assunto', 'Parecer', 'PessoaContato', 'Encerrar',
  'IdentificadorCentroResponsabilidade', 'DataProximoContato', 'IdentificadorUsuarioProximoContato', 'Prioritario', 'ReferenciaExterna',
];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isBody = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownFields(body: Body, allowed: string[]): Problem[] {
  return Object.keys(body).filter((k) => !allowed.includes(k)).map((field) => ({ field, message: 'campo desconhecido' }));
}

function text(body: Body, field: string, problems: Problem[], { required = false, max = Infinity } = {}): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (required) problems.push({ field, message: 'campo obrigatório' });
    return undefined;
  }
  if (typeof v !== 'string' || (required && v.trim() === '')) problems.push({ field, message: 'deve ser um texto preenchido' });
  else if (v.length > max) problems.push({ field, message: `excede ${max} caracteres` });
  return typeof v === 'string' ? v : undefined;
}

function flag(body: Body, field: string, problems: Problem[]): void {
  if (typeof body[field] !== 'boolean') problems.push({ field, message: 'campo obrigatório (true ou false)' });
}

function known(id: string | undefined, field: string, list: Array<{ Identificador: string }>, what: string, problems: Problem[]): void {
  if (id !== undefined && !list.some((x) => x.Identificador === id)) problems.push({ field, message: `${what} ${id} não cadastrado` });
}

export function validateCase(state: SandboxState, body: Body): Problem[] {
  const problems = unknownFields(body, CASE_FIELDS);
  const code = text(body, 'CodigoCliente', problems, { required: true });
  if (code !== undefined && !state.clients.some((c) => c.Codigo === code)) problems.push({ field: 'CodigoCliente', message: `cliente ${code} não cadastrado` });
  const productId = text(body, 'IdentificadorProduto', problems, { required: true });
  known(productId, 'IdentificadorProduto', state.products, 'produto', problems);
  if (state.products.find((p) => p.Identificador === productId)?.Ativo === false) problems.push({ field: 'IdentificadorProduto', message: `produto ${productId} inativo` });
  known(text(body, 'IdentificadorTipoAtendimento', problems, { required: true }), 'IdentificadorTipoAtendimento', state.caseTypes, 'tipo de atendimento', problems);
  text(body, 'Assunto', problems, { required: true, max: 100 });
  text(body, 'Parecer', problems, { required: true });
  text(body, 'PessoaContato', problems, { max: 100 });
  flag(body, 'Encerrar', problems);
  flag(body, 'Prioritario', problems);
  known(text(body, 'IdentificadorCentroResponsabilidade', problems), 'IdentificadorCentroResponsabilidade', state.centers, 'centro de responsabilidade', problems);
  known(text(body, 'IdentificadorUsuarioProximoContato', problems), 'IdentificadorUsuarioProximoContato', state.users, 'usuário', problems);
  const date = text(body, 'DataProximoContato', problems);
  if (date !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(date) || Number.isNaN(Date.parse(date)))) problems.push({ field: 'DataProximoContato', message: 'data inválida (ISO 8601)' });
  text(body, 'ReferenciaExterna', problems, { required: true, max: 100 });
  return problems;
}

export function validateOpinion(body: Body): Problem[] {
  const problems = unknownFields(body, ['Texto', 'ReferenciaExterna']);
  text(body, 'Texto', problems, { required: true });
  text(body, 'ReferenciaExterna', problems, { max: 100 });
  return problems;
}

export function validateNotification(state: SandboxState, body: Body): Problem[] {
  const problems = unknownFields(body, ['LoginsSpySystem', 'Emails', 'ReferenciaExterna']);
  const logins = body.LoginsSpySystem ?? [];
  const emails = body.Emails ?? [];
  if (!Array.isArray(logins) || logins.some((l) => typeof l !== 'string')) problems.push({ field: 'LoginsSpySystem', message: 'deve ser uma lista de logins' });
  else for (const l of logins) if (!state.users.some((u) => u.LoginSpySystem === l)) problems.push({ field: 'LoginsSpySystem', message: `login ${l} não cadastrado no SpySystem` });
  if (!Array.isArray(emails) || emails.some((e) => typeof e !== 'string' || !EMAIL.test(e))) problems.push({ field: 'Emails', message: 'deve ser uma lista de e-mails válidos' });
  if (Array.isArray(logins) && Array.isArray(emails) && logins.length + emails.length === 0) problems.push({ field: 'LoginsSpySystem', message: 'informe ao menos um destinatário' });
  text(body, 'ReferenciaExterna', problems, { max: 100 });
  return problems;
}

/** PATCH of a process: any of the close / center / next contact / priority fields, plus the reference. */
export function validateUpdate(state: SandboxState, body: Body): Problem[] {
  const problems = unknownFields(body, ['Encerrar', 'IdentificadorCentroResponsabilidade', 'DataProximoContato', 'IdentificadorUsuarioProximoContato', 'Prioritario', 'ReferenciaExterna']);
  for (const field of ['Encerrar', 'Prioritario']) if (body[field] !== undefined) flag(body, field, problems);
  known(text(body, 'IdentificadorCentroResponsabilidade', problems), 'IdentificadorCentroResponsabilidade', state.centers, 'centro de responsabilidade', problems);
  known(text(body, 'IdentificadorUsuarioProximoContato', problems), 'IdentificadorUsuarioProximoContato', state.users, 'usuário', problems);
  const date = text(body, 'DataProximoContato', problems);
  if (date !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(date) || Number.isNaN(Date.parse(date)))) problems.push({ field: 'DataProximoContato', message: 'data inválida (ISO 8601)' });
  text(body, 'ReferenciaExterna', problems, { required: true, max: 100 });
  return problems;
}
