// Reads what node-soap does not check in an answer: whether it is a SOAP envelope at all, which
// element (local name + namespace) its Body carries, and the fault it reports. node-soap matches
// body elements by local name only and resolves another operation's answer, an empty body or an
// element from a foreign namespace as success; the connector must refuse those itself.

import type { Fault } from '../../src/connectors/kinds.js';

export interface BodyElement {
  name: string;
  namespace: string | undefined;
}

export type AnswerShape =
  /** No Envelope at all: an HTML error page, plain text, JSON, an empty body. */
  | { kind: 'not-soap' }
  /** An envelope; `element` is the first element inside Body (absent when Body is empty or missing). */
  | { kind: 'envelope'; element?: BodyElement };


const ENVELOPE_OPEN = /<(?:([\w.-]+):)?Envelope\b([^>]*)>/;
const FIRST_ELEMENT = /(?:\s|<!--[\s\S]*?-->)*<(?:([\w.-]+):)?([\w.-]+)\b([^>]*)>/y;
const NS_DECLARATION = /xmlns(?::([\w.-]+))?\s*=\s*(["'])(.*?)\2/g;

function declarations(attributes: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of attributes.matchAll(NS_DECLARATION)) found.set(m[1] ?? '', m[3] ?? '');
  return found;
}

/** Whether the text looks like a SOAP envelope (even a broken one). */
export function looksLikeEnvelope(text: unknown): boolean {
  return typeof text === 'string' && ENVELOPE_OPEN.test(text);
}

export function answerShape(text: unknown): AnswerShape {
  if (typeof text !== 'string') return { kind: 'not-soap' };
  const envelope = ENVELOPE_OPEN.exec(text);
  if (!envelope) return { kind: 'not-soap' };
  // The Body follows the Envelope and an optional Header, with the Envelope's prefix (a Header
  // entry that happens to be called Body has another one).
  const prefix = envelope[1] ? `${envelope[1].replace(/\./g, '\\.')}:` : '';
  const bodyOpen = new RegExp(`<${prefix}Body\\b([^>]*?)(\\/?)>`, 'g');
  bodyOpen.lastIndex = envelope.index + envelope[0].length;
  const body = bodyOpen.exec(text);
  if (!body || body[2] === '/') return { kind: 'envelope' };
  FIRST_ELEMENT.lastIndex = body.index + body[0].length;
  const first = FIRST_ELEMENT.exec(text);
  if (!first || first[2] === undefined) return { kind: 'envelope' };
  const elementPrefix = first[1] ?? '';
  // Innermost declaration wins: the element itself, then Body, then Envelope.
  const scopes = [first[3] ?? '', body[1] ?? '', envelope[2] ?? ''].map(declarations);
  const namespace = scopes.find((s) => s.has(elementPrefix))?.get(elementPrefix);
  return { kind: 'envelope', element: { name: first[2], namespace } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A text node as node-soap parses it: a string, or `{ $value }` when the element had attributes. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (isObject(v) && (typeof v.$value === 'string' || typeof v.$value === 'number')) return String(v.$value);
  return undefined;
}

const localCode = (qname: string): string => (qname.split(':').pop() ?? qname).split('.')[0]!.trim();

/** The fault in node-soap's parsed envelope (`err.root`), SOAP 1.1 or 1.2; undefined when none. */
export function faultOf(root: unknown): Fault | undefined {
  const envelope = isObject(root) ? root.Envelope : undefined;
  const body = isObject(envelope) ? envelope.Body : undefined;
  const fault = isObject(body) ? body.Fault : undefined;
  if (!isObject(fault)) return undefined;
  // SOAP 1.1: faultcode / faultstring.
  const code11 = text(fault.faultcode);
  if (code11 !== undefined) return { code: localCode(code11), reason: text(fault.faultstring) ?? '', ...(fault.detail !== undefined ? { detail: fault.detail } : {}) };
  // SOAP 1.2: Code/Value, Reason/Text.
  const code12 = isObject(fault.Code) ? text(fault.Code.Value) : undefined;
  const reason12 = isObject(fault.Reason) ? text(fault.Reason.Text) : undefined;
  return { code: localCode(code12 ?? ''), reason: reason12 ?? '', ...(fault.Detail !== undefined ? { detail: fault.Detail } : {}) };
}
