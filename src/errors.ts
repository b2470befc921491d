// One error family for the whole engine: a stable code, an HTTP status and whether a retry can help.

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export interface PonteErrorOptions {
  status?: number;
  retryable?: boolean;
  details?: ErrorDetail[];
  cause?: unknown;
}

export class PonteError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: ErrorDetail[];

  constructor(code: string, message: string, options: PonteErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? [];
  }

  toJSON(): { code: string; message: string; details: ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** 400: the caller sent something the rules refuse; `details` name the fields. */
export class ValidationError extends PonteError {
  constructor(message: string, details: ErrorDetail[], code = 'VALIDATION_FAILED') {
    super(code, message, { status: 400, details });
  }

  static field(path: string, message: string, code = 'VALIDATION_FAILED'): ValidationError {
    return new ValidationError(`${path}: ${message}`, [{ path, message }], code);
  }
}

export class NotFoundError extends PonteError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`, { status: 404, details: [{ path: 'id', message: `unknown ${what}` }] });
  }
}

/** 409: the resource is in a state where this move is not allowed. */
export class ConflictError extends PonteError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(code, message, { status: 409, details });
  }
}

export class UnavailableError extends PonteError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { status: 503, retryable: true, cause });
  }
}

/**
 * Raised by connectors. `transient` errors are retried with backoff by the job engine;
 * `permanent` ones fail the integration at once and wait for an admin.
 */
export class ConnectorError extends PonteError {
  readonly kind: 'transient' | 'permanent';
  /** When the remote asked us to wait (HTTP 429 Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: 'transient' | 'permanent',
    code: string,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number; details?: ErrorDetail[] } = {},
  ) {
    super(code, message, { status: 502, retryable: kind === 'transient', cause: options.cause, details: options.details });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }

  static transient(code: string, message: string, options?: { cause?: unknown; retryAfterMs?: number }): ConnectorError {
    return new ConnectorError('transient', code, message, options);
  }

  static permanent(code: string, message: string, options?: { cause?: unknown; details?: ErrorDetail[] }): ConnectorError {
    return new ConnectorError('permanent', code, message, options);
  }
}
