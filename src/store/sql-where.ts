// Builds the WHERE clause of the list queries: conditions with `?` placeholders numbered in order.

export class SqlWhere {
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  /** Adds `sql` with each `?` bound to the next of `params`. */
  and(sql: string, ...params: unknown[]): this {
    let i = 0;
    this.conditions.push(sql.replace(/\?/g, () => this.param(params[i++])));
    return this;
  }

  /** Binds a value and returns its placeholder ($n), for LIMIT and the like. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  toString(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
