// Injected time, so rules that depend on it (timeouts, validity, retention) are testable.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
