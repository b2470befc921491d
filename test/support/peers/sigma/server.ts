// Sigma ERP's SOAP service for tests: node-soap's own server on a node:http server, with a front
// listener that checks WS-Security (digest; a Created older than five minutes is wsu:MessageExpired,
// a nonce seen before wsse:FailedAuthentication, as WSS services do), refuses requests whose
// elements break the WSDL's sequences (as strict .NET services do), and plays injected faults.

import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { listen, type Server as SoapServer } from 'soap';
import { wsseAuthenticator } from '../../../../connectors/soap-crm/peer/auth.js';
import { sigmaService } from './service.js';
import { SigmaState } from './state.js';

export { SIGMA_SEED } from './state.js';

export const SIGMA_WSDL = fileURLToPath(new URL('./sigma.wsdl', import.meta.url));
/** The mapping sets ponte reads (ERP_MAPPINGS_DIR) to reach this ERP. */
export const SIGMA_MAPPINGS = fileURLToPath(new URL('./mappings', import.meta.url));
export const SIGMA_CREDENTIALS = { username: 'ponte', password: 'sigma-peer-secret' };
const PATH = '/sigma/Atendimento.asmx';
const NS = 'http://sigma.exemplo.com.br/crm/2024';

export type SigmaFault = 'server-fault' | 'client-fault' | 'html' | 'malformed' | 'delay' | 'crash-after-create' | 'refuse' | 'token-expired';

/** How long a UsernameToken's Created stays acceptable. */
const TOKEN_MAX_AGE_MS = 5 * 60_000;

/** Element order each request must keep (optional ones may be absent, repeated ones repeat). */
const SEQUENCES: Record<string, string[]> = {
  AbrirAtendimento: ['AbrirAtendimento', 'Solicitacao', 'Cliente', 'Codigo', 'Produto', 'Codigo', 'Tipo', 'Codigo', 'Assunto', 'Descricao', 'Contato', 'Encerramento', 'Encerrar', 'CentroCusto', 'Retorno', 'Data', 'Responsavel', 'Urgente', 'Protocolo'],
  AtualizarAtendimento: ['AtualizarAtendimento', 'Numero', 'Encerramento', 'Encerrar', 'CentroCusto', 'Retorno', 'Data', 'Responsavel', 'Urgente', 'Protocolo'],
  Notificar: ['Notificar', 'Numero', 'Destinatarios', 'Login', 'Email', 'Protocolo'],
};

function inOrder(xml: string, expected: string[]): boolean {
  const body = xml.slice(xml.search(/<(?:[\w.-]+:)?Body\b[^>]*>/));
  const names = [...body.matchAll(/<(?:[\w.-]+:)?([\w.-]+)[\s/>]/g)].map((m) => m[1]!).filter((n) => n !== 'Body');
  let at = 0;
  for (const name of names) {
    const found = expected.indexOf(name, at);
    if (found < 0) return false;
    at = found;
  }
  return true;
}

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
/** A fault; `code` is qualified: soap:Client, soap:Server, wsu:MessageExpired, wsse:FailedAuthentication. */
const fault = (code: string, message: string) => envelope(`<soap:Fault><faultcode>${code}</faultcode><faultstring>${message}</faultstring></soap:Fault>`);

