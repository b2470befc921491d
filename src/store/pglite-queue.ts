// A fix for pglite-socket's query queue (0.2.x): every connection shares PGlite's one session,
// and the queue interleaves messages of different connections outside transactions. With the
// extended protocol (Parse, Bind, Describe, Execute, Close, Flush ... Sync) that mixes one
// connection's unnamed statement with another's ("bind message supplies 1 parameters, but
// prepared statement "" requires 4"). Upstream also leaves the queue stuck after a failed
// message. This keeps a connection's group together until its Sync (or simple Query), as the
// queue already does for transactions, and never stops processing.

import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H']);

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(err: unknown): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, opts: { onRawData(data: Uint8Array): void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

export function groupExtendedQueries(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let groupOpen = false;

  const next = (): QueuedMessage | undefined => {
    if ((groupOpen || q.db.isInTransaction()) && q.lastHandlerId !== null) {
      const at = q.queue.findIndex((m) => m.handlerId === q.lastHandlerId);
      return at === -1 ? undefined : q.queue.splice(at, 1)[0];
    }
    return q.queue.shift();
  };

  q.processQueue = async () => {
    if (q.processing || q.queue.length === 0) return;
    q.processing = true;
    try {
      for (let item = next(); item; item = next()) {
        const current = item;
        let bytes = 0;
        try {
          await q.db.runExclusive(() => q.db.execProtocolRawStream(current.message, { onRawData: (d) => { bytes += d.length; current.onData(d); } }));
        } catch (err) {
          groupOpen = false;
          current.reject(err);
          continue;
        }
        groupOpen = EXTENDED.has(String.fromCharCode(current.message[0]!));
        q.lastHandlerId = current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };

  const clearTransaction = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async (handlerId) => {
    // A connection that went away in the middle of its group must not hold the queue.
    if (q.lastHandlerId === handlerId && groupOpen && !q.db.isInTransaction()) {
      groupOpen = false;
      q.lastHandlerId = null;
      await q.processQueue();
      return;
    }
    await clearTransaction(handlerId);
  };
}
