// LISTEN/NOTIFY across the embedded database's connections. Every socket pglite-socket serves
// shares PGlite's one session, so a NOTIFY reaches only the connection whose statement sent
// it (in that statement's answer), never a worker's idle LISTEN connection: BullMQ's workers
// would only find new jobs by polling. This reads each NotificationResponse out of the answers
// and writes a copy to every other connection that asked to LISTEN on its channel, as a real
// PostgreSQL would. The copy is written while that connection is idle between two messages:
// the queue answers one message at a time, so no other answer is half-written then.

import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

type Write = (data: Uint8Array) => void;

interface QueryQueue {
  enqueue(handlerId: number, message: Uint8Array, onData: Write): Promise<number>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const QUERY = 0x51; // 'Q', a simple query
const NOTIFICATION = 0x41; // 'A', NotificationResponse
const LISTEN = /^\s*LISTEN\s+"?([A-Za-z_][\w$]*)"?\s*;?\s*$/i;

/** The channels a simple query LISTENs on (comments and other statements skipped). */
export function listenedChannels(sql: string): string[] {
  const text = sql.replace(/--[^\n]*/g, '');
  return text.split(';').flatMap((part) => {
    const m = LISTEN.exec(part);
    return m ? [m[1]!] : [];
  });
}

/** The channel of a NotificationResponse: Int32 length, Int32 pid, then the channel, NUL-ended. */
function channelOf(message: Uint8Array): string {
  const end = message.indexOf(0, 9);
  return Buffer.from(message.subarray(9, end === -1 ? message.length : end)).toString('utf8');
}

/**
 * Follows one answer's message framing (type byte, Int32 length that counts itself) across the
 * chunks it arrives in, and hands over every NotificationResponse whole.
 */
export function notificationScanner(found: (message: Uint8Array) => void): (chunk: Uint8Array) => void {
  let header = Buffer.alloc(0);
  let remaining = 0;
  let collecting: Buffer[] | undefined;
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - at);
        collecting?.push(Buffer.from(chunk.subarray(at, at + take)));
        remaining -= take;
        at += take;
        if (remaining === 0 && collecting) {
          found(Buffer.concat(collecting));
          collecting = undefined;
        }
        continue;
      }
      const need = 5 - header.length;
      header = Buffer.concat([header, chunk.subarray(at, at + need)]);
      at += Math.min(need, chunk.length - at);
      if (header.length < 5) return;
      remaining = header.readInt32BE(1) - 4;
      collecting = header[0] === NOTIFICATION ? [header] : undefined;
      header = Buffer.alloc(0);
      if (remaining === 0 && collecting) {
        found(Buffer.concat(collecting));
        collecting = undefined;
      }
    }
  };
}

export function fanOutNotifications(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  const listeners = new Map<number, { channels: Set<string>; write: Write }>();

  const enqueue = q.enqueue.bind(q);
  q.enqueue = (handlerId, message, onData) => {
    if (message[0] === QUERY) {
      const channels = listenedChannels(Buffer.from(message.subarray(5)).toString('utf8').replace(/\0$/, ''));
      if (channels.length) {
        const entry = listeners.get(handlerId) ?? { channels: new Set<string>(), write: onData };
        for (const c of channels) entry.channels.add(c);
        listeners.set(handlerId, entry);
      }
    }
    const scan = notificationScanner((notification) => {
      const channel = channelOf(notification);
      for (const [id, l] of listeners) if (id !== handlerId && l.channels.has(channel)) l.write(notification);
    });
    return enqueue(handlerId, message, (data) => {
      onData(data);
      scan(data);
    });
  };

  // Called when a connection goes away: it listens no more.
  const clear = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async (handlerId) => {
    listeners.delete(handlerId);
    await clear(handlerId);
  };
}
