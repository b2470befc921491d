// pg's Client emits 'error' when its server goes away (a restart, pg_terminate_backend, the
// embedded database stopping), and an 'error' event nobody listens to kills the process.
// pg-pool listens only while a client is idle: a client checked out — inside a transaction,
// BullMQ's schema check, a migration — between two statements has no listener at that moment.
// Every pooled client ponte or BullMQ opens is this one: it always has a listener, so the loss
// reaches whoever uses the client through its failing query and never crashes the process.

import pg from 'pg';

export class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}
