// The internal note ponte adds to a helpdesk conversation: what became of its ERP integration,
// in the words the support team reads (pt-BR). Pure: the caller has the facts.

export type NoteKind = 'integration.succeeded' | 'integration.failed' | 'integration.dead' | 'integration.missing';

export interface IntegrationFacts {
  integrationId: string;
  erpProcessNumber?: string | null;
  linkedProcess?: boolean;
  errorCode?: string | null;
  errorMessage?: string | null;
  attempts?: number;
}

const FIELD_LABELS: Record<string, string> = {
  clientCode: 'código do cliente',
  productId: 'produto',
  caseTypeId: 'tipo de atendimento',
  closeCase: 'encerrar atendimento',
  subject: 'assunto',
  responsibilityCenterId: 'centro de responsabilidade',
  nextContact: 'próximo contato',
  standardOpinionId: 'parecer padrão',
  priority: 'prioritário',
};

const cut = (s: string | null | undefined, n = 500) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s ?? '');

/** A field path of the integration request (nextContact.date) as the team calls it. */
export function fieldLabel(path: string): string {
  const root = path.split('.')[0]!;
  return FIELD_LABELS[root] ?? path;
}

export function integrationNote(kind: Exclude<NoteKind, 'integration.missing'>, f: IntegrationFacts): string {
  const ref = `(ponte, integração ${f.integrationId})`;
  const error = `${f.errorCode ?? 'ERRO'}: ${cut(f.errorMessage) || 'sem detalhe'}`;
  switch (kind) {
    case 'integration.succeeded':
      return f.linkedProcess
        ? `Integração com o ERP concluída: parecer adicionado ao atendimento nº ${f.erpProcessNumber}. ${ref}`
        : `Integração com o ERP concluída: atendimento nº ${f.erpProcessNumber} criado. ${ref}`;
    case 'integration.failed':
      return `Integração com o ERP falhou e aguarda um administrador — ${error}. Corrija o que o erro aponta e reprocesse a integração no ponte. ${ref}`;
    case 'integration.dead':
      return `Integração com o ERP desistiu depois de ${f.attempts ?? 'várias'} tentativas sem resposta — ${error}. Quando o ERP voltar, um administrador deve reprocessá-la no ponte. ${ref}`;
  }
}

/** The conversation arrived without the fields an integration needs (or with some the ERP refuses). */
export function missingIntegrationNote(chatId: string, problems: Array<{ path?: string; message: string }>): string {
  const missing = problems.filter((p) => p.message === 'is required').map((p) => fieldLabel(p.path ?? ''));
  const refused = problems.filter((p) => p.message !== 'is required').map((p) => `${fieldLabel(p.path ?? '')}: ${cut(p.message, 200)}`);
  const parts = [
    missing.length ? `faltam ${[...new Set(missing)].join(', ')}` : '',
    refused.length ? `o ERP não aceita ${refused.join('; ')}` : '',
  ].filter(Boolean);
  return `Conversa recebida pelo ponte sem integração com o ERP (${parts.join('; ')}). Complete o formulário de integração do atendimento no ponte. (ponte, chat ${chatId})`;
}
