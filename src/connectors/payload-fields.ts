// Which field of a neutral record a payload value came from, so a payload problem can name the
// request field (`subject`) rather than the ERP's (`Assunto`): the record's only leaf holding
// the same value. Ambiguous or transformed values (a zero-padded code) name none.

type Leaf = string | number | boolean;

function leaves(value: unknown, prefix: string, out: Array<[string, Leaf]>): Array<[string, Leaf]> {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push([prefix, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/** The value at a dotted path with [n] indexes ("Cliente.Codigo", "Emails[1]"). */
export function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function neutralFieldOf(record: unknown, payload: unknown, payloadPath: string): string | undefined {
  const value = valueAt(payload, payloadPath);
  // Booleans and short values repeat too often to say where they came from.
  if (typeof value !== 'string' || value.length < 2) return undefined;
  const matches = leaves(record, '', []).filter(([, v]) => v === value);
  return matches.length === 1 ? matches[0]![0] : undefined;
}
