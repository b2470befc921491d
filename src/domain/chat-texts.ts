// The system lines written into a chat when it moves (pt-BR: the client and agents read them).

export const CHAT_TEXTS = {
  accepted: (agent: string) => `${agent} iniciou o atendimento.`,
  sentToQueue: (department: string) => `Atendimento enviado para a fila de espera do departamento ${department}.`,
  transferRequested: (from: string, to: string) => `${from} solicitou a transferência do atendimento para ${to}.`,
  transferDeclined: (to: string) => `${to} recusou a transferência.`,
  transferred: (to: string) => `Atendimento transferido para ${to}.`,
  transferredBack: (to: string) => `Atendimento transferido de volta para ${to}.`,
  closeInvite: 'O agente deseja encerrar o atendimento. Você deseja encerrá-lo? Responda sim ou não.',
  closeInviteDeclined: 'O cliente deseja continuar o atendimento.',
  closed: {
    agent: 'Atendimento encerrado pelo agente.',
    client: 'Atendimento encerrado a pedido do cliente.',
    timeout: 'Atendimento encerrado: o convite de encerramento não foi respondido.',
  },
} as const;

export type CloseReason = keyof typeof CHAT_TEXTS.closed;
