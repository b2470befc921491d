// What a connection gets when Node refuses its request before Fastify sees it (a header block
// over MAX_HEADER_BYTES, a request past its time-out, bytes that are not HTTP): the API's one
// error shape and a request id, as every other answer has, instead of Fastify's own body.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

const REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are over the size this server accepts (MAX_HEADER_BYTES)' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request was not received in time (REQUEST_TIMEOUT_MS)' },
};
const MALFORMED = { status: 400, code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' };

export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = (err.code ? REFUSALS[err.code] : undefined) ?? MALFORMED;
  this.log.debug({ code: err.code, status: refusal.status }, 'request refused before routing');
  if (socket.writable) {
    const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message, details: [] } });
    socket.write(
      `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
