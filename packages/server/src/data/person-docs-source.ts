/**
 * What the server's context holds of the person documents (data/person-docs.ts builds it): kept
 * apart from that module so that the context's types do not import the population module (no
 * import cycle: tests/architecture.test.ts).
 */
import type { PersonDocs, PersonDocsManifest } from '@openphm/store-duckdb';
import type { PhmData } from './phm-data.js';
import type { RecordRenderer, RecordRenderRequest, RenderedRecord } from './record-renderer.js';

export type PersonDocsStatus = 'absent' | 'building' | 'ready' | 'failed';

export interface PersonDocsSource {
  /** The documents serving the data version now being served, or null (then DuckDB answers). */
  current(data: PhmData): Promise<PersonDocs | null>;
  /**
   * The record renderer (a worker thread: record-renderer.ts) bound to documents `current` gave; null when the server has
   * none (the route assembles the record). Its answers of `elsewhere` mean the same for that request.
   */
  rendererOf(docs: PersonDocs): BoundRecordRenderer | null;
  /** For /api/health and the benchmarks. */
  readonly state: {
    status: PersonDocsStatus;
    version: string | null;
    manifest: PersonDocsManifest | null;
    error: string | null;
    /** Care records the renderer answered, and those it left to the server's thread (`elsewhere`), since the start. */
    rendered: { records: number; elsewhere: number };
  };
  /** Resolves when the build in progress, if any, has ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The record renderer for one set of documents. */
export interface BoundRecordRenderer {
  practice(personId: string): ReturnType<RecordRenderer['practice']>;
  record(request: RecordRenderRequest): Promise<RenderedRecord | 'not-found' | 'elsewhere'>;
}
