// The "who" recorded in history, timelines and audit: the key's name, or the acting agent and
// the key it came through ("agent:ana via key desk"; src/returns/reminders.ts reads this form).

import { ValidationError } from '../errors.js';

/** The header naming the acting agent of a write. */
export const AGENT_HEADER = 'X-Agent-Id';

export const actingActor = (agentId: string, keyName: string): string => `agent:${agentId} via key ${keyName}`;

/** The one agent the request names (header and body agreeing); 400 when they differ. */
export function namedAgent(header: string | undefined, field: string | undefined, fieldPath = 'agentId'): { id: string; path: string } | undefined {
  if (header && field && header !== field) {
    throw new ValidationError(`${AGENT_HEADER} (${header}) and ${fieldPath} (${field}) name different agents`, [
      { path: AGENT_HEADER, message: `names ${header}` },
      { path: fieldPath, message: `names ${field}` },
    ], 'AGENT_MISMATCH');
  }
  if (header) return { id: header, path: AGENT_HEADER };
  return field ? { id: field, path: fieldPath } : undefined;
}
