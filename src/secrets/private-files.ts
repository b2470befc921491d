// Folders that hold the database, uploads and the embedded secret key are readable by ponte's
// user only (0700): other local users can neither list nor open what is inside, whatever
// mode an older version gave the files there.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseSecretKey } from './keyring.js';
import { PonteError } from '../errors.js';

export async function privateDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  await mkdir(abs, { recursive: true, mode: 0o700 });
  await chmod(abs, 0o700);
  return abs;
}

export const KEY_FILE = 'secret.key';

/**
 * Embedded mode's PONTE_SECRET_KEY when none is set: generated on first start into DATA_DIR
 * (mode 0600) and read back on every later start, so sealed secrets survive restarts.
 */
export async function embeddedSecretKey(dataDir: string): Promise<{ key: Buffer; created: boolean; file: string }> {
  const file = path.join(await privateDir(dataDir), KEY_FILE);
  try {
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return { key: await readKey(file), created: true, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: await readKey(file), created: false, file };
  }
}

async function readKey(file: string): Promise<Buffer> {
  const key = parseSecretKey(await readFile(file, 'utf8'));
  if (!key) throw new PonteError('SECRET_KEY_INVALID', `${file} does not hold 32 bytes as base64 or hex; restore it from a backup or set PONTE_SECRET_KEY`);
  return key;
}
