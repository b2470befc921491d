// Standard reply templates (seed 003 "Respostas Padrão"): CRUD, stored already sanitized for
// their format, so a template is as safe as a typed reply; replies copy the text they used.

import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { keysetPage, type PageRequest } from '../store/keyset.js';
import { isUuid } from '../store/integrations.js';
import { MARKDOWN_MAX_CHARS, plainText, sanitizeInputHtml, type ReplyFormat } from '../domain/return-format.js';

export interface TemplateInput { name: string; text: string; format?: ReplyFormat }

interface TemplateRow { id: string; name: string; text: string; format: ReplyFormat; created_by: string; created_at: Date; updated_at: Date }

const view = (r: TemplateRow) => ({ id: r.id, name: r.name, text: r.text, format: r.format, createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() });

function clean(input: TemplateInput): { name: string; text: string; format: ReplyFormat } {
  const format = input.format ?? 'text';
  const name = plainText(input.name);
  const text = format === 'html' ? sanitizeInputHtml(input.text) : plainText(input.text);
  if (format === 'markdown' && text.length > MARKDOWN_MAX_CHARS) throw ValidationError.field('text', `a markdown template has at most ${MARKDOWN_MAX_CHARS} characters`, 'TEXT_TOO_LONG');
  if (!name) throw ValidationError.field('name', 'must contain text');
  if (!text) throw ValidationError.field('text', 'must contain text once sanitized');
  return { name, text, format };
}

export async function getTemplate(q: Queryable, id: string): Promise<TemplateRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await q.query<TemplateRow>('SELECT * FROM reply_templates WHERE id = $1', [id]);
  return rows[0];
}

async function mustGet(deps: Deps, id: string): Promise<TemplateRow> {
  const row = await getTemplate(deps.db, id);
  if (!row) throw new NotFoundError('reply template', id);
  return row;
}

/** Template changes go to the audit log under target_type 'reply_template'. */
async function audit(q: Queryable, actor: string, action: string, id: string, changes: object, at: Date): Promise<void> {
  await q.query("INSERT INTO audit_events (at, actor, action, target_type, target_id, changes) VALUES ($1, $2, $3, 'reply_template', $4, $5)", [at, actor, action, id, JSON.stringify(changes)]);
}

export async function createTemplate(deps: Deps, input: TemplateInput, actor: string) {
  const t = clean(input);
  const now = deps.clock.now();
  const row = await deps.db.tx(async (q) => {
    const { rows } = await q.query<TemplateRow>(
      'INSERT INTO reply_templates (name, text, format, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING *',
      [t.name, t.text, t.format, actor, now],
    );
    await audit(q, actor, 'reply_template.created', rows[0]!.id, { name: { from: null, to: t.name } }, now);
    return rows[0]!;
  });
  return view(row);
}

/** One page of standard replies by name, then id. */
export async function listTemplates(deps: Deps, page: PageRequest) {
  const { rows, nextCursor } = await keysetPage<TemplateRow>(deps.db, { select: '*', from: 'reply_templates' }, { columns: [['name', 'text'], ['id', 'uuid']] }, page);
  return { items: rows.map(view), nextCursor };
}

export async function readTemplate(deps: Deps, id: string) {
  return view(await mustGet(deps, id));
}

export async function replaceTemplate(deps: Deps, id: string, input: TemplateInput, actor: string) {
  const before = await mustGet(deps, id);
  const t = clean(input);
  const now = deps.clock.now();
  const row = await deps.db.tx(async (q) => {
    const { rows } = await q.query<TemplateRow>('UPDATE reply_templates SET name = $2, text = $3, format = $4, updated_at = $5 WHERE id = $1 RETURNING *', [id, t.name, t.text, t.format, now]);
    if (!rows[0]) throw new NotFoundError('reply template', id);
    const changes = Object.fromEntries((['name', 'text', 'format'] as const).filter((k) => before[k] !== t[k]).map((k) => [k, { from: before[k], to: t[k] }]));
    await audit(q, actor, 'reply_template.updated', id, changes, now);
    return rows[0];
  });
  return view(row);
}

export async function deleteTemplate(deps: Deps, id: string, actor: string): Promise<void> {
  const before = await mustGet(deps, id);
  await deps.db.tx(async (q) => {
    await q.query('DELETE FROM reply_templates WHERE id = $1', [id]);
    await audit(q, actor, 'reply_template.deleted', id, { name: { from: before.name, to: null } }, deps.clock.now());
  });
}
