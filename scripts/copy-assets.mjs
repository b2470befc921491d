// After `tsc`, copies what the compiled code reads at run time (SQL migrations, schemas,
// mappings, the SOAP WSDL, the admin page, the spell-check thread's boot file) into dist/.
import { cpSync, existsSync } from 'node:fs';

const assets = [
  ['src/store/migrations', 'dist/src/store/migrations'],
  ['schemas', 'dist/schemas'],
  ['mappings', 'dist/mappings'],
  ['connectors/soap-crm/fixtures', 'dist/connectors/soap-crm/fixtures'],
  ['src/admin/page', 'dist/src/admin/page'],
  ['src/tools/spellcheck/check-thread-boot.mjs', 'dist/src/tools/spellcheck/check-thread-boot.mjs'],
];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
