// The sandbox's answers, always in Bimer's envelope: the list, or the Erros the real ERP sends.

export interface Problem { field: string; message: string }

export interface Envelope {
  Erros: Array<{ ErrorCode: string; ErrorMessage: string; PossibleCause?: string }>;
  ListaObjetos: unknown[];
}

export const ok = (list: unknown[]): Envelope => ({ Erros: [], ListaObjetos: list });

export const erro = (ErrorCode: string, ErrorMessage: string, PossibleCause?: string): Envelope => ({
  Erros: [{ ErrorCode, ErrorMessage, PossibleCause }],
  ListaObjetos: [],
});

/** Bimer answers "not found" with HTTP 400 and C01. */
export const notFound = (what: string, id: string): Envelope => erro('C01', `${what} não encontrado`, `${what} ${id} não está cadastrado`);

/** "-1" with PossibleCause starting with the field name, as the real ERP words it. */
export const invalid = (problems: Problem[]): Envelope => ({
  Erros: problems.map((p) => ({ ErrorCode: '-1', ErrorMessage: 'Os dados informados são inválidos', PossibleCause: `${p.field}: ${p.message}` })),
  ListaObjetos: [],
});

export const tokenInvalid = (): Envelope => erro('T01', 'Token inválido ou expirado', 'Obtenha um novo token em /oauth/token');
