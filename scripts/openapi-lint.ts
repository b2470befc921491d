// Redocly's recommended rules (the engine of `redocly lint`) on an OpenAPI document.

import { createConfig, lintFromString } from '@redocly/openapi-core';

export interface LintReport { errors: string[]; warnings: string[] }

export async function lintDocument(doc: Record<string, unknown>, file = 'openapi.json'): Promise<LintReport> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: `${process.cwd()}/${file}`, config });
  const line = (p: (typeof problems)[number]) => `${p.ruleId} ${p.location[0]?.pointer ?? ''} ${p.message}`;
  return { errors: problems.filter((p) => p.severity === 'error').map(line), warnings: problems.filter((p) => p.severity !== 'error').map(line) };
}
