// SOAP arguments in the order the WSDL's sequences give, at every depth (strict services reject
// another order), and answers as plain JSON (node-soap's {$value, attributes} text nodes read as
// their text).

import type { Described } from './client.js';

const META = new Set(['targetNSAlias', 'targetNamespace']);

function childOf(described: Described, name: string): string | Described | undefined {
  return described[name] ?? described[`${name}[]`];
}

/** The arguments ordered as `described`; names the WSDL does not know are kept, last. */
export function orderArguments(args: unknown, described: string | Described | undefined): unknown {
  if (Array.isArray(args)) return args.map((a) => orderArguments(a, described));
  if (typeof args !== 'object' || args === null || typeof described !== 'object') return args;
  const value = args as Record<string, unknown>;
  const order = Object.keys(described).filter((k) => !META.has(k)).map((k) => k.replace(/\[\]$/, ''));
  const known = order.filter((k) => k in value).map((k) => [k, orderArguments(value[k], childOf(described, k))] as const);
  const rest = Object.entries(value).filter(([k]) => !order.includes(k));
  return Object.fromEntries([...known, ...rest]);
}

/** Whether the dotted `path` names elements the answer tree declares. */
export function declares(described: Described, path: string): boolean {
  let node: string | Described | undefined = described;
  for (const step of path.split('.')) {
    if (typeof node !== 'object') return false;
    node = childOf(node, step);
    if (node === undefined) return false;
  }
  return true;
}

/** node-soap's parsed answer as plain JSON: text nodes with attributes read as their text, attributes dropped. */
export function plainAnswer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainAnswer);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  if ('$value' in o) return plainAnswer(o.$value);
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'attributes').map(([k, v]) => [k, plainAnswer(v)]));
}
