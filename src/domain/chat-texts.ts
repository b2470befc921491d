// The system lines written into a chat when it moves (pt-BR: the client and agents read them).

export const CHAT_TEXTS = {
  accepted: (agent: string) => `${agent} iniciou o atendimento.`,
  sentToQueue: (department: string) => `Atendimento enviado para a fila de espera do departamento ${department}.`,
  transferRequested: (from: string, to: string) => `${from} solicitou a transferência do atendimento para ${to}.`,
  transferAccepted: (to: string) => `${to} aceitou a transferência: os agentes podem trocar notas antes de ${to} atender.`,
  transferDeclined: (to: string) => `${to} recusou a transferência.`,
  transferCancelled: (from: string, to: string) => `${from} cancelou a transferência para ${to}.`,
  transferExpired: (to: string, from: string) => `${to} não aceitou a transferência a tempo; o atendimento continua com ${from}.`,
  transferred: (to: string) => `Atendimento transferido para ${to}.`,
  transferredBack: (to: string) => `Atendimento transferido de volta para ${to}.`,
  closeInvite: 'O agente deseja encerrar o atendimento. Você deseja encerrá-lo? Responda sim ou não.',
  closeInviteDeclined: 'O cliente deseja continuar o atendimento.',
  closeInviteCancelled: 'O cliente continuou a conversa: o encerramento automático foi cancelado.',
  filesSent: (who: string | null, files: Array<{ filename: string; size: number }>) =>
    `${who ?? 'Arquivo'} ${who ? 'enviou' : 'enviado'}: ${files.map((f) => `${f.filename} (${formatSize(f.size)})`).join(', ')}.`,
  closed: {
    agent: 'Atendimento encerrado pelo agente.',
    client: 'Atendimento encerrado a pedido do cliente.',
    timeout: 'Atendimento encerrado: o convite de encerramento não foi respondido.',
  },
} as const;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace('.', ',')} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

export type CloseReason = keyof typeof CHAT_TEXTS.closed;
