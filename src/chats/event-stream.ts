// One SSE connection on one or more live topics (a chat's `chat:<id>`, an agent's feed): what
// is published there — messages, transfers, queue moves, close invitations, closing, other
// features' events — passed through a filter (private notes for callers allowed to read them).

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Deps } from '../deps.js';
import type { LiveEvent } from '../jobs/live.js';

const HEARTBEAT_MS = 15_000;
/** A private event proving the subscription is live before the stream says it is open. */
const PROBE = 'stream.probe';
const PROBE_WAIT_MS = 5000;
const PROBE_RETRY_MS = 200;

export interface StreamOptions {
  /** Topics to follow; the first one carries the probe. */
  topics: string[];
  /** The opening comment, once events are sure to arrive. */
  greeting: string;
  /** Fields every event's data starts with (e.g. the chat id). */
  base?: Record<string, unknown>;
  /** What the caller may see of an event; null drops it. */
  filter?: (event: LiveEvent) => LiveEvent | null;
}

export class LiveStream {
  private unsubscribes: Array<() => void> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private sent = 0;
  private options: StreamOptions = { topics: [], greeting: '' };

  constructor(private readonly res: ServerResponse) {}

  /**
   * Subscribes, then waits for its own probe to come back through the job backend: a
   * subscription that just started may not see events published in its first moments,
   * so the opening comment is written only once events are sure to arrive.
   */
  async open(deps: Deps, options: StreamOptions): Promise<void> {
    this.options = options;
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    this.res.write('retry: 3000\n\n');
    const nonce = randomUUID();
    let probed: () => void = () => undefined;
    const probe = new Promise<void>((resolve) => (probed = resolve));
    const probeTopic = options.topics[0]!;
    for (const topic of new Set(options.topics)) {
      const unsubscribe = await deps.live.subscribe(topic, (event) => {
        if (event.type === PROBE) {
          if (event.data.nonce === nonce) probed();
          return;
        }
        this.send(event);
      });
      this.unsubscribes.push(unsubscribe);
      if (this.closed) return this.close();
    }
    // A fresh subscription reads only what is published after its first read: probe until one arrives.
    const until = Date.now() + PROBE_WAIT_MS;
    let arrived = false;
    void probe.then(() => (arrived = true));
    while (!arrived && !this.closed && Date.now() < until) {
      await deps.live.publish(probeTopic, PROBE, { nonce }).catch((err) => deps.log.warn({ err, topic: probeTopic }, 'SSE probe not published'));
      await Promise.race([probe, new Promise((resolve) => setTimeout(resolve, PROBE_RETRY_MS))]);
    }
    if (this.closed) return;
    this.res.write(`: ${options.greeting}\n\n`);
    this.heartbeat = setInterval(() => this.res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private send(raw: LiveEvent): void {
    if (this.closed) return;
    const event = this.options.filter ? this.options.filter(raw) : raw;
    if (!event) return;
    this.sent += 1;
    this.res.write(`id: ${this.sent}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...this.options.base, ...event.data, at: event.at })}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    if (!this.res.writableEnded) this.res.end();
  }
}
