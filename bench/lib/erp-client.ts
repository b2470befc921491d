// One Bimer case create against the sandbox, and nothing else: the call the ERP-inclusive
// baseline's job makes. The token is obtained once (Bimer's password grant).

import { createHash, randomUUID } from 'node:crypto';
import { SANDBOX_CREDENTIALS } from '../../connectors/bimer/sandbox/server.js';

export async function sandboxToken(sandboxUrl: string): Promise<string> {
  const { clientId, clientSecret, username, password } = SANDBOX_CREDENTIALS;
  const nonce = randomUUID();
  const form = new URLSearchParams({ grant_type: 'password', client_id: clientId, client_secret: clientSecret, username, nonce, password: createHash('md5').update(username + nonce + password).digest('hex') });
  const res = await fetch(`${sandboxUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  if (!res.ok) throw new Error(`sandbox token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** POST /api/crm/atendimentos with the case a bench session's integration makes (fetch keeps the connection alive). */
export async function createCase(sandboxUrl: string, token: string, reference: string): Promise<void> {
  const res = await fetch(`${sandboxUrl}/api/crm/atendimentos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      CodigoCliente: '000012', IdentificadorProduto: '00A0000011', IdentificadorTipoAtendimento: '00A0000021', Assunto: 'Bench',
      Parecer: 'Mensagem 0: a nota fiscal eletrônica foi rejeitada pela SEFAZ, vamos verificar o certificado.', Encerrar: true, Prioritario: false,
      IdentificadorCentroResponsabilidade: '00A0000051', ReferenciaExterna: reference,
    }),
  });
  if (!res.ok) throw new Error(`sandbox create: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}