/** The UsernameToken's nonce and Created, as sent. */
function tokenOf(xml: string): { nonce?: string; created?: string } {
  const token = /<(?:[\w.-]+:)?UsernameToken\b[\s\S]*?<\/(?:[\w.-]+:)?UsernameToken>/.exec(xml)?.[0] ?? '';
  const nonce = /<(?:[\w.-]+:)?Nonce\b[^>]*>([^<]*)</.exec(token)?.[1];
  const created = /<(?:[\w.-]+:)?Created\b[^>]*>([^<]*)</.exec(token)?.[1];
  return { ...(nonce ? { nonce } : {}), ...(created ? { created } : {}) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface SigmaPeer {
  url: string;
  wsdlUrl: string;
  state: SigmaState;
  /** Every SOAP request: its operation, trace header and UsernameToken nonce/Created. */
  requests: Array<{ operation: string; traceparent?: string; nonce?: string; created?: string }>;
  inject(operation: string, fault: SigmaFault, times?: number): void;
  close(): Promise<void>;
}

export async function startSigmaPeer(): Promise<SigmaPeer> {
  const state = new SigmaState();
  const faults: Array<{ operation: string; kind: SigmaFault; left: number }> = [];
  const requests: SigmaPeer['requests'] = [];
  const nonces = new Set<string>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  const wsdl = (await readFile(SIGMA_WSDL, 'utf8')).replace(/(<soap:address location=")[^"]*"/, `$1${url}"`);
  const soap = await new Promise<SoapServer>((resolve, reject) => {
    const s = listen(server, PATH, sigmaService(state), wsdl, (err: unknown) => (err ? reject(err) : resolve(s)));
  });
  soap.authenticate = wsseAuthenticator({ type: 'wsse', ...SIGMA_CREDENTIALS });
  const [handle] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const send = (res: ServerResponse, status: number, type: string, body: string): void => void res.writeHead(status, { 'content-type': type }).end(body);

  async function front(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return void handle!(req, res);
    const raw = await readBody(req);
    Object.assign(req, { body: raw });
    const operation = String(req.headers.soapaction ?? '').replace(/"/g, '').split('/').pop() ?? '';
    const xml = raw.toString('utf8');
    const token = tokenOf(xml);
    requests.push({ operation, ...(typeof req.headers.traceparent === 'string' ? { traceparent: req.headers.traceparent } : {}), ...token });
    if (token.created && Date.now() - Date.parse(token.created) > TOKEN_MAX_AGE_MS) return send(res, 500, 'text/xml', fault('wsu:MessageExpired', 'O token de segurança expirou'));
    if (token.nonce && nonces.has(token.nonce)) return send(res, 500, 'text/xml', fault('wsse:FailedAuthentication', 'Nonce já utilizado'));
    if (token.nonce) nonces.add(token.nonce);
    const sequence = SEQUENCES[operation];
    if (sequence && !inOrder(xml, sequence)) return send(res, 500, 'text/xml', fault('soap:Client', `${operation}: elementos fora da ordem definida no WSDL`));
    const armed = faults.find((f) => f.operation === operation);
    if (armed && --armed.left <= 0) faults.splice(faults.indexOf(armed), 1);
    switch (armed?.kind) {
      case 'server-fault':
        return send(res, 500, 'text/xml', fault('soap:Server', 'Banco de dados indisponível'));
      case 'client-fault':
        return send(res, 500, 'text/xml', fault('soap:Client', 'Requisição inválida'));
      case 'token-expired':
        return send(res, 500, 'text/xml', fault('wsu:MessageExpired', 'O token de segurança expirou'));
      case 'html':
        return send(res, 502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');
      case 'malformed':
        return send(res, 200, 'text/xml', envelope(`<${operation}Response xmlns="${NS}"><${operation}Result><Sucesso>tr`).replace('</soap:Body></soap:Envelope>', ''));
      case 'refuse':
        state.refusals += 1;
        break;
      case 'delay':
        await new Promise((r) => setTimeout(r, 1500));
        if (res.destroyed) return;
        break;
      case 'crash-after-create':
        res.write = (() => (req.socket.destroy(), true)) as typeof res.write;
        res.end = (() => (req.socket.destroy(), res)) as typeof res.end;
        break;
    }
    handle!(req, res);
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    front(req, res).catch(() => (res.headersSent ? res.destroy() : send(res, 500, 'text/plain', 'peer failure')));
  });
  return {
    url,
    wsdlUrl: `${url}?wsdl`,
    state,
    requests,
    inject: (operation, kind, times = 1) => void faults.push({ operation, kind, left: times }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
