// When a failing webhook subscription is switched off, and what each delivery attempt means.

/** A subscription whose deliveries have failed continuously this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600_000;
/** Most of a receiver's answer kept with an attempt. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** Checked at each failed attempt: `failingSince` is the first failure since the last success. */
export function shouldDisable(failingSince: Date, now: Date): boolean {
  return now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
}

export function disabledReason(failingSince: Date, lastError: string): string {
  return `deliveries failed continuously since ${failingSince.toISOString()} (5 days); last error: ${lastError}`;
}

/** 2xx means delivered; anything else (3xx included: redirects are not followed) is a failure. */
export function isDelivered(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}
