// Writes the OpenAPI document to a file or stdout: `npx tsx scripts/openapi.ts [openapi.json]`.

import { writeFileSync } from 'node:fs';
import { buildDocument } from './openapi-document.js';

const doc = JSON.stringify(await buildDocument(), null, 2) + '\n';
const out = process.argv[2];
if (out) writeFileSync(out, doc);
else process.stdout.write(doc);
