// Every stored file (chat and return attachments, agent and portal side) leaves ponte the same
// way: as a download (Content-Disposition: attachment), with a content type from the
// allow-list, nosniff, and a CSP sandbox, so a file opened anyway cannot run in our origin.

import type { FastifyReply } from 'fastify';
import { servedContentType } from '../domain/file-types.js';

export const FILE_CSP = "sandbox; default-src 'none'";

export function sendFile(reply: FastifyReply, ref: { filename: string; contentType: string; size: number }, stream: NodeJS.ReadableStream) {
  const ascii = ref.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', servedContentType(ref.contentType))
    .header('content-length', ref.size)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ref.filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', FILE_CSP)
    .send(stream);
}
