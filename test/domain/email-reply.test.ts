// The client's new text and the quoted history, as the common mail clients quote it in
// Portuguese and English; hostile texts are split too (how fast: test/drills/event-loop.test.ts).

import { describe, it, expect } from 'vitest';
import { splitEmailReply } from '../../src/domain/email-reply.js';

const NEW = 'Pode seguir com a troca, obrigado.';

describe('e-mail replies: the new text apart from the quoted history', () => {
  const clients: Array<[string, string]> = [
    ['Outlook (pt)', '-----Mensagem original-----\nDe: Suporte <suporte@ex.example>\nEnviada em: quinta-feira, 20 de novembro de 2026 10:00\nPara: joao@padaria.example\nAssunto: Troca\n\nPodemos seguir?'],
    ['Outlook (en)', '-----Original Message-----\nFrom: Support <s@ex.example>\nSent: Thursday, November 20, 2026 10:00 AM\nTo: joao@padaria.example\nSubject: Exchange\n\nCan we go?'],
    ['Outlook header block under underscores (pt)', '________________________________\nDe: Suporte <suporte@ex.example>\nEnviado: quinta-feira, 20 de novembro de 2026 10:00\nPara: João\nAssunto: Troca\n\nPodemos seguir?'],
    ['Outlook header block (en)', 'From: Support <s@ex.example>\nSent: Thursday, November 20, 2026 10:00\nTo: John\nSubject: Exchange\n\nCan we go?'],
    ['Gmail (pt)', 'Em qui., 20 de nov. de 2026 às 10:00, Suporte <suporte@ex.example> escreveu:\n> Podemos seguir?'],
    ['Gmail (pt), header wrapped over two lines', 'Em qui., 20 de nov. de 2026 às 10:00, Suporte da Padaria <suporte@ex.example>\nescreveu:\n\n> Podemos seguir?'],
    ['Gmail (en)', 'On Thu, Nov 20, 2026 at 10:00 AM Support <s@ex.example> wrote:\n> Can we go?'],
    ['Apple Mail (pt)', 'Em 20 de nov. de 2026, à(s) 10:00, Suporte <suporte@ex.example> escreveu:\n\n> Podemos seguir?'],
    ['Apple Mail (en)', 'On Nov 20, 2026, at 10:00, Support <s@ex.example> wrote:\n\n> Can we go?'],
    ['Thunderbird (pt)', 'Em 20/11/2026 10:00, Suporte escreveu:\n> Podemos seguir?'],
    ['Thunderbird (en)', 'On 20/11/2026 10:00, Support wrote:\n> Can we go?'],
    ['Thunderbird forward (pt)', '-------- Mensagem original --------\nAssunto: Troca\nData: 20/11/2026 10:00\nDe: Suporte\n\nPodemos seguir?'],
  ];

  it.each(clients)('%s', (_client, history) => {
    const { visible, hidden } = splitEmailReply(`${NEW}\n\n${history}`);
    expect(visible).toBe(NEW);
    expect(hidden).toBe(history.trim());
  });

  it('accepts Windows line ends', () => {
    expect(splitEmailReply(`${NEW}\r\n\r\nOn Thu, Nov 20, 2026 at 10:00 AM Support <s@ex.example> wrote:\r\n> Can we go?\r\n`).visible).toBe(NEW);
  });

  it('puts the signature with the history, but not a text that only starts with dashes', () => {
    expect(splitEmailReply(`${NEW}\n-- \nJoão, Padaria Pão Quente\n(11) 4000-0000`)).toEqual({ visible: NEW, hidden: '-- \nJoão, Padaria Pão Quente\n(11) 4000-0000' });
    expect(splitEmailReply(`${NEW}\n\nEnviado do meu iPhone`)).toEqual({ visible: NEW, hidden: 'Enviado do meu iPhone' });
    expect(splitEmailReply('--\nsó isto').visible).toBe('--\nsó isto');
  });

  it('leaves quoted lines out of the new text', () => {
    expect(splitEmailReply(`> Podemos seguir?\n${NEW}`)).toEqual({ visible: NEW, hidden: '> Podemos seguir?' });
  });

  it('keeps ordinary sentences that merely start like a header', () => {
    const text = 'Em breve envio as notas.\nOn second thought, wait.\nDe: nada.';
    expect(splitEmailReply(text)).toEqual({ visible: text, hidden: '' });
  });

  it('splits hostile texts too (repeated " on at", headers that never end, endless quotes)', () => {
    expect(splitEmailReply(' on at'.repeat(20_000)).visible).toBe(' on at'.repeat(20_000).trim());
    expect(splitEmailReply(`On ${'at '.repeat(50_000)}`).hidden).toBe('');
    expect(splitEmailReply('> a\n'.repeat(50_000)).visible).toBe('');
    expect(splitEmailReply(`${NEW}\n${'Em x escreveu\n'.repeat(20_000)}`).hidden).toBe('');
  });
});
