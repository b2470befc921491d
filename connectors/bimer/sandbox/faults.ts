// Fault injection: the next N requests matching a method and a path answer with a failure
// the real ERP (or what stands in front of it) produces, so tests prove the error table.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { erro, tokenInvalid } from './answers.js';

export type FaultAction =
  /** An HTTP error status (5xx usually), in the envelope with an unknown ErrorCode or as plain text. */
  | { type: 'status'; status: number; envelope?: boolean }
  /** Wait, then answer normally (beyond the client's timeout, the client gives up). */
  | { type: 'delay'; ms: number }
  /** 401 with Erros [{ErrorCode: "T01"}], as for an expired token. */
  | { type: 'token-expired' }
  /** A bare 401 without the envelope. */
  | { type: 'unauthorized' }
  | { type: 'rate-limit'; retryAfterSeconds: number }
  /** ErrorCode "-1" naming `field` (status 400 unless given: Bimer also sends it with 500). */
  | { type: 'validation'; field: string; message?: string; status?: number }
  /** An HTML page, like a proxy's or a maintenance page (status 200 unless given). */
  | { type: 'html'; status?: number }
  /** The connection is destroyed without an answer. */
  | { type: 'reset' }
  /** The request is processed (the case is created), then the answer is lost: a 500 or a reset. */
  | { type: 'crash-after-create'; then: 'status' | 'reset' };

export interface FaultRule {
  /** Any method when absent. */
  method?: string;
  /** A string matches as a prefix of the path (query excluded); a RegExp is tested on the whole URL. */
  path: string | RegExp;
  /** How many matching requests it hits (default 1). */
  times?: number;
  action: FaultAction;
}

interface ArmedRule extends FaultRule { left: number }

export class Faults {
  private rules: ArmedRule[] = [];
  private readonly crashing = new WeakMap<FastifyRequest, Extract<FaultAction, { type: 'crash-after-create' }>>();

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules that still have hits left. */
  pending(): FaultRule[] {
    return this.rules.map(({ left, ...rule }) => ({ ...rule, times: left }));
  }

  take(method: string, url: string): FaultAction | undefined {
    const path = url.split('?')[0]!;
    const rule = this.rules.find(
      (r) => (!r.method || r.method.toUpperCase() === method) && (typeof r.path === 'string' ? path.startsWith(r.path) : r.path.test(url)),
    );
    if (!rule) return undefined;
    if (--rule.left <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.action;
  }

  /** Adds the hooks that apply the faults to every route but /__sandbox. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/__sandbox')) return;
      const action = this.take(request.method, request.url);
      if (action) return this.apply(action, request, reply);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const crash = this.crashing.get(request);
      if (!crash) return payload;
      if (crash.then === 'reset') {
        request.raw.socket.destroy();
        return payload;
      }
      reply.code(500).header('content-type', 'text/plain; charset=utf-8');
      return 'Internal Server Error';
    });
  }

  private async apply(action: FaultAction, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    switch (action.type) {
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, action.ms));
        return undefined;
      case 'crash-after-create':
        this.crashing.set(request, action);
        return undefined;
      case 'reset':
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      case 'status':
        return action.envelope
          ? reply.code(action.status).send(erro('E500', 'Erro interno do servidor', 'Falha inesperada no ERP'))
          : reply.code(action.status).type('text/plain; charset=utf-8').send('Internal Server Error');
      case 'token-expired':
        return reply.code(401).send(tokenInvalid());
      case 'unauthorized':
        return reply.code(401).type('text/plain; charset=utf-8').send('Unauthorized');
      case 'rate-limit':
        return reply.code(429).header('retry-after', String(action.retryAfterSeconds)).send(erro('429', 'Limite de requisições excedido'));
      case 'validation':
        return reply.code(action.status ?? 400).send(erro('-1', 'Os dados informados são inválidos', `${action.field}: ${action.message ?? 'valor inválido'}`));
      case 'html':
        return reply
          .code(action.status ?? 200)
          .type('text/html; charset=utf-8')
          .send('<!DOCTYPE html><html><head><title>Manutenção</title></head><body><h1>Sistema em manutenção</h1></body></html>');
    }
  }
}
