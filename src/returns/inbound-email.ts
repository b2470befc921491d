// A client's e-mail reply posted by the e-mail gateway: only the new text is shown; the
// quoted history (and signature) is kept, collapsed, for agents who expand it (seed 002).
// Where the reply then goes (applied, held, late) is inbound-mail.ts. The split is linear in the
// text (src/domain/email-reply.ts); the body is capped by its schema.

import { plainText } from '../domain/return-format.js';
import { splitEmailReply } from '../domain/email-reply.js';

export interface InboundEmail { from: string; rawText: string }

/**
 * The new reply and the rest (quoted history, signature); when the parser finds nothing
 * new, all of it is new.
 */
export function splitReply(rawText: string): { text: string; quoted: string | null } {
  const { visible, hidden } = splitEmailReply(rawText);
  return assemble(rawText, plainText(visible), plainText(hidden));
}

function assemble(rawText: string, text: string, quoted: string): { text: string; quoted: string | null } {
  if (!text) return { text: plainText(rawText), quoted: null };
  return { text, quoted: quoted || null };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** splitReply in slices, other requests served between them: each is linear, but 200 KB of markup still takes a while. */
export async function splitReplyInSlices(rawText: string): Promise<{ text: string; quoted: string | null }> {
  const { visible, hidden } = splitEmailReply(rawText);
  await nextTurn();
  const text = plainText(visible);
  await nextTurn();
  const quoted = text ? plainText(hidden) : '';
  await nextTurn();
  return assemble(rawText, text, quoted);
}
