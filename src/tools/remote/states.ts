// Pure rules of a remote-access session's state: which reported state is a change, and the
// system line each change writes in the chat (user-facing text stays Portuguese, as the screen).

import type { RemoteState } from '../contracts.js';

export const FINAL_REMOTE_STATES: readonly RemoteState[] = ['ended', 'failed'];

/**
 * The state to move to when the provider reports `reported`, or null when nothing changes:
 * a final state stays final, and a late "waiting" after "connected" is a stale report
 * (pull and push can cross).
 */
export function nextRemoteState(current: RemoteState, reported: RemoteState): RemoteState | null {
  if (current === reported || FINAL_REMOTE_STATES.includes(current)) return null;
  if (current === 'connected' && reported === 'waiting') return null;
  return reported;
}

export function isFinalRemoteState(state: RemoteState): boolean {
  return FINAL_REMOTE_STATES.includes(state);
}

export function remoteCreatedText(accessCode: string, link: string): string {
  return `Acesso remoto criado. Código de acesso: ${accessCode} – ${link}`;
}

export function remoteStateText(state: RemoteState, error?: { message: string }): string {
  switch (state) {
    case 'waiting':
      return 'Acesso remoto aguardando conexão.';
    case 'connected':
      return 'Acesso remoto conectado.';
    case 'ended':
      return 'Acesso remoto encerrado.';
    case 'failed':
      return `Falha no acesso remoto: ${error?.message ?? 'o provedor informou uma falha.'}`;
  }
}
