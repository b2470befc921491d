// Prints the README's configuration table from src/config.ts, so the two never drift.
// Run: npx tsx scripts/config-table.ts

import { SETTINGS } from '../src/config.js';

const rows = SETTINGS.map((s) => {
  const def = s.default === undefined ? '—'
    : Array.isArray(s.default) ? (s.default.length ? s.default.join(',') : '—')
    : typeof s.default === 'object' ? (Object.keys(s.default as object).length ? JSON.stringify(s.default) : '—')
    : String(s.default);
  return `| \`${s.env}\` | ${def === '—' ? def : `\`${def}\``} | ${s.doc} |`;
});
process.stdout.write(['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n') + '\n');
