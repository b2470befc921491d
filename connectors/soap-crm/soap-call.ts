// One SOAP call: the operation named by config, a whole-call deadline, the answer checked against
// the WSDL (node-soap alone accepts another operation's answer or a foreign namespace), the
// exchange traced redacted, and every failure a classified ConnectorError.

import { randomUUID } from 'node:crypto';
import type { Client, SoapMethodAsync } from 'soap';
import type { CallContext, ConnectorLogger } from '../../src/connectors/contract.js';
import { ConnectorError } from '../../src/errors.js';
import type { CrmCall } from './config.js';
import { checkAnswer, classifyFailure, fail, RULES } from './errors.js';
import { openClient, operationContract, orderArguments, type OperationContract, type SoapTarget } from './soap-client.js';
import { recordExchange, redactor, type ExchangeSeen, type Redact } from './trace.js';

export class SoapCalls {
  private client: Promise<Client> | undefined;
  private readonly contracts = new Map<string, OperationContract | undefined>();
  private readonly statuses = new Map<string, number>();
  private readonly redact: Redact;

  constructor(
    private readonly target: SoapTarget,
    private readonly operations: Record<CrmCall, string>,
    private readonly log: ConnectorLogger,
  ) {
    const auth = target.auth;
    this.redact = redactor(auth.type === 'none' ? [] : [auth.password]);
  }

  /** Calls the SOAP operation configured for `call`; resolves with node-soap's parsed answer. */
  async call(call: CrmCall, args: Record<string, unknown>, ctx?: CallContext): Promise<unknown> {
    const operation = this.operations[call];
    const started = performance.now();
    const seen: Omit<ExchangeSeen, 'durationMs'> = { operation, endpoint: this.target.endpoint, args };
    /** The raw answer of a failed call, for the trace. */
    let body: string | undefined;
    try {
      const client = await this.loadClient();
      const contract = this.contractOf(client, operation);
      const method = client[`${operation}Async`] as SoapMethodAsync | undefined;
      if (!contract || typeof method !== 'function') throw fail(RULES.contractMismatch, `the WSDL has no operation ${operation} (configured for ${call})`);
      const exchangeId = randomUUID();
      let answer: Awaited<ReturnType<SoapMethodAsync>>;
      try {
        answer = await method.call(client, orderArguments(args, contract.argumentOrder), {
          timeout: this.target.timeoutMs,
          // axios' `timeout` is an idle timeout; the signal bounds the whole call.
          signal: AbortSignal.timeout(this.target.timeoutMs),
          exchangeId,
        });
      } catch (err) {
        seen.status = statusOf(err);
        body = bodyOf(err);
        throw classifyFailure(err, contract);
      } finally {
        seen.status ??= this.statuses.get(exchangeId);
        this.statuses.delete(exchangeId);
      }
      const [result, raw] = answer;
      const mismatch = checkAnswer(raw, seen.status, contract);
      if (mismatch) {
        body = typeof raw === 'string' ? raw : undefined;
        throw mismatch;
      }
      seen.result = result;
      return result;
    } catch (err) {
      const error = this.scrub(err instanceof ConnectorError ? err : fail(RULES.requestUnbuildable, `${operation}: ${err instanceof Error ? err.message : String(err)}`));
      seen.error = { code: error.code, message: error.message, ...(body ? { body } : {}) };
      throw error;
    } finally {
      recordExchange(ctx, this.log, this.redact, { ...seen, durationMs: performance.now() - started });
    }
  }

  /** A fault may echo the request, credentials included: its text reaches admins, so it is redacted too. */
  private scrub(error: ConnectorError): ConnectorError {
    const message = this.redact(error.message) as string;
    return message === error.message ? error : new ConnectorError(error.kind, error.code, message);
  }

  private loadClient(): Promise<Client> {
    // One client for all calls; a failed load is forgotten so the next call tries again.
    this.client ??= openClient(this.target, (id, status) => this.statuses.set(id, status)).catch((err: unknown) => {
      this.client = undefined;
      throw err;
    });
    return this.client;
  }

  private contractOf(client: Client, operation: string): OperationContract | undefined {
    if (!this.contracts.has(operation)) this.contracts.set(operation, operationContract(client, operation, this.target.namespace));
    return this.contracts.get(operation);
  }
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function bodyOf(err: unknown): string | undefined {
  const e = err as { body?: unknown; response?: { data?: unknown } } | null;
  const body = e?.body ?? e?.response?.data;
  return typeof body === 'string' && body !== '' ? body : undefined;
}
