// One SSE connection on a chat's live events (topic chat:<id>): everything published there —
// messages (private notes included: the stream is for agents), transfers, queue moves, close
// invitations, closing, and other features' events (integration status, delinquency alerts).

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Deps } from '../deps.js';
import type { LiveEvent } from '../jobs/live.js';
import { chatTopic } from './chat-change.js';

const HEARTBEAT_MS = 15_000;
/** A private event proving the subscription is live before the stream says it is open. */
const PROBE = 'stream.probe';
const PROBE_WAIT_MS = 5000;
const PROBE_RETRY_MS = 200;

export class ChatEventStream {
  private unsubscribe: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private sent = 0;
  private chatId = '';

  constructor(private readonly res: ServerResponse) {}

  /**
   * Subscribes, then waits for its own probe to come back through the job backend: a
   * subscription that just started may not see events published in its first moments,
   * so the initial comment is written only once events are sure to arrive.
   */
  async open(deps: Deps, chatId: string): Promise<void> {
    this.chatId = chatId;
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    this.res.write('retry: 3000\n\n');
    const nonce = randomUUID();
    let probed: () => void = () => undefined;
    const probe = new Promise<void>((resolve) => (probed = resolve));
    const unsubscribe = await deps.live.subscribe(chatTopic(chatId), (event) => {
      if (event.type === PROBE) {
        if (event.data.nonce === nonce) probed();
        return;
      }
      this.send(event);
    });
    if (this.closed) return unsubscribe();
    this.unsubscribe = unsubscribe;
    // A fresh subscription reads only what is published after its first read: probe until one arrives.
    const until = Date.now() + PROBE_WAIT_MS;
    let arrived = false;
    void probe.then(() => (arrived = true));
    while (!arrived && !this.closed && Date.now() < until) {
      await deps.live.publish(chatTopic(chatId), PROBE, { nonce }).catch((err) => deps.log.warn({ err, chatId }, 'SSE probe not published'));
      await Promise.race([probe, new Promise((resolve) => setTimeout(resolve, PROBE_RETRY_MS))]);
    }
    if (this.closed) return;
    this.res.write(`: connected to chat ${chatId}\n\n`);
    this.heartbeat = setInterval(() => this.res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private send(event: LiveEvent): void {
    if (this.closed) return;
    this.sent += 1;
    this.res.write(`id: ${this.sent}\nevent: ${event.type}\ndata: ${JSON.stringify({ chatId: this.chatId, ...event.data, at: event.at })}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    if (!this.res.writableEnded) this.res.end();
  }
}
