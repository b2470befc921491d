import { describe, it, expect } from 'vitest';
import { readFile } from 'node:fs/promises';
import { checkDestinationUrl, isPrivateAddress } from '../../src/domain/webhook-destination.js';
import { shouldDisable } from '../../src/domain/webhook-health.js';
import { assertDestination } from '../../src/webhooks/destination.js';
import { webhookBackoff, webhookScheduleDelay } from '../../src/jobs/backoff.js';
import { EVENT_TYPES } from '../../src/events/emit.js';

describe('webhook destinations', () => {
  it.each(['127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0', '::1', '::', 'fc00::1', 'fdff:ffff::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:7f00:1'])(
    '%s is private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['93.184.216.34', '172.32.0.1', '172.15.255.255', '192.169.0.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it.each([
    '100.64.0.1', '100.127.255.254', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9',
    '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    '::127.0.0.1', '::ffff:0:127.0.0.1', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::10.0.0.1', '2002:7f00:1::1', '2002:a9fe:a9fe::',
    'fec0::1', 'ff02::1', '2001:db8::1', '2001:0:4136:e378::1', '100::1',
  ])('%s is not public either (special-purpose range or IPv4 inside IPv6)', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['::8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1', '100.128.0.1', '198.20.0.1'])('%s reaches a public address', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it('takes port 443 only, unless PONTE_WEBHOOK_ALLOW_PORTS lists the port (or private destinations are allowed)', () => {
    expect(checkDestinationUrl('https://example.com/x', false).problems).toEqual([]);
    expect(checkDestinationUrl('https://example.com:443/x', false).problems).toEqual([]);
    expect(checkDestinationUrl('https://example.com:8443/x', false).problems[0]!.message).toMatch(/port 8443 is not allowed/);
    expect(checkDestinationUrl('https://example.com:8443/x', false, [8443]).problems).toEqual([]);
    expect(checkDestinationUrl('https://example.com:22/x', false, [8443]).problems).toHaveLength(1);
    expect(checkDestinationUrl('http://10.0.0.5:8080/x', true).problems).toEqual([]);
  });

  it('treats what it cannot parse as private', () => {
    expect(isPrivateAddress('999.1.1.1')).toBe(true);
    expect(isPrivateAddress('not-an-ip')).toBe(true);
  });

  it('needs https and no credentials unless private destinations are allowed', () => {
    expect(checkDestinationUrl('http://example.com/x', false).problems[0]!.message).toBe('must be an https URL');
    expect(checkDestinationUrl('https://u:p@example.com/x', false).problems[0]!.message).toMatch(/credentials/);
    expect(checkDestinationUrl('http://127.0.0.1:3000/x', true).problems).toEqual([]);
    expect(checkDestinationUrl('ftp://example.com/x', true).problems[0]!.message).toBe('must be an http(s) URL');
  });

  it('refuses a host name that resolves to a private address, and one that does not resolve', async () => {
    const resolvesTo = (address: string) => async () => [{ address, family: 4 }];
    await expect(assertDestination('https://hooks.example.com/x', false, resolvesTo('10.0.0.7'))).rejects.toThrow(/resolves to 10\.0\.0\.7/);
    await expect(assertDestination('https://hooks.example.com/x', false, async () => Promise.reject(new Error('ENOTFOUND')))).rejects.toThrow(/does not resolve/);
    expect((await assertDestination('https://hooks.example.com/x', false, resolvesTo('93.184.216.34'))).hostname).toBe('hooks.example.com');
  });
});

describe('webhook retries', () => {
  it('follow the Svix-like schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => webhookScheduleDelay(n))).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(webhookScheduleDelay(2, 0.001)).toBe(300);
  });

  it('use the delay a failed delivery computed when it carries one', () => {
    expect(webhookBackoff(1, Object.assign(new Error('x'), { retryDelayMs: 7 }))).toBe(7);
    expect(webhookBackoff(3)).toBe(1_800_000);
  });

  it('disable a subscription once its failures have lasted 5 days', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    expect(shouldDisable(since, new Date('2026-01-05T23:59:59Z'))).toBe(false);
    expect(shouldDisable(since, new Date('2026-01-06T00:00:00Z'))).toBe(true);
  });

  it('offer exactly the domain event types ponte emits', async () => {
    const schema = JSON.parse(await readFile(new URL('../../schemas/api/webhook-subscription.json', import.meta.url), 'utf8'));
    expect(schema.properties.events.items.enum).toEqual([...EVENT_TYPES]);
  });
});
