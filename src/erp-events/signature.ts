// Standard Webhooks verification of ERP pushes over the raw body: any configured secret may
// match (two during a rotation). The 401 names the check that failed so the ERP team can fix it.

import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { PonteError, UnavailableError } from '../errors.js';

const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function refuse(check: 'headers' | 'timestamp' | 'signature', message: string): PonteError {
  return new PonteError('INVALID_SIGNATURE', message, { status: 401, details: [{ path: check === 'headers' ? 'headers' : `webhook-${check}`, message, check }] });
}

export class ErpSignatureVerifier {
  private readonly webhooks: Webhook[];

  constructor(secrets: string[]) {
    this.webhooks = secrets.map((s) => new Webhook(s));
  }

  get enabled(): boolean {
    return this.webhooks.length > 0;
  }

  /** Throws a 401 INVALID_SIGNATURE naming the failed check, or 503 when no secret is configured. */
  verify(rawBody: string, headers: Record<string, string | string[] | undefined>): void {
    if (!this.enabled) throw new UnavailableError('ERP_EVENTS_DISABLED', 'ERP pushes are off: set PONTE_ERP_SECRETS to the Standard Webhooks secret(s) shared with the ERP');
    const values: Record<string, string> = {};
    for (const name of HEADERS) {
      const value = headers[name];
      if (typeof value !== 'string' || value === '') throw refuse('headers', `missing header ${name}`);
      values[name] = value;
    }
    if (!/^\d{1,12}$/.test(values['webhook-timestamp']!)) throw refuse('timestamp', 'webhook-timestamp must be unix seconds');
    for (const webhook of this.webhooks) {
      try {
        webhook.verify(rawBody, values, { jsonParse: false });
        return;
      } catch (err) {
        if (!(err instanceof WebhookVerificationError)) throw err;
        // The timestamp check does not depend on the secret: no other secret can pass it.
        if (/timestamp/i.test(err.message)) throw refuse('timestamp', `webhook-timestamp is more than 5 minutes off (${err.message.toLowerCase()})`);
      }
    }
    throw refuse('signature', `webhook-signature matches none of the ${this.webhooks.length} configured secret(s): check the secret and that the raw body is signed as sent`);
  }
}
