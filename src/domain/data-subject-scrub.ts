// Replacing a person's data by stable placeholders, as pure functions: identifiers inside any
// text (e-mails, names, CPF/CNPJ and phones in every formatting) become the same pseudonym
// everywhere, and free-text fields of the person's own records become one placeholder.

import { mentionPattern, type Identifiers } from './data-subject.js';

export const PLACEHOLDER = '[anonimizado]';

/** Keys of JSON values that hold free text (opinions, messages, ERP exchanges, file names). */
export const FREE_TEXT_KEYS = new Set([
  'text', 'html', 'quoted', 'description', 'opinion', 'advanceOpinion', 'historyExcerpt', 'contactPerson',
  'subject', 'request', 'response', 'body', 'message', 'rawText', 'filename', 'excerpt', 'authorName', 'note',
]);

/** What one person is known by, as collected from their records. */
export interface Known extends Pick<Identifiers, 'emails' | 'taxIds' | 'phones'> {
  names: string[];
  companyNames: string[];
}

export interface Pseudonyms { email: string; name: string; companyName: string; phone: string; taxId: string }

/** The person's placeholders, the same in every table (`token` comes from the erasure id). */
export function pseudonymsFor(token: string): Pseudonyms {
  return {
    email: `titular-${token}@anonimizado.invalid`,
    name: `Titular ${token}`,
    companyName: `Empresa ${token}`,
    phone: '[telefone removido]',
    taxId: '[CPF/CNPJ removido]',
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Names match whatever the spacing; names shorter than 3 letters are never looked for. */
const namePattern = (names: string[]) => names.filter((n) => n.trim().length >= 3).map((n) => escape(n.trim()).replace(/\s+/g, '\\s+'));

export class Scrubber {
  private readonly rules: Array<{ re: RegExp; to: string }> = [];

  constructor(known: Known, readonly pseudonyms: Pseudonyms) {
    const add = (source: string | null, to: string) => {
      if (source) this.rules.push({ re: new RegExp(source, 'giu'), to });
    };
    add(mentionPattern({ emails: known.emails, taxIds: [], phones: [] }), pseudonyms.email);
    add(mentionPattern({ emails: [], taxIds: known.taxIds, phones: [] }), pseudonyms.taxId);
    add(mentionPattern({ emails: [], taxIds: [], phones: known.phones }), pseudonyms.phone);
    // Longest first, so "Maria Clara Souza" is replaced whole before "Maria Clara".
    const byLength = (list: string[]) => [...new Set(list)].sort((a, b) => b.length - a.length);
    add(namePattern(byLength(known.companyNames)).join('|') || null, pseudonyms.companyName);
    add(namePattern(byLength(known.names)).join('|') || null, pseudonyms.name);
  }

  /** The text with every identifier replaced by its pseudonym. */
  text(value: string): string {
    return this.rules.reduce((s, { re, to }) => s.replace(re, to), value);
  }

  /** Every string inside a JSON value scrubbed (keys too); the structure kept. */
  json<T>(value: T): T {
    return this.walk(value, false) as T;
  }

  /**
   * A JSON value of the person's own record: free-text keys (FREE_TEXT_KEYS) become the
   * placeholder whatever they hold, every other string is scrubbed.
   */
  ownJson<T>(value: T): T {
    return this.walk(value, true) as T;
  }

  private walk(value: unknown, own: boolean): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, own));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [
        this.text(k),
        own && FREE_TEXT_KEYS.has(k) && v !== null && v !== '' ? PLACEHOLDER : this.walk(v, own),
      ]));
    }
    return value;
  }
}
