// Bimer's answer envelope, `{ Erros: [...], ListaObjetos: [...] }`: recognising it and reading it.

export interface BimerErro {
  ErrorCode: string;
  ErrorMessage?: string;
  PossibleCause?: string;
}

export interface BimerEnvelope {
  Erros: BimerErro[];
  ListaObjetos: unknown[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const optionalText = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** The envelope, or undefined when the body is something else (an HTML proxy page, a bare object). */
export function asEnvelope(data: unknown): BimerEnvelope | undefined {
  if (!isObject(data) || !('Erros' in data || 'ListaObjetos' in data)) return undefined;
  const { Erros, ListaObjetos } = data;
  // Both fields may be null in real answers; anything else than an array means it is not the envelope.
  if ((Erros != null && !Array.isArray(Erros)) || (ListaObjetos != null && !Array.isArray(ListaObjetos))) return undefined;
  const erros = ((Erros ?? []) as unknown[]).map((e): BimerErro => {
    const o = isObject(e) ? e : {};
    // ErrorCode arrives as "-1" or -1 depending on the ERP version.
    return { ErrorCode: optionalText(o.ErrorCode) ?? '', ErrorMessage: optionalText(o.ErrorMessage), PossibleCause: optionalText(o.PossibleCause) };
  });
  return { Erros: erros, ListaObjetos: (ListaObjetos ?? []) as unknown[] };
}

export function erpErrorCodes(data: unknown): string[] {
  return asEnvelope(data)?.Erros.map((e) => e.ErrorCode) ?? [];
}
