// Live events (SSE) that reach a client whichever process produced them: published through
// the job backend (BullMQ QueueEventsProducer → QueueEvents, on Redis and PostgreSQL alike),
// then fanned out in memory to this process's open connections.

import { EventEmitter } from 'node:events';
import type { JobEngine } from './engine.js';

export interface LiveEvent {
  /** Channel, e.g. `chat:<id>`. */
  topic: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

const QUEUE = 'live';

export class LiveEvents {
  private readonly local = new EventEmitter();
  private subscribed: Promise<void> | undefined;
  private producer: ReturnType<JobEngine['producer']> | undefined;

  constructor(private readonly jobs: JobEngine) {
    this.local.setMaxListeners(0);
  }

  async publish(topic: string, type: string, data: Record<string, unknown>): Promise<void> {
    const event: LiveEvent = { topic, type, at: new Date().toISOString(), data };
    this.producer ??= this.jobs.producer(QUEUE);
    await this.producer.publishEvent({ eventName: 'live', payload: JSON.stringify(event) }, 10_000);
  }

  /** Starts receiving events from every process; returns an unsubscribe function. */
  async subscribe(topic: string, listener: (event: LiveEvent) => void): Promise<() => void> {
    await this.ensureSubscribed();
    this.local.on(topic, listener);
    return () => this.local.off(topic, listener);
  }

  private ensureSubscribed(): Promise<void> {
    this.subscribed ??= (async () => {
      const events = this.jobs.queueEvents(QUEUE);
      events.on('live' as never, ((args: { payload: string }) => {
        const event = JSON.parse(args.payload) as LiveEvent;
        this.local.emit(event.topic, event);
      }) as never);
      await events.waitUntilReady();
    })();
    return this.subscribed;
  }
}
