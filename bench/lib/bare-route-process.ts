// The ingest baseline in a process of its own: a bare Fastify JSON route (Fastify's default
// JSON parser, as ponte's), answering with the body's size. Sends { url } over IPC once listening.
// Run by bench/lib/processes.ts: node --import tsx bench/lib/bare-route-process.ts

import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

const app = Fastify({ logger: false });
app.post('/bare', async (request) => ({ ok: true, size: JSON.stringify(request.body).length }));
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as AddressInfo;

const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.send!({ id: 0, url: `http://127.0.0.1:${port}/bare` });
