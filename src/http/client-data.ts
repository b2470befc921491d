// view_client_data on the chat side: a plugin's answers lose the client's identity (name,
// e-mail, phone, client code, CPF/CNPJ, company, contact person) when the API key's profile
// lacks the permission. A preSerialization hook, so every route of the plugin — those added
// later included — is covered; text answers (the transcript as text/plain) check it themselves,
// and live streams (SSE, hijacked replies) pass each event through eventsFor.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { accessOf } from '../casework/access.js';
import { redactClientData } from '../casework/redact.js';
import type { LiveEvent } from '../jobs/live.js';

/** Whether the caller's key may see client data (keys without a profile and admin keys may). */
export async function mayViewClientData(deps: Deps, request: FastifyRequest): Promise<boolean> {
  if (!request.apiKey?.profileId) return true;
  return (await accessOf(deps, { apiKey: request.apiKey })).permissions.has('view_client_data');
}

type ObjectSchema = { type?: unknown; properties?: Record<string, unknown> };

/** The 2xx object answers declared inline (pages, lists) say they may carry the flag; `$ref`'d views declare it in their schema file. */
function declareFlag(response: Record<string, unknown> | undefined): void {
  for (const [status, schema] of Object.entries(response ?? {})) {
    const answer = schema as ObjectSchema;
    if (status.startsWith('2') && answer.type === 'object' && answer.properties) {
      response![status] = { ...answer, properties: { ...answer.properties, clientDataHidden: { $ref: 'ClientDataHidden#' } } };
    }
  }
}

export function hideClientDataWithoutPermission(app: FastifyInstance, deps: Deps): void {
  app.addHook('onRoute', (route) => declareFlag((route.schema as { response?: Record<string, unknown> } | undefined)?.response));
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (reply.statusCode >= 400 || (await mayViewClientData(deps, request))) return payload;
    return redactClientData(payload);
  });
}

type EventFilter = (event: LiveEvent) => LiveEvent | null;

/**
 * A live stream's filter: `others` (private notes...) and, without view_client_data, the client's
 * identity hidden — also inside free text, for the strings of `client` (the chat's, when the
 * stream is one chat's).
 */
export async function eventsFor(deps: Deps, request: FastifyRequest, others?: EventFilter, client?: unknown): Promise<EventFilter | undefined> {
  if (await mayViewClientData(deps, request)) return others;
  return (raw) => {
    const event = others ? others(raw) : raw;
    return event && { ...event, data: redactClientData(event.data, client) };
  };
}
