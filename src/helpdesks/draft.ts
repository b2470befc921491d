// Runs a helpdesk's mapping on one payload and checks what it produced: the draft against
// schemas/helpdesks/draft.json (its session against Session, with an e-mail or a phone), so a
// bad payload is one 400 naming the helpdesk's own fields (the mapping's `sources`).

import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { compiledOnFirstUse, loadSchemas, shippedAjv, type Validate } from '../schemas.js';
import { ValidationError, type ErrorDetail } from '../errors.js';
import type { SessionInput } from '../chats/sessions.js';
import type { IntegrationRequest } from '../domain/integration-request.js';
import type { HelpdeskSettings } from '../config.js';
import type { HelpdeskDescriptor } from './descriptor.js';

export interface Draft {
  ends: boolean;
  reason?: string;
  conversation?: Record<string, string | number>;
  session?: Omit<SessionInput, 'integrations'>;
  messagesComplete?: boolean;
  integration?: Record<string, unknown>;
  sources?: Record<string, string>;
}

export interface MappingInput {
  payload: unknown;
  /** The items of the helpdesk API's message list, or null when not read. */
  messages: unknown[] | null;
  settings: HelpdeskSettings;
}

/** An integration the draft makes, or why it makes none (the fields to fill in the form). */
export interface IntegrationOutcome {
  request?: IntegrationRequest;
  problems: ErrorDetail[];
}

/** Messages mapped per pass of the mapping: a pass stays well under its time guardrail. */
const MESSAGES_PER_PASS = 100;

/** Lines in time order; same time (or an unreadable one, refused later) keeps the helpdesk's order. */
function byTime<T extends { at?: unknown }>(lines: T[]): T[] {
  const time = (l: T) => (typeof l?.at === 'string' ? Date.parse(l.at) : Number.NaN);
  return lines.map((line, i) => ({ line, i, t: time(line) }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i))
    .map((x) => x.line);
}

/** The Session schema as a helpdesk fills it: no integrations in it, and an e-mail or a phone. */
function helpdeskSession(session: Record<string, any>): Record<string, unknown> {
  const copy = structuredClone(session);
  copy.$id = 'HelpdeskSession';
  delete copy.properties.integrations;
  copy.properties.client.required = ['name'];
  copy.properties.client.anyOf = [{ required: ['email'] }, { required: ['phone'] }];
  return copy;
}

function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.split('/').filter(Boolean);
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  return [...base, ...(missing ? [missing] : [])].join('.');
}

/** client.email → the payload field the mapping took it from (longest known prefix). */
function sourceOf(field: string, sources: Record<string, string> = {}): string {
  const known = Object.keys(sources).filter((k) => field === k || field.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0];
  return known === undefined ? field : `${sources[known]}${field.slice(known.length)}`;
}

function details(errors: ErrorObject[], sources?: Record<string, string>): ErrorDetail[] {
  const anyOf = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => e.keyword !== 'if' && !(e.keyword === 'required' && anyOf.has(e.instancePath)));
  const out = kept.map((e) => {
    const field = fieldOf(e).replace(/^session\.?/, '') || '(payload)';
    const message = e.keyword === 'anyOf' ? 'needs an e-mail or a phone' : e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid';
    return { path: sourceOf(field, sources), field, message };
  });
  return out.filter((d, i) => out.findIndex((o) => o.path === d.path && o.message === d.message) === i);
}

export class DraftMapper {
  private constructor(private readonly draft: Validate, private readonly integration: Validate) {}

  static async create(): Promise<DraftMapper> {
    const ajv = shippedAjv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const api = await loadSchemas('api');
    const byId = (id: string) => api.find((s) => s.schema.$id === id)!.schema;
    ajv.addSchema(helpdeskSession(byId('Session')));
    const integration = compiledOnFirstUse(() => ajv.compile({ ...byId('IntegrationRequest'), $id: 'HelpdeskIntegration' }));
    const draft = (await loadSchemas('helpdesks')).find((s) => s.schema.$id === 'HelpdeskDraft')!.schema;
    return new DraftMapper(compiledOnFirstUse(() => ajv.compile(draft)), integration);
  }

  private async evaluate(descriptor: HelpdeskDescriptor, input: unknown): Promise<Draft | null> {
    try {
      return JSON.parse(JSON.stringify((await descriptor.mapping.evaluate(input)) ?? null)) as Draft | null;
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const at = /^([A-Za-z0-9_.]+): /.exec(message);
      throw new ValidationError(`${descriptor.label} payload refused: ${message}`, [{ path: at?.[1] ?? '(payload)', message: at ? message.slice(at[0].length) : message }]);
    }
  }

  /**
   * The draft of one payload; throws a 400 naming the payload's fields when it cannot be one. A
   * long message list is mapped MESSAGES_PER_PASS at a time, yielding in between (a mapping
   * maps each message on its own), and the lines are ordered by time here.
   */
  async map(descriptor: HelpdeskDescriptor, input: MappingInput): Promise<Draft> {
    // What a mapping may read of the settings: never the secrets or the token.
    const settings = { departments: input.settings.departments, integrationDefaults: input.settings.integrationDefaults, ...input.settings.mapping };
    const list = input.messages;
    const pass = (messages: unknown[] | null) => this.evaluate(descriptor, { payload: input.payload, messages, settings });
    const draft = await pass(list ? list.slice(0, MESSAGES_PER_PASS) : null);
    const lines = draft?.session?.messages;
    if (list && Array.isArray(lines)) {
      for (let i = MESSAGES_PER_PASS; i < list.length; i += MESSAGES_PER_PASS) {
        await new Promise((resolve) => setImmediate(resolve));
        lines.push(...((await pass(list.slice(i, i + MESSAGES_PER_PASS)))?.session?.messages ?? []));
      }
    }
    if (Array.isArray(lines)) draft!.session!.messages = byTime(lines);
    if (!this.draft(draft)) {
      const problems = details(this.draft.errors ?? [], (draft as Draft | null)?.sources);
      throw new ValidationError(`${descriptor.label} payload refused: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
    }
    return draft!;
  }

  /** The integration request when the fields found make one; otherwise the fields to complete. */
  integrationOf(draft: Draft): IntegrationOutcome {
    const candidate = draft.integration ?? {};
    if (this.integration(candidate)) return { request: candidate as unknown as IntegrationRequest, problems: [] };
    return { problems: details(this.integration.errors ?? []).map(({ path, message }) => ({ path, message })) };
  }
}
