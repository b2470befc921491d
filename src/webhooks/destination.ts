// Applies the destination rule to DNS: at subscription time (refuse hostnames resolving to
// private addresses) and at each delivery, where the connection uses only addresses checked
// by this lookup, so a DNS answer cannot change between the check and the connect.

import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { PonteError, ValidationError } from '../errors.js';
import { checkDestinationUrl, isIpLiteral, isPrivateAddress } from '../domain/webhook-destination.js';

export type Resolve = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: Resolve = (host) => dns.promises.lookup(host, { all: true });

/** Validates a subscription URL; throws a 400 naming the problem. */
export async function assertDestination(raw: string, allowPrivate: boolean, resolve: Resolve = systemResolve, allowedPorts: readonly number[] = []): Promise<URL> {
  const { destination, problems } = checkDestinationUrl(raw, allowPrivate, allowedPorts);
  if (!destination) throw new ValidationError(`url: ${problems.map((p) => p.message).join('; ')}`, problems, 'WEBHOOK_URL_REFUSED');
  if (allowPrivate || isIpLiteral(destination.host)) return destination.url;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await resolve(destination.host);
  } catch {
    throw ValidationError.field('url', `host ${destination.host} does not resolve`, 'WEBHOOK_URL_REFUSED');
  }
  const blocked = addresses.find((a) => isPrivateAddress(a.address));
  if (blocked) {
    throw ValidationError.field('url', `host ${destination.host} resolves to ${blocked.address}, which is not public (set PONTE_WEBHOOK_ALLOW_PRIVATE=true to allow it)`, 'WEBHOOK_URL_REFUSED');
  }
  return destination.url;
}

function refused(message: string): NodeJS.ErrnoException {
  return new PonteError('DESTINATION_REFUSED', message, { status: 502 });
}

/** A `lookup` for http.request that fails when any resolved address is private. */
export function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const blocked = list.find((a) => isPrivateAddress(a.address));
      if (blocked) return callback(refused(`${hostname} resolves to ${blocked.address}, which is not public`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(refused(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
