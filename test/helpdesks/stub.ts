// A helpdesk API stand-in on 127.0.0.1: Chatwoot's conversation messages (20 a page, older ones
// with ?before=<id>, as MessageFinder answers) and private notes, or Zammad's ticket articles
// (all of them, as index_by_ticket answers) and internal notes. It checks the API token the way
// each helpdesk reads it, records every request, and can answer the next requests with a failure.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagesPage } from './chatwoot-fixtures.js';

export interface StubRequest { method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }

export interface HelpdeskStub {
  url: string;
  token: string;
  requests: StubRequest[];
  /** Conversation (Chatwoot display id) or ticket (Zammad id) → its messages / articles, oldest first. */
  conversations: Map<string, Array<Record<string, unknown>>>;
  /** Notes posted, in order. */
  notes: Array<{ url: string; body: Record<string, unknown> }>;
  /**
   * The next requests matching `match` ("POST /conversations/7/", or a path part for any method)
   * answer these statuses: 0 drops the connection unanswered, -1 does the work and then drops it.
   */
  failNext(match: string, ...statuses: number[]): void;
  close(): Promise<void>;
}

function read(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        resolve(text);
      }
    });
  });
}

const answer = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function startHelpdeskStub(kind: 'chatwoot' | 'zammad', token = 'stub-api-token-123'): Promise<HelpdeskStub> {
  const failures: Array<{ match: string; status: number }> = [];
  const stub: HelpdeskStub = {
    url: '', token, requests: [], conversations: new Map(), notes: [],
    failNext: (match, ...statuses) => failures.push(...statuses.map((status) => ({ match, status }))),
    close: async () => undefined,
  };
  let nextId = 900_000;
  const authorized = (req: http.IncomingMessage) => (kind === 'chatwoot' ? req.headers.api_access_token === token : req.headers.authorization === `Token token=${token}`);

  const server = http.createServer(async (req, res) => {
    const body = await read(req);
    const url = new URL(req.url ?? '/', 'http://stub');
    stub.requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
    const at = failures.findIndex((f) => {
      const [method, part] = /^(GET|POST) /.test(f.match) ? f.match.split(' ') : [undefined, f.match];
      return (!method || method === req.method) && (req.url ?? '').includes(part!);
    });
    const failure = at >= 0 ? failures.splice(at, 1)[0]!.status : undefined;
    if (failure === 0) return req.socket.destroy();
    if (failure !== undefined && failure > 0) return answer(res, failure, { error: `scripted ${failure}` });
    const json = failure === -1 ? () => void req.socket.destroy() : answer;
    if (!authorized(req)) return json(res, 401, { error: 'Invalid Access Token' });

    const chatwoot = /^\/api\/v1\/accounts\/(\d+)\/conversations\/(\d+)\/messages$/.exec(url.pathname);
    const zammadList = /^\/api\/v1\/ticket_articles\/by_ticket\/(\d+)$/.exec(url.pathname);
    if (kind === 'chatwoot' && chatwoot) {
      const list = stub.conversations.get(chatwoot[2]!);
      if (!list) return json(res, 404, { error: 'Resource could not be found' });
      if (req.method === 'POST') {
        const note = { ...(body as Record<string, unknown>), id: nextId++, message_type: 1, created_at: Math.floor(Date.now() / 1000), conversation_id: Number(chatwoot[2]) };
        list.push(note);
        stub.notes.push({ url: url.pathname, body: body as Record<string, unknown> });
        return json(res, 200, note);
      }
      const before = url.searchParams.get('before');
      const older = before ? list.filter((m) => Number(m.id) < Number(before)) : list;
      return json(res, 200, messagesPage(older.slice(-20)));
    }
    if (kind === 'zammad' && zammadList && req.method === 'GET') {
      const list = stub.conversations.get(zammadList[1]!);
      return list ? json(res, 200, list) : json(res, 404, { error: "Couldn't find Ticket" });
    }
    if (kind === 'zammad' && url.pathname === '/api/v1/ticket_articles' && req.method === 'POST') {
      const article = body as Record<string, unknown>;
      const list = stub.conversations.get(String(article.ticket_id));
      if (!list) return json(res, 422, { error: 'ticket not found' });
      const created = { ...article, id: nextId++, sender: 'Agent', created_at: new Date().toISOString() };
      list.push(created);
      stub.notes.push({ url: url.pathname, body: article });
      return json(res, 201, created);
    }
    return json(res, 404, { error: 'no such route in the stub' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}
