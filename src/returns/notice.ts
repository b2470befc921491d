// The notice that tells the client about a return (on creation and on each resend).
// Hook for e-mail: today this only records the timeline event; issue 13 makes it also
// enqueue the mail job (QUEUES.mail) in the same transaction, using `portalUrl` when given.

import type { Deps } from '../deps.js';
import type { Queryable } from '../store/db.js';
import { insertEntry, type TimelineRow } from './timeline.js';

export interface ReturnNotice {
  returnId: string;
  clientEmail: string;
  subject: string;
  reason: 'created' | 'resend';
  actor: string;
  /** Only known when a token was just issued (creation, rotation); never stored. */
  portalUrl?: string;
  at: Date;
}

export async function queueReturnNotice(q: Queryable, _deps: Deps, notice: ReturnNotice): Promise<TimelineRow> {
  return insertEntry(q, notice.returnId, {
    kind: 'event',
    authorKind: notice.reason === 'resend' ? 'agent' : 'system',
    author: notice.actor,
    event: notice.reason === 'resend' ? 'resent' : 'notice_queued',
    channel: 'email',
    text: notice.reason === 'resend' ? `Aviso reenviado para ${notice.clientEmail}` : `Aviso do retorno na fila de envio para ${notice.clientEmail}`,
    visibleToClient: false,
    at: notice.at,
  });
}
