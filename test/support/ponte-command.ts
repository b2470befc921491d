// The `ponte` command as users run it: node on the compiled dist/ (what the bin and `npm start`
// run), so a test that spawns ponte pays no TypeScript loader. The global setup builds dist/
// first when a source is newer (scripts/build.mjs --if-stale).

import path from 'node:path';
import { PROJECT_ROOT } from '../../src/schemas.js';

/** Arguments for `process.execPath` that run ponte's CLI; append the command and its options. */
export const PONTE = [path.join(PROJECT_ROOT, 'dist/src/main.js')];
