// Correction (LGPD art. 18 III): the person's name, e-mail or phone set in one call on every
// chat and return that is theirs (and on their own chat messages' author name), audited with
// digests of what changed, never the values.

import type { Deps } from '../deps.js';
import { ValidationError, type ErrorDetail } from '../errors.js';
import { recordAudit } from '../admin/audit.js';
import { digestsOf, parseMatch, phoneKey, type Identifiers, type MatchInput } from '../domain/data-subject.js';
import { collectScope } from './scope.js';

export interface CorrectionInput { match: MatchInput; set: { name?: string; email?: string; phone?: string } }

type Fields = { name?: string; email?: string; phone?: string };

/** The new values, checked: a 400 names each bad one (added to the match's problems). */
function checkSet(set: CorrectionInput['set'], problems: ErrorDetail[]): Fields {
  const out: Fields = {};
  if (set.name !== undefined) {
    if (set.name.trim()) out.name = set.name.trim();
    else problems.push({ path: 'set.name', message: 'must not be blank' });
  }
  if (set.email !== undefined) {
    const email = set.email.trim().toLowerCase();
    if (/^[^\s@]{1,64}@[^\s@]{1,253}$/.test(email)) out.email = email;
    else problems.push({ path: 'set.email', message: 'must be an e-mail address' });
  }
  if (set.phone !== undefined) {
    if (phoneKey(set.phone).length >= 8) out.phone = set.phone.trim();
    else problems.push({ path: 'set.phone', message: 'must be a phone number with at least 8 digits' });
  }
  return out;
}

export async function correctSubject(deps: Deps, input: CorrectionInput, actor: string) {
  const problems: ErrorDetail[] = [];
  let match: Identifiers | undefined;
  try {
    match = parseMatch(input.match, 'match.');
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.details);
  }
  const set = checkSet(input.set, problems);
  if (problems.length || !match) throw new ValidationError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  const fields = (Object.keys(set) as Array<'name' | 'email' | 'phone'>).sort();
  const { name, email } = set;
  const ids = match;
  return deps.db.tx(async (q) => {
    const scope = await collectScope(q, ids);
    const chats = (await q.query(
      `UPDATE chats SET client = client || $2::jsonb, client_email = coalesce($3, client_email), updated_at = now() WHERE id = ANY($1::uuid[])`,
      [scope.chats, JSON.stringify(set), email ?? null],
    )).rowCount ?? 0;
    const messages = name
      ? (await q.query(`UPDATE messages SET author_name = $2 WHERE chat_id = ANY($1::uuid[]) AND sender = 'client'`, [scope.chats, name])).rowCount ?? 0
      : 0;
    // A return's contact person is changed only where it was this person's name (it may name someone else).
    const returns = (await q.query(
      `UPDATE returns SET client_email = coalesce($2, client_email),
              contact_person = CASE WHEN $3::text IS NOT NULL AND lower(contact_person) = ANY($4) THEN $3 ELSE contact_person END, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND ($2::text IS NOT NULL OR ($3::text IS NOT NULL AND lower(contact_person) = ANY($4)))`,
      [scope.returns, email ?? null, name ?? null, scope.known.names.map((n) => n.toLowerCase())],
    )).rowCount ?? 0;
    const updated = { chats, returns, messages };
    await recordAudit(q, {
      actor, action: 'data_subject.corrected', targetType: 'data_subject', targetId: digestsOf(ids)[0]!,
      changes: { fields, matchDigests: digestsOf(ids), newDigests: digestsOf({ emails: email ? [email] : [], phones: set.phone ? [set.phone] : [] }), updated },
    });
    return { fields, updated };
  });
}
