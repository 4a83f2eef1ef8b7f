/**
 * What the server's context holds of the person documents (data/person-docs.ts builds it): kept
 * apart from that module so that the context's types do not import the population module (no
 * import cycle: tests/architecture.test.ts).
 */
import type { PersonDocs, PersonDocsManifest } from '@openphm/store-duckdb';
import type { PhmData } from './phm-data.js';

export type PersonDocsStatus = 'absent' | 'building' | 'ready' | 'failed';

export interface PersonDocsSource {
  /** The documents serving the data version now being served, or null (then DuckDB answers). */
  current(data: PhmData): Promise<PersonDocs | null>;
  /** For /api/health and the benchmarks. */
  readonly state: { status: PersonDocsStatus; version: string | null; manifest: PersonDocsManifest | null; error: string | null };
  /** Resolves when the build in progress, if any, has ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
