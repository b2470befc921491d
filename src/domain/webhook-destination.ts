// Where outbound webhooks may go: public https URLs only, unless private destinations are
// allowed. Pure address arithmetic, so the rule is tested without DNS; src/webhooks/destination.ts
// applies it to what DNS answers (at subscription time and again at each delivery).

import type { ErrorDetail } from '../errors.js';

/** Blocked ranges: loopback, RFC 1918, link-local (cloud metadata), "this network", IPv6 ULA. */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
];
const BLOCKED_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
];

function v4ToInt(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function v6ToBigInt(address: string): bigint | undefined {
  let text = address.toLowerCase().replace(/^\[|\]$/g, '').split('%')[0]!;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const n = v4ToInt(v4Tail[1]!);
    if (n === undefined) return undefined;
    text = `${text.slice(0, -v4Tail[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function inV4(n: number, [base, bits]: [string, number]): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((n & mask) >>> 0) === ((v4ToInt(base)! & mask) >>> 0);
}

function inV6(n: bigint, [base, bits]: [string, number]): boolean {
  const shift = BigInt(128 - bits);
  return n >> shift === v6ToBigInt(base)! >> shift;
}

/** Whether an IP literal is private, loopback or link-local. Unparseable → treated as private. */
export function isPrivateAddress(address: string): boolean {
  const v4 = v4ToInt(address);
  if (v4 !== undefined) return BLOCKED_V4.some((range) => inV4(v4, range));
  const v6 = v6ToBigInt(address);
  if (v6 === undefined) return true;
  // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address: judge that one.
  if (v6 >> 32n === 0xffffn) return isPrivateAddress([24n, 16n, 8n, 0n].map((s) => String((v6 >> s) & 255n)).join('.'));
  return BLOCKED_V6.some((range) => inV6(v6, range));
}

export function isIpLiteral(host: string): boolean {
  return v4ToInt(host) !== undefined || (host.includes(':') && v6ToBigInt(host) !== undefined);
}

export interface ParsedDestination { url: URL; host: string }

/** Shape rules of a destination URL (before DNS): https unless private ones are allowed, no credentials. */
export function checkDestinationUrl(raw: string, allowPrivate: boolean): { destination?: ParsedDestination; problems: ErrorDetail[] } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problems: [{ path: 'url', message: 'is not a valid URL' }] };
  }
  const problems: ErrorDetail[] = [];
  const allowed = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) problems.push({ path: 'url', message: allowPrivate ? 'must be an http(s) URL' : 'must be an https URL' });
  if (url.username || url.password) problems.push({ path: 'url', message: 'must not carry credentials; the signature authenticates ponte' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIpLiteral(host) && isPrivateAddress(host)))) {
    problems.push({ path: 'url', message: `host ${host} is not public (set PONTE_WEBHOOK_ALLOW_PRIVATE=true to allow private destinations)` });
  }
  return { destination: problems.length ? undefined : { url, host }, problems };
}
