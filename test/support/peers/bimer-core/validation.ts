// How the Core peer checks write bodies, like a real API: every problem names its field in the
// camelCase dotted form the API uses, answered as 422 {erros: [{codigo, campo, mensagem}]}.

import type { CoreState } from './state.js';

export interface Problem { campo: string; mensagem: string }
type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (body: unknown, path: string): unknown => path.split('.').reduce<unknown>((n, k) => (isObject(n) ? n[k] : undefined), body);

function allowed(body: Body, fields: string[], prefix: string, problems: Problem[]): void {
  for (const k of Object.keys(body)) if (!fields.includes(k)) problems.push({ campo: `${prefix}${k}`, mensagem: 'campo desconhecido' });
}

function known(value: unknown, campo: string, ids: string[], problems: Problem[]): void {
  if (value !== undefined && !ids.includes(String(value))) problems.push({ campo, mensagem: `${String(value)} não cadastrado` });
}

function date(value: unknown, campo: string, problems: Problem[]): void {
  if (value !== undefined && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) problems.push({ campo, mensagem: 'data inválida (AAAA-MM-DD)' });
}

function closeAndContact(s: CoreState, body: Body, problems: Problem[]): void {
  const enc = body.encerramento;
  if (enc !== undefined) {
    if (!isObject(enc) || typeof enc.encerrar !== 'boolean') problems.push({ campo: 'encerramento.encerrar', mensagem: 'obrigatório (true ou false)' });
    known(at(enc, 'centroResponsabilidade.identificador'), 'encerramento.centroResponsabilidade.identificador', s.centers.map((c) => c.identificador), problems);
  }
  known(at(body, 'proximoContato.usuario.identificador'), 'proximoContato.usuario.identificador', s.users.map((u) => u.identificador), problems);
  date(at(body, 'proximoContato.data'), 'proximoContato.data', problems);
  if (body.prioritario !== undefined && typeof body.prioritario !== 'boolean') problems.push({ campo: 'prioritario', mensagem: 'deve ser true ou false' });
  if (typeof body.referenciaExterna !== 'string' || !body.referenciaExterna) problems.push({ campo: 'referenciaExterna', mensagem: 'obrigatório' });
}

export function checkCase(s: CoreState, body: unknown): Problem[] {
  if (!isObject(body)) return [{ campo: '(corpo)', mensagem: 'o corpo deve ser um objeto JSON' }];
  const problems: Problem[] = [];
  allowed(body, ['cliente', 'produto', 'tipoAtendimento', 'assunto', 'parecer', 'contato', 'encerramento', 'proximoContato', 'prioritario', 'referenciaExterna'], '', problems);
  const code = at(body, 'cliente.codigo');
  if (!s.clients.some((c) => c.codigo === code)) problems.push({ campo: 'cliente.codigo', mensagem: `cliente ${String(code)} não cadastrado` });
  const product = s.products.find((p) => p.identificador === at(body, 'produto.identificador'));
  if (!product) problems.push({ campo: 'produto.identificador', mensagem: 'produto não cadastrado' });
  else if (product.situacao !== 'ATIVO') problems.push({ campo: 'produto.identificador', mensagem: `produto ${product.identificador} inativo` });
  known(at(body, 'tipoAtendimento.identificador') ?? '', 'tipoAtendimento.identificador', s.caseTypes.map((t) => t.identificador), problems);
  const subject = body.assunto;
  if (typeof subject !== 'string' || !subject.trim()) problems.push({ campo: 'assunto', mensagem: 'obrigatório' });
  else if (subject.length > 120) problems.push({ campo: 'assunto', mensagem: 'excede 120 caracteres' });
  const text = at(body, 'parecer.texto');
  if (typeof text !== 'string' || !text.trim()) problems.push({ campo: 'parecer.texto', mensagem: 'obrigatório' });
  if (body.encerramento === undefined) problems.push({ campo: 'encerramento.encerrar', mensagem: 'obrigatório (true ou false)' });
  if (typeof body.prioritario !== 'boolean') problems.push({ campo: 'prioritario', mensagem: 'obrigatório (true ou false)' });
  closeAndContact(s, body, problems);
  return problems;
}

export function checkUpdate(s: CoreState, body: unknown): Problem[] {
  if (!isObject(body)) return [{ campo: '(corpo)', mensagem: 'o corpo deve ser um objeto JSON' }];
  const problems: Problem[] = [];
  allowed(body, ['encerramento', 'proximoContato', 'prioritario', 'referenciaExterna'], '', problems);
  closeAndContact(s, body, problems);
  return problems;
}

export function checkOpinion(body: unknown): Problem[] {
  if (!isObject(body)) return [{ campo: '(corpo)', mensagem: 'o corpo deve ser um objeto JSON' }];
  const problems: Problem[] = [];
  allowed(body, ['texto', 'referenciaExterna'], '', problems);
  if (typeof body.texto !== 'string' || !body.texto.trim()) problems.push({ campo: 'texto', mensagem: 'obrigatório' });
  return problems;
}

export function checkNotification(s: CoreState, body: unknown): Problem[] {
  if (!isObject(body)) return [{ campo: '(corpo)', mensagem: 'o corpo deve ser um objeto JSON' }];
  const problems: Problem[] = [];
  allowed(body, ['destinatarios', 'referenciaExterna'], '', problems);
  const logins = at(body, 'destinatarios.loginsSpySystem') ?? [];
  const emails = at(body, 'destinatarios.emails') ?? [];
  if (!Array.isArray(logins) || !Array.isArray(emails)) return [...problems, { campo: 'destinatarios', mensagem: 'listas de logins e e-mails' }];
  for (const l of logins) if (!s.users.some((u) => u.spySystem?.login === l)) problems.push({ campo: 'destinatarios.loginsSpySystem', mensagem: `login ${String(l)} desconhecido` });
  if (logins.length + emails.length === 0) problems.push({ campo: 'destinatarios', mensagem: 'informe ao menos um destinatário' });
  return problems;
}
