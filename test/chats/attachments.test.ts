// Chat attachments: at most 2 files and 50 MB per upload (413/400 beyond), any number of
// uploads per chat, stored with type and size; a refused upload leaves no file behind.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, type Ponte } from '../support/ponte.js';
import { activeChat, helpdesk, multipart, ok, seedTeam } from './fixtures.js';

const MB = 1024 * 1024;

describe('chat attachments', () => {
  let ponte: Ponte;
  let chatId: string;
  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false });
    await seedTeam(ponte.app);
    chatId = (await activeChat(ponte.app, 'ana')).id;
  });
  afterAll(async () => ponte?.close());

  const upload = (files: Parameters<typeof multipart>[0], fields?: Record<string, string>) =>
    ponte.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/attachments`, ...multipart(files, fields) });
  const onDisk = () => readdirSync(path.join(ponte.deps.uploadDir, chatId)).sort();

  it('stores up to two files per upload, with content type and size, and serves them back', async () => {
    const res = await upload([
      { filename: 'nota.xml', type: 'application/xml', content: Buffer.from('<nfe>539</nfe>') },
      { filename: 'tela.png', type: 'image/png', content: Buffer.alloc(2048, 7) },
    ], { agentId: 'ana' });
    expect(res.statusCode, res.body).toBe(201);
    const items = res.json().items;
    expect(items).toMatchObject([
      { filename: 'nota.xml', contentType: 'application/xml', size: 14, uploadedBy: 'ana' },
      { filename: 'tela.png', contentType: 'image/png', size: 2048 },
    ]);
    expect(onDisk()).toEqual(items.map((a: { id: string }) => a.id).sort());
    expect(readFileSync(path.join(ponte.deps.uploadDir, chatId, items[0].id), 'utf8')).toBe('<nfe>539</nfe>');

    const download = await ponte.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/attachments/${items[0].id}`, headers: helpdesk });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('application/xml');
    expect(download.body).toBe('<nfe>539</nfe>');

    // Uploads per chat are not limited.
    expect((await upload([{ filename: 'log.txt', type: 'text/plain', content: Buffer.from('ok') }])).statusCode).toBe(201);
    expect((await ok(ponte.app, 'GET', `/v1/chats/${chatId}/attachments`)).items).toHaveLength(3);
  });

  it('writes a line in the chat for each upload, so the transcript shows the files sent', async () => {
    const chat = await activeChat(ponte.app, 'bruno');
    const res = await ponte.app.inject({ method: 'POST', url: `/v1/chats/${chat.id}/attachments`, ...multipart([{ filename: 'boleto.pdf', type: 'application/pdf', content: Buffer.alloc(3000, 1) }], { agentId: 'bruno' }) });
    expect(res.statusCode, res.body).toBe(201);
    const messages = await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/messages`);
    expect(messages.items.at(-1)).toMatchObject({ from: 'system', private: false, text: 'Bruno enviou: boleto.pdf (2,9 KB).' });
    const transcript = await ok(ponte.app, 'GET', `/v1/chats/${chat.id}/transcript`);
    expect(transcript.text).toContain('Bruno enviou: boleto.pdf (2,9 KB).');
  });

  it('refuses an upload naming an unknown agent (400) and keeps none of its files', async () => {
    const before = onDisk();
    const res = await upload([{ filename: 'x.txt', content: Buffer.from('x') }], { agentId: 'nobody' });
    expect([res.statusCode, res.json().error.code, res.json().error.details[0].path]).toEqual([400, 'UNKNOWN_AGENT', 'agentId']);
    expect(onDisk()).toEqual(before);
  });

  it('refuses a third file in one upload (400) and keeps none of its files', async () => {
    const before = onDisk();
    const res = await upload([1, 2, 3].map((n) => ({ filename: `f${n}.txt`, content: Buffer.alloc(1000, n) })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TOO_MANY_FILES');
    expect(onDisk()).toEqual(before);
  });

  it('refuses more than 50 MB in one upload (413), across files or in one, leaving nothing on disk', async () => {
    const before = onDisk();
    const split = await upload([{ filename: 'a.bin', content: Buffer.alloc(26 * MB, 1) }, { filename: 'b.bin', content: Buffer.alloc(25 * MB, 2) }]);
    expect(split.statusCode).toBe(413);
    expect(split.json().error.code).toBe('UPLOAD_TOO_LARGE');
    expect(onDisk()).toEqual(before);
    const single = await upload([{ filename: 'big.bin', content: Buffer.alloc(50 * MB + 1, 3) }]);
    expect(single.statusCode).toBe(413);
    expect(onDisk()).toEqual(before);
    expect((await ok(ponte.app, 'GET', `/v1/chats/${chatId}/attachments`)).items).toHaveLength(3);
  });

  it('accepts exactly 50 MB', async () => {
    const res = await upload([{ filename: 'a.bin', content: Buffer.alloc(30 * MB, 1) }, { filename: 'b.bin', content: Buffer.alloc(20 * MB, 2) }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items.map((a: { size: number }) => a.size)).toEqual([30 * MB, 20 * MB]);
  });

  it('refuses an upload without files (400) or without multipart (415)', async () => {
    const empty = await upload([], { agentId: 'ana' });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'NO_FILES']);
    const json = await ponte.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/attachments`, headers: helpdesk, payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  it('answers a multipart body cut short, without a boundary or with broken part headers with 400, keeping no file', async () => {
    const whole = multipart([{ filename: 'nota.txt', content: Buffer.from('conteúdo da nota') }]);
    const bodies = [
      { headers: whole.headers, payload: whole.payload.subarray(0, whole.payload.length - 30) },
      { headers: { ...helpdesk, 'content-type': 'multipart/form-data' }, payload: whole.payload },
      { headers: whole.headers, payload: Buffer.from(`--${whole.headers['content-type']!.split('boundary=')[1]}\r\nsem cabeçalho\r\n`) },
    ];
    const before = (await ponte.deps.db.query('SELECT count(*)::int AS n FROM attachments')).rows[0]!.n;
    for (const [i, b] of bodies.entries()) {
      const res = await ponte.app.inject({ method: 'POST', url: `/v1/chats/${chatId}/attachments`, ...b });
      expect(res.statusCode, `body ${i}: ${res.body}`).toBe(400);
      expect(res.json().error.details).toEqual([expect.objectContaining({ path: '(body)' })]);
    }
    expect((await ponte.deps.db.query('SELECT count(*)::int AS n FROM attachments')).rows[0]!.n).toBe(before);
    expect(readdirSync(path.join(ponte.deps.uploadDir, chatId)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('serves every file as a download that cannot run: HTML and SVG become octet-stream, with nosniff and a CSP sandbox', async () => {
    const res = await upload([
      { filename: 'pagina.html', type: 'text/html', content: Buffer.from('<script>alert(1)</script>') },
      { filename: 'logo.svg', type: 'image/svg+xml', content: Buffer.from('<svg onload="alert(1)"/>') },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items.map((a: { contentType: string }) => a.contentType)).toEqual(['application/octet-stream', 'application/octet-stream']);
    for (const item of res.json().items as Array<{ id: string }>) {
      const download = await ponte.app.inject({ method: 'GET', url: `/v1/chats/${chatId}/attachments/${item.id}`, headers: helpdesk });
      expect(download.headers).toMatchObject({
        'content-type': 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
      });
      expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });
});
