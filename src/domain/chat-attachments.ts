// Seed 001: up to two files at once, 50 MB in total per upload, no limit on uploads per chat.

import { PonteError } from '../errors.js';

export const UPLOAD_LIMITS = { files: 2, totalBytes: 50 * 1024 * 1024 } as const;

export function uploadTooLarge(): PonteError {
  return new PonteError('UPLOAD_TOO_LARGE', `an upload may carry at most ${UPLOAD_LIMITS.totalBytes / 1024 / 1024} MB in total`, {
    status: 413,
    details: [{ path: 'files', message: `more than ${UPLOAD_LIMITS.totalBytes} bytes` }],
  });
}

export function tooManyFiles(): PonteError {
  return new PonteError('TOO_MANY_FILES', `an upload may carry at most ${UPLOAD_LIMITS.files} files; send the others in another upload`, {
    status: 400,
    details: [{ path: 'files', message: `more than ${UPLOAD_LIMITS.files} files` }],
  });
}

/** Keeps a file name displayable and harmless in a Content-Disposition header. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'arquivo';
}
