/** The operational store's small interface (PGlite and PostgreSQL alike), apart from how it is opened. */

export type SqlParam = string | number | boolean | null | Date;

export interface Queryable {
  /** One parameterised statement ($1, $2, …); returns the rows. */
  query<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface OperationalDb extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  readonly location: string;
  readonly schema: string;
  /**
   * How many statements that may write this process has run (anything but a SELECT), and
   * transactions it has finished: freshness stamps are re-read when it moves (context.ts freshStamp).
   */
  readonly writes: number;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
