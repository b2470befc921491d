// The REST connector kind: a mapping set of kind "rest" (mappings/bimer/, mappings/bimer-core/...)
// runs on it. Settings: url, auth (strategy) and its credentials, tokenPath, apiKeyHeader, timeoutMs.

import type { ConnectorKind, SettingKey, Settings } from '../../src/connectors/kinds.js';
import { createAuth, DEFAULT_TOKEN_PATH, STRATEGIES, type Strategy } from './auth.js';
import { createAxios, RestTransport } from './transport.js';

export const DEFAULT_TIMEOUT_MS = 10_000;

const NEEDS: Record<Strategy, SettingKey[]> = {
  'bimer-classic': ['clientId', 'clientSecret', 'username', 'password'],
  'bimer-core': ['username', 'password'],
  bearer: ['token'],
  'api-key': ['token'],
  basic: ['username', 'password'],
  none: [],
};

function resolved(s: Settings): Settings {
  const auth = (s.auth ?? 'none') as Strategy;
  return { ...s, auth, tokenPath: s.tokenPath ?? DEFAULT_TOKEN_PATH[auth], timeoutMs: s.timeoutMs ?? String(DEFAULT_TIMEOUT_MS) };
}

export const kind: ConnectorKind = {
  name: 'rest',
  checkSettings(raw) {
    const s = resolved(raw);
    const problems: Array<{ key: SettingKey; message: string }> = [];
    if (!s.url) problems.push({ key: 'url', message: "is required: the ERP's base URL" });
    else if (!/^https?:\/\/[^\s]+$/.test(s.url)) problems.push({ key: 'url', message: 'must be an http:// or https:// URL' });
    const timeout = Number(s.timeoutMs);
    // axios reads a NaN or 0 timeout as "wait forever".
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 300_000) problems.push({ key: 'timeoutMs', message: 'must be a whole number of milliseconds, at least 100 (at most 300000)' });
    if (!STRATEGIES.includes(s.auth as Strategy)) return [...problems, { key: 'auth', message: `must be one of ${STRATEGIES.join(', ')}` }];
    for (const key of NEEDS[s.auth as Strategy]) if (!s[key]) problems.push({ key, message: `is required with auth ${s.auth}` });
    if (s.tokenPath && !s.tokenPath.startsWith('/')) problems.push({ key: 'tokenPath', message: 'must be a path starting with /' });
    return problems;
  },
  createTransport(raw, options, deps) {
    const s = resolved(raw);
    const http = createAxios(s.url!, Number(s.timeoutMs));
    return new RestTransport(http, createAuth(http, s, options, deps));
  },
};
