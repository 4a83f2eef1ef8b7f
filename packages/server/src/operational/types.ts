/** The operational store's small interface (PGlite and PostgreSQL alike), apart from how it is opened. */

export type SqlParam = string | number | boolean | null | Date;

export interface Queryable {
  /** One parameterised statement ($1, $2, …); returns the rows. */
  query<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /** False: the transaction's statements do not move `writes` (the audit log's writes only). Default true. */
  readonly counted?: boolean;
}

export interface OperationalDb extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  readonly location: string;
  readonly schema: string;
  /**
   * How many statements that may write this process has run (anything but a SELECT), and
   * transactions it has finished, except the audit log's own (transactions run with
   * `{ counted: false }`): freshness stamps and values are re-read when it moves (context.ts
   * freshStamp, freshValue). The audit log is left out because every audited request writes it,
   * and nothing cached from the operational store reads it.
   */
  readonly writes: number;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The same store, whose statements do not move `writes` (the audit log's own statements only). */
  readonly uncounted: Queryable;
  close(): Promise<void>;
}
