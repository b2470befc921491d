// JSONata, loaded with require: an ESM `import` of a CommonJS package makes Node scan its source
// for export names first, and jsonata.js is one 300 KB file (≈30 ms of every start).

import { createRequire } from 'node:module';
import type jsonataType from 'jsonata';

export const jsonata = createRequire(import.meta.url)('jsonata') as typeof jsonataType;
