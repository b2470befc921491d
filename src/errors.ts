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

/**
 * An error met while reading a multipart upload: the parser's own (a body cut short, no
 * boundary, broken part headers; plain errors without a code) is the caller's, a 400 naming the
 * body. Ponte's errors, Fastify's (they carry a status), and the file system's (they carry a
 * `syscall`: a full disk is ours) pass unchanged.
 */
export function uploadFault(err: unknown): unknown {
  if (err instanceof PonteError) return err;
  const e = err as { code?: string; syscall?: string; statusCode?: number; message?: string };
  if (e.syscall || e.statusCode || e.code?.startsWith('FST_')) return err;
  const why = String(e.message ?? 'unreadable').slice(0, 200);
  return new ValidationError(`the multipart/form-data body cannot be read: ${why}`, [{ path: '(body)', message: 'is not a complete multipart/form-data body' }], 'MALFORMED_MULTIPART');
}
