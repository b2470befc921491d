// Standard reply templates (CRUD, audited; replies keep their text after the template
// changes) and files on replies: upload, reference once, download by agents, and by the
// client only when the reply is visible to them; refused uploads leave no file.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { auth, startPonte, type Ponte } from '../support/ponte.js';
import { call, createReturn, multipart, ok, portal } from './fixtures.js';
import { UPLOAD_LIMITS } from '../../src/returns/attachments.js';

describe('reply templates and attachments', () => {
  let ponte: Ponte;

  beforeAll(async () => {
    ponte = await startPonte('postgres', { workers: false });
  }, 60_000);
  afterAll(async () => ponte?.close());

  it('templates: create, list, read, replace, delete; replies keep the text they used', async () => {
    const { app, deps } = ponte;
    const t = await ok(app, 'POST', '/v1/reply-templates', { name: 'Encerramento', text: 'Obrigado, {{contactPerson}}!' });
    expect(t).toMatchObject({ name: 'Encerramento', format: 'text' });
    expect((await ok(app, 'GET', '/v1/reply-templates')).items.map((i: { id: string }) => i.id)).toContain(t.id);
    const r = await createReturn(app, 'custom', { contactPerson: 'Maria' });
    const reply = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { templateId: t.id });
    expect(reply).toMatchObject({ text: 'Obrigado, Maria!', replyKind: 'template' });
    const edited = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { templateId: t.id, text: 'Obrigado e até logo!' });
    expect(edited).toMatchObject({ text: 'Obrigado e até logo!', replyKind: 'template' });

    const replaced = await ok(app, 'PUT', `/v1/reply-templates/${t.id}`, { name: 'Encerramento', text: '<b>Até mais</b>', format: 'html' });
    expect(replaced).toMatchObject({ text: '<b>Até mais</b>', format: 'html' });
    expect((await ok(app, 'GET', `/v1/reply-templates/${t.id}`)).format).toBe('html');
    expect((await call(app, 'DELETE', `/v1/reply-templates/${t.id}`)).status).toBe(204);
    expect((await call(app, 'GET', `/v1/reply-templates/${t.id}`)).status).toBe(404);
    const missing = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { templateId: t.id });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('templateId');
    expect((await call(app, 'POST', `/v1/returns/${r.id}/messages`, {})).body.error.details[0].path).toBe('text');

    const timeline = (await ok(app, 'GET', `/v1/returns/${r.id}`)).timeline;
    expect(timeline.find((e: { id: string }) => e.id === reply.id).text).toBe('Obrigado, Maria!');
    const { rows } = await deps.db.query("SELECT action, changes FROM audit_events WHERE target_type = 'reply_template' AND target_id = $1 ORDER BY id", [t.id]);
    expect(rows.map((x) => x.action)).toEqual(['reply_template.created', 'reply_template.updated', 'reply_template.deleted']);
    expect(rows[1]!.changes.format).toEqual({ from: 'text', to: 'html' });
  });

  it('files: uploaded, attached to one reply, downloaded by agents and (when visible) by the client', async () => {
    const { app } = ponte;
    const r = await createReturn(app, 'question');
    const up = await app.inject({ method: 'POST', url: `/v1/returns/${r.id}/attachments`, ...multipart([
      { filename: 'proposta.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 proposta') },
      { filename: 'nota-interna.txt', type: 'text/plain', content: Buffer.from('só para a equipe') },
    ]) });
    expect(up.statusCode, up.body).toBe(201);
    const [pdf, note] = up.json().items as Array<{ id: string; filename: string; size: number }>;
    expect(pdf).toMatchObject({ filename: 'proposta.pdf', contentType: 'application/pdf', size: 17 });

    const visible = await ok(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'Segue a proposta.', attachmentIds: [pdf!.id] });
    expect(visible.attachments).toEqual([expect.objectContaining({ id: pdf!.id, filename: 'proposta.pdf' })]);
    await ok(app, 'POST', `/v1/returns/${r.id}/interactions`, { channel: 'email', text: 'Anexo interno.', attachmentIds: [note!.id] });
    const reused = await call(app, 'POST', `/v1/returns/${r.id}/messages`, { text: 'de novo', attachmentIds: [pdf!.id] });
    expect(reused.status).toBe(400);
    expect(reused.body.error.details[0].path).toBe('attachmentIds[0]');

    const agentGet = await app.inject({ method: 'GET', url: `/v1/returns/${r.id}/attachments/${note!.id}`, headers: auth('helpdesk') });
    expect(agentGet.statusCode).toBe(200);
    expect(agentGet.body).toBe('só para a equipe');
    expect(agentGet.headers['content-disposition']).toContain('attachment;');

    const clientPdf = await portal(app, 'GET', r.id, r.portalToken, `/attachments/${pdf!.id}`);
    expect(clientPdf.status).toBe(200);
    expect(clientPdf.raw).toBe('%PDF-1.4 proposta');
    expect((await portal(app, 'GET', r.id, r.portalToken, `/attachments/${note!.id}`)).status).toBe(404);
    const other = await createReturn(app, 'notice');
    expect((await portal(app, 'GET', other.id, other.portalToken, `/attachments/${pdf!.id}`)).status).toBe(404);
  });

  it('an upload over the limits is refused (413) and leaves no file behind', async () => {
    const { app, deps } = ponte;
    const r = await createReturn(app, 'notice');
    const files = Array.from({ length: UPLOAD_LIMITS.files + 1 }, (_, i) => ({ filename: `f${i}.txt`, content: Buffer.from(`arquivo ${i}`) }));
    const res = await app.inject({ method: 'POST', url: `/v1/returns/${r.id}/attachments`, ...multipart(files) });
    expect(res.statusCode, res.body).toBe(413);
    const dir = path.join(deps.uploadDir, 'returns', r.id);
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    const big = await app.inject({ method: 'POST', url: `/v1/returns/${r.id}/attachments`, ...multipart([
      { filename: 'ok.txt', content: Buffer.from('pequeno') },
      { filename: 'big.bin', content: Buffer.alloc(UPLOAD_LIMITS.fileSize + 1) },
    ]) });
    expect(big.statusCode, big.body).toBe(413);
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    const { rows } = await deps.db.query('SELECT count(*)::int AS n FROM return_attachments WHERE return_id = $1', [r.id]);
    expect(rows[0]!.n).toBe(0);
  });
});
