// The SOAP connector kind: a mapping set of kind "soap" (mappings/soap-crm/...) runs on it,
// WSDL-driven on the `soap` package. Settings: url (endpoint), wsdl, auth (wsse, basic, none),
// username, password, passwordType (PasswordText, PasswordDigest), namespace, timeoutMs.

import type { ConnectorKind, SettingKey, Settings } from '../../src/connectors/kinds.js';
import type { SoapAuth } from './client.js';
import { SoapTransport } from './transport.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
const AUTH = ['wsse', 'basic', 'none'];
const PASSWORD_TYPES = ['PasswordText', 'PasswordDigest'];

const withDefaults = (s: Settings): Settings => ({ ...s, auth: s.auth ?? 'none', timeoutMs: s.timeoutMs ?? String(DEFAULT_TIMEOUT_MS) });

export const kind: ConnectorKind = {
  name: 'soap',
  checkSettings(raw) {
    const s = withDefaults(raw);
    const problems: Array<{ key: SettingKey; message: string }> = [];
    if (!s.url) problems.push({ key: 'url', message: "is required: the service's endpoint" });
    else if (!/^https?:\/\/[^\s]+$/.test(s.url)) problems.push({ key: 'url', message: 'must be an http:// or https:// URL' });
    if (!s.wsdl) problems.push({ key: 'wsdl', message: 'is required: a URL or file path of the WSDL' });
    const timeout = Number(s.timeoutMs);
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 300_000) problems.push({ key: 'timeoutMs', message: 'must be a whole number of milliseconds, at least 100 (at most 300000)' });
    if (!AUTH.includes(s.auth!)) problems.push({ key: 'auth', message: `must be one of ${AUTH.join(', ')}` });
    else if (s.auth !== 'none') for (const key of ['username', 'password'] as const) if (!s[key]) problems.push({ key, message: `is required with auth ${s.auth}` });
    if (s.passwordType && !PASSWORD_TYPES.includes(s.passwordType)) problems.push({ key: 'passwordType', message: `must be one of ${PASSWORD_TYPES.join(', ')}` });
    return problems;
  },
  createTransport(raw) {
    const s = withDefaults(raw);
    const auth: SoapAuth = { type: s.auth as SoapAuth['type'], username: s.username, password: s.password, passwordType: s.passwordType as SoapAuth['passwordType'] };
    return new SoapTransport({ wsdl: s.wsdl!, endpoint: s.url!, auth, timeoutMs: Number(s.timeoutMs), namespace: s.namespace });
  },
};
