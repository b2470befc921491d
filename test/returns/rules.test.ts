// Pure rules of returns: the field rules per type, the status machine, safe formatting and
// e-mail reply splitting, without HTTP or a database.

import { describe, expect, it } from 'vitest';
import { checkReturnFields, isArchived, checkReplyRules, answerOpinionText } from '../../src/domain/return-rules.js';
import { nextReturnStatus, IllegalReturnMove, type ReturnStatus } from '../../src/domain/return-status.js';
import { fillTemplate, formatReply, plainText } from '../../src/domain/return-format.js';
import { markdownToHtml } from '../../src/domain/return-markdown.js';
import { splitReply } from '../../src/returns/inbound-email.js';

const now = new Date('2025-01-10T12:00:00Z');
const base = { clientEmail: 'c@x.example', validUntil: '2025-02-01T00:00:00Z' };
const paths = (problems: Array<{ path?: string }>) => problems.map((p) => p.path);

describe('return field rules (seed 000)', () => {
  it('a notice takes neither a contact person nor an ERP process number', () => {
    expect(paths(checkReturnFields({ ...base, type: 'notice', contactPerson: 'Ana', crmProcessNumber: '10000001' }, { now }))).toEqual(['contactPerson', 'crmProcessNumber']);
  });

  it('a custom return takes a contact person but no ERP process number', () => {
    expect(checkReturnFields({ ...base, type: 'custom', contactPerson: 'Ana' }, { now })).toEqual([]);
    expect(paths(checkReturnFields({ ...base, type: 'custom', crmProcessNumber: '10000001' }, { now }))).toEqual(['crmProcessNumber']);
  });

  it('a question takes both; the process number has 8 digits', () => {
    expect(checkReturnFields({ ...base, type: 'question', contactPerson: 'Ana', crmProcessNumber: '10000001' }, { now })).toEqual([]);
    expect(paths(checkReturnFields({ ...base, type: 'question', crmProcessNumber: '1234' }, { now }))).toEqual(['crmProcessNumber']);
  });

  it('validity must lie in the future of the injected clock', () => {
    expect(paths(checkReturnFields({ ...base, type: 'notice', validUntil: '2025-01-10T12:00:00Z' }, { now }))).toEqual(['validUntil']);
    expect(checkReturnFields({ ...base, type: 'notice', validUntil: '2025-01-10T12:00:01Z' }, { now })).toEqual([]);
  });

  it('a linked chat must exist', () => {
    expect(paths(checkReturnFields({ ...base, type: 'notice', chatId: 'x' }, { now, chatExists: false }))).toEqual(['chatId']);
  });

  it('awaiting a reply needs a message the client can see', () => {
    expect(paths(checkReplyRules({ awaitReply: true, visibleToClient: false }))).toEqual(['awaitReply']);
    expect(checkReplyRules({ awaitReply: true, visibleToClient: true })).toEqual([]);
  });

  it('closed returns are archived only after the retention window', () => {
    const closedAt = new Date('2024-10-01T00:00:00Z');
    expect(isArchived({ status: 'closed', closedAt }, new Date('2024-12-29T00:00:00Z'), 90)).toBe(false);
    expect(isArchived({ status: 'closed', closedAt }, new Date('2024-12-31T00:00:00Z'), 90)).toBe(true);
    expect(isArchived({ status: 'open', closedAt: null }, new Date('2030-01-01T00:00:00Z'), 90)).toBe(false);
  });

  it('the ERP opinion names the return and the client above the answer', () => {
    expect(answerOpinionText({ subject: 'Proposta', clientEmail: 'c@x.example' }, 'Sim')).toBe('Resposta ao retorno "Proposta" (cliente c@x.example):\nSim');
  });
});

