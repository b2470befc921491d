// The e-mails' text and HTML: values escaped, reply HTML through the allow-list, one-line subjects.

import { describe, expect, it } from 'vitest';
import { noticeMail, replyMail, thirdPartyCopyMail, thirdPartyInviteMail } from '../../src/mail/compose.js';
import { isPermanentSmtpError, messageIdFor, smtpErrorText } from '../../src/mail/transport.js';

describe('composed e-mails', () => {
  it('escapes the return in the notice and keeps the subject on one line', () => {
    const m = noticeMail({ subject: 'A\r\nBcc: x@evil.example', description: '<img src=x onerror=alert(1)>', contactPerson: '<b>Zé</b>', validUntil: new Date('2031-01-01T00:00:00Z'), portalUrl: 'https://p.example/v1/portal/returns/1?token=a"b', reason: 'created', linkRenewed: false });
    expect(m.subject).toBe('Novo retorno: A Bcc: x@evil.example');
    expect(m.html).not.toMatch(/<img|<b>/);
    expect(m.html).toContain('href="https://p.example/v1/portal/returns/1?token=a&quot;b"');
    expect(m.text).toContain('disponível até 31/12/2030 21:00, horário de Brasília');
  });

  it('sanitizes reply HTML for the client and third parties', () => {
    const facts = { returnSubject: 'S', author: 'Ana', text: 'ok', html: '<p>ok<script>x()</script><a href="javascript:alert(1)">y</a></p>' };
    for (const m of [replyMail(facts), thirdPartyCopyMail({ ...facts, name: 'Carla' })]) {
      expect(m.html).toContain('<p>ok');
      expect(m.html).not.toMatch(/script|javascript/);
    }
    expect(thirdPartyInviteMail({ returnSubject: 'S', description: 'D', name: null, invitedBy: 'helpdesk' }).subject).toBe('Convite: S');
  });

  it('classifies SMTP failures and hides credentials', () => {
    expect(isPermanentSmtpError({ responseCode: 550 })).toBe(true);
    expect(isPermanentSmtpError({ responseCode: 451 })).toBe(false);
    expect(isPermanentSmtpError({ code: 'ECONNREFUSED' })).toBe(false);
    expect(smtpErrorText({ code: 'EAUTH', message: 'smtp://user:pw@host failed' })).toBe('EAUTH: smtp://[redacted]@host failed');
    expect(messageIdFor('abc', 'Suporte <suporte@ponte.example>')).toBe('<abc@ponte.example>');
  });
});
