// Redaction of ERP exchanges and messages: exchanges are stored with the integration attempt and
// shown to admins, so no password, client secret, token, API key or nonce may reach them — not
// even when an ERP echoes the request back inside an error.

export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear (token forms and answers, headers, arguments). */
const SECRET_KEY = /password|senha|secret|token|authorization|nonce|api[-_]?key/i;
const PASSWORD_ELEMENT = /(<(?:[\w.-]+:)?Password\b[^>]*>)[\s\S]*?(<\/(?:[\w.-]+:)?Password>)/g;
const BASIC_CREDENTIALS = /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._-]{4,}/g;
/** Long bodies (an HTML error page, a long transcript) are cut: the trace is for diagnosis. */
const MAX_TEXT = 2000;

export type Redact = (value: unknown) => unknown;

/** A redactor that also blanks the configured secrets wherever they appear verbatim. */
export function redactor(secrets: readonly (string | undefined)[]): Redact {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 3);
  const text = (s: string): string => {
    let out = s.replace(PASSWORD_ELEMENT, `$1${REDACTED}$2`).replace(BASIC_CREDENTIALS, `$1 ${REDACTED}`);
    for (const secret of known) out = out.split(secret).join(REDACTED);
    return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}… [${out.length - MAX_TEXT} more characters]` : out;
  };
  const redact: Redact = (value) => {
    if (typeof value === 'string') return text(value);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (value instanceof URLSearchParams) return redact(Object.fromEntries(value));
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]));
    }
    return value;
  };
  return redact;
}
