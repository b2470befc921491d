// After `tsc` (scripts/build.mjs), copies what the compiled code reads at run time (SQL
// migrations, schemas, mappings, the connector kinds' default outcome rules, the SOAP WSDL,
// the admin page) into dist/.
import { cpSync, existsSync } from 'node:fs';

const assets = [
  ['src/store/migrations', 'dist/src/store/migrations'],
  ['schemas', 'dist/schemas'],
  ['mappings', 'dist/mappings'],
  ['connectors/soap-crm/fixtures', 'dist/connectors/soap-crm/fixtures'],
  ['connectors/rest/outcomes.json', 'dist/connectors/rest/outcomes.json'],
  ['connectors/soap/outcomes.json', 'dist/connectors/soap/outcomes.json'],
  ['src/admin/page', 'dist/src/admin/page'],
];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
