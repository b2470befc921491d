// Per test file: fails the file when an answer it received broke the documented contract
// (see contract.ts).

import { afterAll, expect } from 'vitest';
import { takeViolations } from './contract.js';

afterAll(() => {
  expect(takeViolations(), 'answers that do not match the OpenAPI document').toEqual([]);
});
