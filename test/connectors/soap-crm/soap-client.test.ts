import { describe, expect, it } from 'vitest';
import { GuardedHttpClient, orderArguments } from '../../../connectors/soap-crm/soap-client.js';
import { redactor, REDACTED } from '../../../connectors/soap-crm/trace.js';
import { startHarness, watchProcess } from './harness.js';

watchProcess();

describe('the soap-crm client internals', () => {
  it('hands a throw from answer handling back to the call instead of leaking an unhandled rejection', async () => {
    const h = await startHarness();
    try {
      const seen: unknown[] = [];
      await new Promise<void>((resolve) => {
        new GuardedHttpClient().request(h.peer.wsdlUrl, null, (err) => {
          seen.push(err);
          if (seen.length === 1) throw new Error('parser blew up');
          resolve();
        });
      });
      expect(seen).toEqual([null, new Error('parser blew up')]);
    } finally {
      await h.close();
    }
  });

  it('orders arguments as the WSDL sequence, keeping unknown names last', () => {
    const ordered = orderArguments({ ExternalRef: 'r', Extra: 1, ClientCode: '000012', Subject: 's' }, ['ClientCode', 'Subject', 'ExternalRef']);
    expect(Object.keys(ordered)).toEqual(['ClientCode', 'Subject', 'ExternalRef', 'Extra']);
  });

  it('redacts secrets by key, by value, in WS-Security elements and in Basic credentials', () => {
    const redact = redactor(['hunter22']);
    expect(
      redact({
        password: 'x',
        args: { Note: 'the password is hunter22' },
        body: '<wsse:Password Type="#PasswordDigest">abc=</wsse:Password>',
        header: 'Authorization: Basic cG9udGU6aHVudGVyMjI=',
        when: new Date('2025-01-02T03:04:05Z'),
      }),
    ).toEqual({
      password: REDACTED,
      args: { Note: `the password is ${REDACTED}` },
      body: `<wsse:Password Type="#PasswordDigest">${REDACTED}</wsse:Password>`,
      header: `Authorization: Basic ${REDACTED}`,
      when: '2025-01-02T03:04:05.000Z',
    });
  });
});
