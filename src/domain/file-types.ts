// Which content types a stored file is served with: the documents, images, archives and
// media a support conversation carries (the ERP's NF-e XML included). Anything else — HTML,
// SVG, scripts, unknown types — is served as application/octet-stream, so no browser renders
// or runs an uploaded file, whatever its sender claimed.

const ALLOWED = new Set([
  'application/pdf', 'text/plain', 'text/csv', 'application/xml', 'text/xml', 'application/json', 'message/rfc822',
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff', 'image/heic',
  'audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/mp4', 'video/mp4', 'video/webm', 'video/quicktime',
  'application/zip', 'application/x-zip-compressed', 'application/gzip', 'application/x-7z-compressed', 'application/vnd.rar', 'application/x-rar-compressed',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/rtf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation',
  'application/x-pkcs12', 'application/pkcs7-signature', 'application/x-x509-ca-cert',
]);

export const FALLBACK_TYPE = 'application/octet-stream';

/** The type a file is stored and served with: the claimed one when allowed, else FALLBACK_TYPE. */
export function servedContentType(claimed: string | undefined | null): string {
  const type = (claimed ?? '').split(';')[0]!.trim().toLowerCase();
  return ALLOWED.has(type) ? type : FALLBACK_TYPE;
}
