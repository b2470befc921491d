// Rules of ERP pushes: how a body splits into events, what makes an event invalid beyond its
// schema, and when a delinquency marker has changed. Pure; the service does the I/O.

import { PonteError, ValidationError, type ErrorDetail } from '../errors.js';
import { normalizeClientCode } from './integration-request.js';

export const ERP_EVENT_TYPES = ['delinquency.updated', 'product-versions.updated'] as const;
export type ErpEventType = (typeof ERP_EVENT_TYPES)[number];

/** Most events one push may carry; larger batches are refused whole (413). */
export const BATCH_LIMIT = 1000;
/** An event dated further ahead than this would block every later one as "stale". */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface MarkerItem { code: string; label: string; since?: string; delinquency?: boolean }
export interface DelinquencyData { clientCode: string; delinquent: boolean; since?: string; reason?: string; markers?: MarkerItem[] }
export interface ProductVersion { system: string; used: string | null; entitled: string | null; downloaded: string | null }
export interface ProductVersionsData { clientCode: string; versions: ProductVersion[] }

/** What an event states, without its id (pulled markers are facts with no ERP event). */
export type ErpFact =
  | { type: 'delinquency.updated'; occurredAt: string; data: DelinquencyData }
  | { type: 'product-versions.updated'; occurredAt: string; data: ProductVersionsData };

export type ErpEvent = ErpFact & { id: string };

/** What happened to one event. */
export type ErpEventOutcome = 'applied' | 'duplicate' | 'stale' | 'pending_client' | 'invalid';

export interface ErpEventResult {
  index: number;
  id: string | null;
  outcome: ErpEventOutcome;
  details?: ErrorDetail[];
}

export type PushBody = { batch: false; events: [unknown] } | { batch: true; events: unknown[] };

/** A body is one event, or `{events: [...]}` with 1 to BATCH_LIMIT events. */
export function splitBody(body: unknown): PushBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ValidationError.field('(body)', 'must be an event object or {events: [...]}');
  }
  if (!('events' in body)) return { batch: false, events: [body] };
  const events = (body as { events: unknown }).events;
  if (!Array.isArray(events)) throw ValidationError.field('events', 'must be an array of events');
  if (events.length === 0) throw ValidationError.field('events', 'must hold at least one event');
  if (events.length > BATCH_LIMIT) {
    throw new PonteError('BATCH_TOO_LARGE', `a batch holds at most ${BATCH_LIMIT} events; this one has ${events.length}`, {
      status: 413,
      details: [{ path: 'events', message: `at most ${BATCH_LIMIT} events per push`, limit: BATCH_LIMIT }],
    });
  }
  return { batch: true, events };
}

/** Checks the schema cannot express; returns the problems (empty when fine). */
export function checkEvent(event: ErpEvent, now: Date): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (Date.parse(event.occurredAt) > now.getTime() + FUTURE_TOLERANCE_MS) {
    problems.push({ path: 'occurredAt', message: 'is in the future' });
  }
  if (event.type === 'product-versions.updated') {
    const seen = new Set<string>();
    event.data.versions.forEach((v, i) => {
      if (seen.has(v.system)) problems.push({ path: `data.versions.${i}.system`, message: `repeats system "${v.system}"` });
      seen.add(v.system);
    });
  }
  return problems;
}

/** The event with its client code as chats store it, and its instant in canonical form. */
export function canonicalEvent(event: ErpEvent): ErpEvent {
  return { ...event, occurredAt: canonicalInstant(event.occurredAt), data: { ...event.data, clientCode: normalizeClientCode(event.data.clientCode) } } as ErpEvent;
}

/**
 * An RFC 3339 date-time as `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC (microseconds, as PostgreSQL
 * keeps them; finer digits are cut), so instants compare correctly as text.
 */
export function canonicalInstant(dateTime: string): string {
  const fraction = /^[^.]*T\d{2}:\d{2}:\d{2}\.(\d+)/i.exec(dateTime)?.[1] ?? '';
  const seconds = Date.parse(dateTime.replace(/(T\d{2}:\d{2}:\d{2})\.\d+/i, '$1'));
  if (Number.isNaN(seconds)) throw new RangeError(`not a date-time: ${dateTime}`);
  return `${new Date(seconds).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0').slice(0, 6)}Z`;
}

/** A stored marker item: `since` as a calendar date, `delinquency` always set. */
export interface StoredMarkerItem { code: string; label: string; since: string | null; delinquency: boolean }
/** `markers` undefined: the event did not list them (the stored list stays). */
export interface Marker { delinquent: boolean; since: string | null; reason: string | null; markers?: StoredMarkerItem[] }

/** The marker an event carries; dates as calendar dates, as the store keeps them. */
export function markerOf(data: DelinquencyData): Marker {
  const marker: Marker = { delinquent: data.delinquent, since: data.since ? data.since.slice(0, 10) : null, reason: data.reason ?? null };
  if (data.markers) marker.markers = data.markers.map((m) => ({ code: m.code, label: m.label, since: m.since ? m.since.slice(0, 10) : null, delinquency: m.delinquency === true }));
  return marker;
}

/** A marker changed when the flag flips, or when a delinquent client's since/reason differ. */
export function markerChanged(previous: Marker | undefined, next: Marker): boolean {
  const before = previous ?? { delinquent: false, since: null, reason: null };
  if (before.delinquent !== next.delinquent) return true;
  return next.delinquent && (before.since !== next.since || before.reason !== next.reason);
}

/** Counts per outcome, for the batch answer. */
export function countOutcomes(results: ErpEventResult[]): Record<ErpEventOutcome, number> {
  const counts: Record<ErpEventOutcome, number> = { applied: 0, duplicate: 0, stale: 0, pending_client: 0, invalid: 0 };
  for (const r of results) counts[r.outcome] += 1;
  return counts;
}
