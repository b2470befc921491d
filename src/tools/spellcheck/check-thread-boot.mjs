// Starts the spell-check worker thread from TypeScript sources (tsx, vitest): a worker thread does
// not inherit the main thread's TypeScript loader, so it registers tsx before importing the entry.
// A compiled build (dist/*.js) starts check-thread.js directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
