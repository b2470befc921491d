// A stateful SOAP CRM service for tests and for embedded mode (CONNECTOR=soap-crm without
// SOAP_URL): node-soap's own server on a dedicated node:http server, behind a small front
// listener that enforces HTTP basic auth and plays injected faults before node-soap sees a call.

import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { listen, type Server as SoapServer } from 'soap';
import { fileURLToPath } from 'node:url';
import { answerShape } from '../../soap/envelope.js';
import { wsseAuthenticator, basicAuthorized, type PeerAuth } from './auth.js';
import { Faults, rawAnswer } from './faults.js';
import { crmService } from './service.js';
import { seededState, type PeerState } from './state.js';

export type { PeerAuth } from './auth.js';
export { SEED } from './state.js';

export interface PeerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  auth?: PeerAuth;
}

export interface SoapCrmPeer {
  /** The SOAP endpoint. */
  url: string;
  /** The WSDL as served, its soap:address pointing at `url`. */
  wsdlUrl: string;
  state: PeerState;
  faults: Faults;
  /** The operation and `traceparent` header of the calls received (last 1000). */
  requests: Array<{ operation: string; traceparent?: string }>;
  close(): Promise<void>;
}

const PATH = '/crm';
/** The contract the peer implements (the soap-crm mapping set reads it from the peer's ?wsdl). */
export const PEER_WSDL = fileURLToPath(new URL('../fixtures/crm.wsdl', import.meta.url));
const NAMESPACE = 'urn:ponte:crm:v1';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The called operation: from SOAPAction ("urn:ponte:crm:v1/GetClient"), else the Body's first element. */
function operationOf(req: IncomingMessage, body: string): string {
  const action = String(req.headers.soapaction ?? '').replace(/"/g, '');
  const fromAction = action.split(/[/#]/).pop();
  if (fromAction) return fromAction;
  const shape = answerShape(body);
  return shape.kind === 'envelope' ? (shape.element?.name ?? '') : '';
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

export async function startSoapCrmPeer(options: PeerOptions = {}): Promise<SoapCrmPeer> {
  const host = options.host ?? '127.0.0.1';
  const state = seededState();
  const faults = new Faults();
  const timers = new Set<NodeJS.Timeout>();
  const requests: SoapCrmPeer['requests'] = [];
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${PATH}`;
  const wsdl = (await readFile(PEER_WSDL, 'utf8')).replace(/(<soap:address location=")[^"]*"/, `$1${url}"`);

  const soapServer = await new Promise<SoapServer>((resolve, reject) => {
    const s = listen(server, PATH, crmService(state), wsdl, (err: unknown) => (err ? reject(err) : resolve(s)));
  });
  if (options.auth?.type === 'wsse') soapServer.authenticate = wsseAuthenticator(options.auth);
  // node-soap replaced the server's 'request' listeners with its own; put the front listener before it.
  const [soapListener] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');

  async function front(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://peer').pathname.replace(/\/+$/, '');
    if (path !== PATH) return send(res, 404, 'text/plain', 'Not Found');
    if (options.auth?.type === 'basic' && !basicAuthorized(req.headers.authorization, options.auth)) {
      // As node-soap's own WS-Security refusal: HTTP 401 carrying a soap:Client fault.
      const refusal = rawAnswer({ type: 'client-fault', message: 'Authentication failed: invalid username or password' }, '', NAMESPACE)!;
      return send(res, 401, refusal.contentType, refusal.body, { 'www-authenticate': 'Basic realm="crm"' });
    }
    if (req.method !== 'POST') return soapListener!(req, res);
    const body = await readBody(req);
    if (!body.length) return send(res, 400, 'text/plain', 'Empty request');
    // node-soap reads an already-read body from req.body (the Express convention).
    Object.assign(req, { body });
    const operation = operationOf(req, body.toString('utf8'));
    const traceparent = req.headers.traceparent;
    requests.push({ operation, ...(typeof traceparent === 'string' ? { traceparent } : {}) });
    if (requests.length > 1000) requests.shift();
    const action = faults.take(operation);
    if (!action) return soapListener!(req, res);
    const raw = rawAnswer(action, operation, NAMESPACE);
    if (raw) return send(res, raw.status, raw.contentType, raw.body);
    switch (action.type) {
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) soapListener!(req, res);
        }, action.ms);
        timers.add(timer);
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'crash-after-create':
        // node-soap stores the case, then finds the connection gone when it writes the answer.
        res.write = (() => (req.socket.destroy(), true)) as typeof res.write;
        res.end = (() => (req.socket.destroy(), res)) as typeof res.end;
        return soapListener!(req, res);
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    front(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'peer failure');
      else res.destroy();
    });
  });

  return {
    url,
    wsdlUrl: `${url}?wsdl`,
    state,
    faults,
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