describe('return status machine (seed 002)', () => {
  const all: ReturnStatus[] = ['open', 'awaiting_client', 'awaiting_agent', 'closed'];

  it('await reply → awaiting_client; an informative reply keeps the status', () => {
    expect(nextReturnStatus('open', { kind: 'agentReply', awaitReply: true })).toBe('awaiting_client');
    expect(nextReturnStatus('awaiting_agent', { kind: 'agentReply', awaitReply: false })).toBe('awaiting_agent');
  });

  it('a client message moves any status to awaiting_agent, reopening a closed return', () => {
    for (const s of all) expect(nextReturnStatus(s, { kind: 'clientMessage' })).toBe('awaiting_agent');
  });

  it('close from any active status; reopen only from closed', () => {
    for (const s of ['open', 'awaiting_client', 'awaiting_agent'] as const) expect(nextReturnStatus(s, { kind: 'close' })).toBe('closed');
    expect(nextReturnStatus('closed', { kind: 'reopen' })).toBe('open');
  });

  it('illegal moves are 409s naming the current status', () => {
    for (const [status, move] of [['closed', { kind: 'close' }], ['open', { kind: 'reopen' }], ['closed', { kind: 'agentReply', awaitReply: false }], ['closed', { kind: 'resend' }]] as const) {
      try {
        nextReturnStatus(status, move);
        expect.fail('expected a refusal');
      } catch (err) {
        expect(err).toBeInstanceOf(IllegalReturnMove);
        expect((err as IllegalReturnMove).status).toBe(409);
        expect((err as IllegalReturnMove).message).toContain(`is ${status}`);
      }
    }
  });
});

describe('reply formatting stored safe', () => {
  const hostile = '<p onclick="x()">Oi <b>cliente</b></p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">a</a><a href="https://ex.example/?a=1&b=2">ok</a>';

  it('HTML keeps the allow-listed marks and drops scripts, handlers and javascript: links', () => {
    const { html, text } = formatReply(hostile, 'html');
    expect(html).toContain('<b>cliente</b>');
    expect(html).toContain('href="https://ex.example/?a=1&amp;b=2"');
    for (const bad of ['<script', 'onerror', 'onclick', 'javascript:', '<img']) {
      expect(html).not.toContain(bad);
      expect(text).not.toContain(bad);
    }
    expect(text).toContain('Oi cliente');
  });

  it('markdown renders bold, italic, strike, lists, line breaks and links; raw tags are stripped', () => {
    const { html } = formatReply('**negrito** e *itálico* e ~~riscado~~\nlinha 2\n\n- um\n- dois\n\n1. primeiro\n2. segundo\n\n[site](https://ex.example) <script>x</script>', 'markdown');
    expect(html).toBe('<p><strong>negrito</strong> e <em>itálico</em> e <del>riscado</del><br />linha 2</p><ul><li>um</li><li>dois</li></ul><ol><li>primeiro</li><li>segundo</li></ol><p><a href="https://ex.example" rel="nofollow noopener noreferrer">site</a></p>');
  });

  it('markdown links to other schemes stay text', () => {
    expect(markdownToHtml('[x](javascript:alert(1))')).not.toContain('<a');
  });

  it('plain text loses tags but keeps comparison signs and ampersands', () => {
    expect(plainText('2 < 3 & 4 > 1 <img src=x onerror=alert(1)>"ok"')).toBe('2 < 3 & 4 > 1 "ok"');
    expect(plainText('&lt;script&gt;')).toBe('&lt;script>');
    // An unclosed `<` is text (kept escaped), not the start of a tag that swallows the rest.
    const { html, text } = formatReply('a <b\n\nc', 'text');
    expect(text).toBe('a &lt;b\n\nc');
    expect(html).toBe('<p>a &amp;lt;b</p><p>c</p>');
  });

  it('templates fill placeholders, escaped for HTML', () => {
    expect(fillTemplate('<p>Olá {{contactPerson}}</p>', 'html', { contactPerson: '<i>Ana</i>' })).toBe('<p>Olá &lt;i&gt;Ana&lt;/i&gt;</p>');
    expect(fillTemplate('Olá {{contactPerson}} {{unknown}}', 'text', { contactPerson: 'Ana' })).toBe('Olá Ana {{unknown}}');
  });
});

describe('inbound e-mail replies', () => {
  it('keep only the new text visible and the quoted history apart (Portuguese and English headers)', () => {
    const pt = splitReply('Sim, pode seguir.\nObrigado!\n\nEm qua., 5 de jun. de 2024 às 10:00, Suporte <suporte@ex.example> escreveu:\n> Podemos seguir?\n> Att');
    expect(pt.text).toBe('Sim, pode seguir.\nObrigado!');
    expect(pt.quoted).toContain('Podemos seguir?');
    const en = splitReply('Yes please.\r\n\r\nOn Wed, Jun 5, 2024 at 10:00 AM Support <s@ex.example> wrote:\r\n> Can we go?\r\n');
    expect(en.text).toBe('Yes please.');
    expect(en.quoted).toContain('> Can we go?');
  });

  it('a message without quotes is all new', () => {
    expect(splitReply('Just this.')).toEqual({ text: 'Just this.', quoted: null });
  });
});
