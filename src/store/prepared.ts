// Named (prepared) statements on a real PostgreSQL server: a statement text seen before is sent
// by name, so each connection parses and plans it once instead of on every call (the ingest's
// and the integration job's statements carry 10–40 parameters; parsing and planning them was a
// fifth of their cost). Bounded: the first MAX_NAMES distinct texts get a name, later ones run
// unnamed, so list filters built on the fly cannot grow every connection's cache without end.
// Not for the embedded database: pglite-socket serves every connection from one PGlite session,
// where a name prepared by one connection collides with the same name sent by another.

import type pg from 'pg';

const MAX_NAMES = 500;

/** pg's answer when a schema change (a newer ponte's migration) altered a prepared statement's result. */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

export class PreparedNames {
  private readonly names = new Map<string, string>();
  private issued = 0;

  /** The query as pg sends it: by name when the text has parameters and a name is free. */
  private config(text: string, values: unknown[] | undefined): pg.QueryConfig {
    // Without parameters pg uses the simple protocol, which allows several statements in one text.
    if (!values?.length) return { text, values };
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_NAMES) this.names.set(text, (name = `ponte_${this.issued++}`));
    return name === undefined ? { text, values } : { name, text, values };
  }

  /** Runs `text` by name; a plan made stale by a schema change is dropped and the text sent again under a new name. */
  async run<R extends pg.QueryResultRow>(send: (config: pg.QueryConfig) => Promise<pg.QueryResult<R>>, text: string, values: unknown[] | undefined): Promise<pg.QueryResult<R>> {
    try {
      return await send(this.config(text, values));
    } catch (err) {
      if (!isStalePlan(err)) throw err;
      this.names.delete(text);
      return send(this.config(text, values));
    }
  }
}
