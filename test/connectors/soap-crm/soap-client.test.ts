import { describe, expect, it } from 'vitest';
import { GuardedHttpClient } from '../../../connectors/soap/client.js';
import { declares, orderArguments, plainAnswer } from '../../../connectors/soap/arguments.js';
import { redactor, REDACTED } from '../../../src/connectors/redact.js';
import { startHarness, watchProcess } from './harness.js';

watchProcess();

describe('the SOAP kind internals', () => {
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

  it('orders arguments as the WSDL sequences, at every depth and in repeated elements, keeping unknown names last', () => {
    const described = { Header: { Code: 'xs:string', Date: 'xs:date' }, 'Item[]': { Id: 'xs:string', Qty: 'xs:int' }, Subject: 'xs:string' };
    const ordered = orderArguments({ Subject: 's', Extra: 1, Item: [{ Qty: 2, Id: 'a' }], Header: { Date: 'd', Code: 'c' } }, described) as Record<string, unknown>;
    expect(Object.keys(ordered)).toEqual(['Header', 'Item', 'Subject', 'Extra']);
    expect(Object.keys(ordered.Header as object)).toEqual(['Code', 'Date']);
    expect(Object.keys((ordered.Item as object[])[0]!)).toEqual(['Id', 'Qty']);
  });

  it('knows which answer paths the WSDL declares, and reads text nodes with attributes as their text', () => {
    const output = { Result: { Success: 'xs:boolean', 'Client[]': { Id: 'xs:string' } } };
    expect(declares(output, 'Result.Client')).toBe(true);
    expect(declares(output, 'Result.Clients')).toBe(false);
    expect(plainAnswer({ Name: { attributes: { lang: 'pt' }, $value: 'Ana' }, attributes: { x: 1 }, List: [{ $value: 'a' }] })).toEqual({ Name: 'Ana', List: ['a'] });
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
