// Where outbound webhooks may go: public https URLs only, unless private destinations are
// allowed. Pure address arithmetic, so the rule is tested without DNS; src/webhooks/destination.ts
// applies it to what DNS answers (at subscription time and again at each delivery).

import type { ErrorDetail } from '../errors.js';

/**
 * Ranges that are not the public Internet (RFC 6890 and friends): "this network", private,
 * shared (CGNAT), loopback, link-local (cloud metadata), IETF protocol assignments,
 * documentation, benchmarking, multicast, reserved and broadcast.
 */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
/** IPv6 likewise: unspecified, loopback, discard, Teredo, documentation, ULA, link- and site-local, multicast. */
const BLOCKED_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
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

const v4Of = (n: bigint) => [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');

/**
 * The IPv4 address an IPv6 address reaches, when it embeds one: IPv4-compatible (::a.b.c.d),
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96 and
 * the local-use 64:ff9b:1::/48) and 6to4 (2002:AABB:CCDD::/16).
 */
function embeddedV4(v6: bigint): string | undefined {
  const low32 = v6 & 0xffffffffn;
  const high96 = v6 >> 32n;
  if (high96 === 0n && low32 > 1n) return v4Of(low32);
  if (high96 === 0xffffn || high96 === 0xffff0000n) return v4Of(low32);
  if (high96 === 0x64ff9b0000000000000000n || v6 >> 80n === 0x64ff9b0001n) return v4Of(low32);
  if (v6 >> 112n === 0x2002n) return v4Of((v6 >> 80n) & 0xffffffffn);
  return undefined;
}

/** Whether an IP literal is anything but a public unicast address. Unparseable → treated as not public. */
export function isPrivateAddress(address: string): boolean {
  const v4 = v4ToInt(address);
  if (v4 !== undefined) return BLOCKED_V4.some((range) => inV4(v4, range));
  const v6 = v6ToBigInt(address);
  if (v6 === undefined) return true;
  // An IPv6 form that carries an IPv4 address reaches that address: judge that one.
  const v4Inside = embeddedV4(v6);
  if (v4Inside !== undefined) return isPrivateAddress(v4Inside);
  return BLOCKED_V6.some((range) => inV6(v6, range));
}

export function isIpLiteral(host: string): boolean {
  return v4ToInt(host) !== undefined || (host.includes(':') && v6ToBigInt(host) !== undefined);
}

export interface ParsedDestination { url: URL; host: string }

/**
 * Shape rules of a destination URL (before DNS): https on port 443 (or a port of
 * PONTE_WEBHOOK_ALLOW_PORTS) unless private destinations are allowed, no credentials.
 */
export function checkDestinationUrl(raw: string, allowPrivate: boolean, allowedPorts: readonly number[] = []): { destination?: ParsedDestination; problems: ErrorDetail[] } {
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
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  if (!allowPrivate && port !== 443 && !allowedPorts.includes(port)) {
    problems.push({ path: 'url', message: `port ${port} is not allowed (only 443; set PONTE_WEBHOOK_ALLOW_PORTS to allow others)` });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIpLiteral(host) && isPrivateAddress(host)))) {
    problems.push({ path: 'url', message: `host ${host} is not public (set PONTE_WEBHOOK_ALLOW_PRIVATE=true to allow private destinations)` });
  }
  return { destination: problems.length ? undefined : { url, host }, problems };
}
