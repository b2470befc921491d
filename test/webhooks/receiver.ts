// A helpdesk stand-in for webhook tests: a node:http server on 127.0.0.1 that records every
// request and answers with the next scripted status (the last one repeats).

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { headers: Record<string, string>; body: string; answered: number }

export interface Receiver {
  url: string;
  requests: Received[];
  /** Called before answering (tests use it to move an injected clock). */
  onRequest?: (r: Received) => void;
  close(): Promise<void>;
}

export async function startReceiver(statuses: number[] = [200]): Promise<Receiver> {
  const script = [...statuses];
  const receiver: Receiver = { url: '', requests: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = script.length > 1 ? script.shift()! : script[0]!;
      const r: Received = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), answered: status };
      receiver.requests.push(r);
      receiver.onRequest?.(r);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `failure ${status} ${'x'.repeat(3000)}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

/** A URL where nothing listens (a receiver that is down). */
export async function downUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}
