// Markdown replies: the subset agents use, numbered lists that keep their numbers in the
// HTML and in the text part, and hostile texts converted in one pass.

import { describe, it, expect } from 'vitest';
import { markdownToHtml } from '../../src/domain/return-markdown.js';
import { formatReply, htmlToText, plainText } from '../../src/domain/return-format.js';

describe('markdown replies', () => {
  it('knows bold, italic, strike, links, paragraphs and line breaks', () => {
    expect(markdownToHtml('**negrito**, *itálico*, _também_, ~~riscado~~\nlinha 2\n\n[site](https://ex.example/a_b*c*)'))
      .toBe('<p><strong>negrito</strong>, <em>itálico</em>, <em>também</em>, <del>riscado</del><br />linha 2</p><p><a href="https://ex.example/a_b*c*">site</a></p>');
    expect(markdownToHtml('**[b](http://ex.example)** e [[a](mailto:a@ex.example)')).toBe('<p><strong><a href="http://ex.example">b</a></strong> e <a href="mailto:a@ex.example">[a</a></p>');
    expect(markdownToHtml('a*b*c, snake_case_name e [x](javascript:alert(1))')).toBe('<p>a*b*c, snake_case_name e [x](javascript:alert(1))</p>');
    expect(markdownToHtml('<b>&</b>')).toBe('<p>&lt;b&gt;&amp;&lt;/b&gt;</p>');
  });

  it('keeps the numbers of numbered lists, in the HTML and in the text part', () => {
    const reply = formatReply('Passos:\n\n1. Abra o sistema\n2. Emita a nota\n\n- antes\n- depois\n\n3. Envie ao cliente\n4. Confirme', 'markdown');
    expect(reply.html).toBe('<p>Passos:</p><ol><li>Abra o sistema</li><li>Emita a nota</li></ol><ul><li>antes</li><li>depois</li></ul><ol start="3"><li>Envie ao cliente</li><li>Confirme</li></ol>');
    expect(reply.text).toBe('Passos:\n1. Abra o sistema\n2. Emita a nota\n\n- antes\n- depois\n\n3. Envie ao cliente\n4. Confirme');
    expect(htmlToText('<ol><li>a</li><li>b<ul><li>c</li></ul></li><li>d</li></ol>')).toBe('1. a\n2. b\n- c\n\n3. d');
  });

  it('converts hostile texts (tens of thousands of "[", "**", unclosed links)', () => {
    expect(markdownToHtml('['.repeat(60_000))).toBe(`<p>${'['.repeat(60_000)}</p>`);
    expect(markdownToHtml('[a](http://a'.repeat(5_000))).toBe(`<p>${'[a](http://a'.repeat(5_000)}</p>`);
    expect(markdownToHtml('**a'.repeat(20_000))).toContain('<strong>');
    expect(markdownToHtml('*a '.repeat(20_000)).length).toBeGreaterThan(60_000);
    expect(markdownToHtml('1. a\n'.repeat(10_000))).toMatch(/^<ol>(<li>a<\/li>){10000}<\/ol>$/);
  });
});

describe('plain text', () => {
  it('drops tags, scripts and comments, decodes entities, keeps a < that cannot open a tag', () => {
    expect(plainText('Resposta <script>alert("x")</script> <img src=x onerror=alert(1)> 2 < 3')).toBe('Resposta   2 < 3');
    expect(plainText('a <b\n\nc')).toBe('a &lt;b\n\nc');
    expect(plainText('p&atilde;o &amp; caf&eacute; &lt;i&gt; <!-- nota --> fim')).toBe('pão & café &lt;i>  fim');
    expect(plainText('<p>um</p><p>dois</p>')).toBe('umdois');
    expect(plainText('<style>p{}</style>texto<script>sem fim')).toBe('texto');
  });

  it('strips hostile markup too ("<b>" and "<a " by the hundred thousand)', () => {
    expect(plainText('<b>'.repeat(100_000))).toBe('');
    expect(plainText(`${'<a '.repeat(100_000)}x`)).toBe(`${'&lt;a '.repeat(100_000)}x`);
    expect(plainText('<'.repeat(100_000))).toBe('<'.repeat(100_000));
  });
});
