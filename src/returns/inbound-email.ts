// A client's e-mail reply posted by the e-mail gateway: only the new text is shown; the
// quoted history (and signature) is kept, collapsed, for agents who expand it (seed 002).

import EmailReplyParser from 'email-reply-parser';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { plainText } from '../domain/return-format.js';
import { loadReturn } from './service.js';
import { recordClientMessage } from './client-messages.js';

export interface InboundEmail { from: string; rawText: string }

/**
 * The new reply and the rest (quoted history, signature); when the parser finds nothing
 * new, all of it is new.
 */
export function splitReply(rawText: string): { text: string; quoted: string | null } {
  const email = new EmailReplyParser().read(rawText.replace(/\r\n?/g, '\n'));
  const text = plainText(email.getVisibleText());
  const quoted = plainText(email.getFragments().filter((f) => f.isHidden()).join('\n'));
  if (!text) return { text: plainText(rawText), quoted: null };
  return { text, quoted: quoted || null };
}

export async function receiveInboundEmail(deps: Deps, returnId: string, input: InboundEmail, actor: string) {
  await loadReturn(deps, returnId);
  const { text, quoted } = splitReply(input.rawText);
  if (!text) throw ValidationError.field('rawText', 'has no text once sanitized');
  return recordClientMessage(deps, returnId, { channel: 'email', author: plainText(input.from).toLowerCase(), text, quoted, actor });
}
