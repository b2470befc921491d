// The client portal: a per-return token instead of an API key. No token → 401; a wrong,
// revoked or other return's token → 404 (existence is not revealed); past validUntil → 410.

import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, PonteError, ValidationError } from '../errors.js';
import { isExpired } from '../domain/return-rules.js';
import { formatSaoPaulo } from '../domain/sao-paulo-time.js';
import { plainText } from '../domain/return-format.js';
import { getReturn, type ReturnRow } from './store.js';
import { loadReturn, type ReturnInput } from './service.js';
import { renderReturnPage } from './page.js';
import { listEntries, portalEntryView } from './timeline.js';
import { portalTokenMatches } from './portal-token.js';
import { portalReturnView } from './view.js';
import { recordClientMessage } from './client-messages.js';

export const portalActor = (row: ReturnRow) => `portal:${row.client_email}`;

/** The return this token opens, or the error the portal must answer. */
export async function authorizePortal(deps: Deps, id: string, token: string | undefined): Promise<ReturnRow> {
  if (!token) throw new PonteError('PORTAL_TOKEN_REQUIRED', 'this page needs the link sent to you (token missing)', { status: 401, details: [{ path: 'token', message: 'required' }] });
  const row = await getReturn(deps.db, id);
  if (!row || !portalTokenMatches(token, row.portal_token_hash)) throw new NotFoundError('return', id);
  if (isExpired(row.valid_until, deps.clock.now())) throw expiredError(row);
  return row;
}

export function expiredError(row: ReturnRow): PonteError {
  return new PonteError('RETURN_EXPIRED', `this return was available until ${formatSaoPaulo(row.valid_until)} (America/Sao_Paulo)`, { status: 410, details: [{ path: 'validUntil', message: 'is past' }] });
}

export async function portalReturn(deps: Deps, row: ReturnRow) {
  const entries = await listEntries(deps.db, row.id, true);
  return { ...portalReturnView(row, deps.config.portalChatDepartment), timeline: entries.map(portalEntryView) };
}

export async function portalAnswer(deps: Deps, row: ReturnRow, text: string) {
  if (row.type === 'notice') {
    throw new ConflictError('RETURN_NOT_ANSWERABLE', 'this return is a notice (informative): it takes no answer; open a chat if you need to talk to us', [{ path: 'type', message: 'notice' }]);
  }
  const clean = plainText(text);
  if (!clean) throw ValidationError.field('text', 'must contain text once sanitized');
  const entry = await recordClientMessage(deps, row.id, { channel: 'portal', author: row.client_email, text: clean, actor: portalActor(row) });
  return { id: entry.id, text: entry.text, createdAt: entry.createdAt };
}

/**
 * seed 000's "Visualizar" on the new-return screen: the page the client would see for a draft,
 * before anything is saved (nothing is written, no id exists yet).
 */
export function previewDraft(deps: Deps, input: ReturnInput): string {
  const subject = plainText(input.subject);
  const description = plainText(input.description);
  const problems = [...(subject ? [] : [{ path: 'subject', message: 'must contain text' }]), ...(description ? [] : [{ path: 'description', message: 'must contain text' }])];
  if (Number.isNaN(Date.parse(input.validUntil))) problems.push({ path: 'validUntil', message: 'must be a date-time' });
  if (problems.length) throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  const now = deps.clock.now().toISOString();
  return renderReturnPage({
    id: 'preview', type: input.type, status: 'open', subject, description,
    contactPerson: input.contactPerson && input.type !== 'notice' ? plainText(input.contactPerson) || null : null,
    clientEmail: input.clientEmail.toLowerCase(), validUntil: new Date(input.validUntil).toISOString(),
    canOpenChat: Boolean(input.departmentId || input.chatId || deps.config.portalChatDepartment), canAnswer: input.type !== 'notice',
    timeline: [{ id: 'preview', kind: 'event', from: 'agent', event: 'created', text: 'Retorno criado', html: null, attachments: [], createdAt: now }],
  }, { preview: true });
}

/** The page exactly as the client would see it, for agents (no token needed). */
export async function previewPage(deps: Deps, id: string): Promise<string> {
  return renderReturnPage(await portalReturn(deps, await loadReturn(deps, id)), { preview: true });
}

export async function portalPage(deps: Deps, row: ReturnRow): Promise<string> {
  return renderReturnPage(await portalReturn(deps, row), { preview: false });
}
