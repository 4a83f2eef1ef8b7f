/**
 * The person documents beside the database (store-duckdb's person-docs.ts, decision 0012): the
 * person-level routes read one document per request instead of querying twelve tables. A store
 * is used only for the data version it was built from (its build id), the reference date the
 * routes use and the running code; anything else (absent, stale after a new load or an
 * incremental one, half-written) is not used and every read goes to DuckDB as before, while,
 * when asked, the documents of the version being served are built in the background (one build at
 * a time) and used as soon as they are ready.
 */
import { TIMELINE_PAGE_SIZE } from '@openphm/core';
import { buildIdOf, buildPersonDocs, openPersonDocs, personDocsServe, personReads, type PersonDocs, type PersonReads, type Queryable } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import type { PhmData } from './phm-data.js';
import { referenceDate } from './population.js';
import type { BoundRecordRenderer, PersonDocsSource } from './person-docs-source.js';
import { docsKeyOf, inThreadRecordRenderer, workerRecordRenderer, type RecordRenderer } from './record-renderer.js';

export type { PersonDocsSource, PersonDocsStatus } from './person-docs-source.js';

export interface PersonDocsOptions {
  /** The folder (phm serve: `<db>.people`). */
  readonly dir: string;
  /** Build the documents of the version being served in the background when the folder has none for it (default false). */
  readonly build?: boolean;
  /** Told when a build starts, ends or fails (never with person-level content). */
  readonly log?: (message: string) => void;
  /** What a build waits for before it starts (phm serve: the background precomputation, so that the two do not compete). */
  readonly startAfter?: () => Promise<void>;
  /**
   * Who renders the care record from the documents (record-renderer.ts): 'worker' (phm serve: a worker thread, the built
   * server only) or 'thread' (the same handler on the server's thread, for tests); none by default (the route assembles it).
   */
  readonly render?: 'worker' | 'thread';
}

/** The database's lookup connections (one person's reads beside the long queries), as store-duckdb's functions take them. */
export const lookupsOf = (data: PhmData): Queryable => {
  const lookup = (data as { lookup?: PhmData['query'] }).lookup;
  return typeof lookup === 'function' ? { query: <T extends object>(sql: string, params?: Parameters<PhmData['query']>[1]) => lookup.call(data, sql, params) as Promise<T[]> } : data;
};

export const createPersonDocsSource = (options: PersonDocsOptions): PersonDocsSource => {
  const state: PersonDocsSource['state'] = { status: 'absent', version: null, manifest: null, error: null, rendered: { records: 0, elsewhere: 0 } };
  /** The open store and the version it was checked for. */
  let opened: { version: string; docs: Promise<PersonDocs | null> } | undefined;
  let building: Promise<void> | undefined;
  let closed = false;
  const stop = new AbortController();
  const renderer: RecordRenderer | undefined = options.render === 'worker' ? workerRecordRenderer() : options.render === 'thread' ? inThreadRecordRenderer() : undefined;
  /** The renderer bound to each open store (the store's folder and manifest name it to the renderer). */
  const bound = new WeakMap<PersonDocs, BoundRecordRenderer>();
  const retire = (docs: Promise<PersonDocs | null>) => {
    // Requests may still be reading the old store: closed a little later.
    setTimeout(() => void docs.then((d) => d?.close()).catch(() => undefined), 30_000).unref();
  };

  const build = (data: PhmData, version: string): void => {
    if (building !== undefined || closed) return;
    state.status = 'building';
    state.error = null;
    building = (async () => {
      try {
        await options.startAfter?.();
        if (closed) return;
        const started = performance.now();
        const before = await buildIdOf(data);
        const day = await referenceDate(data);
        options.log?.(`building the person documents in ${options.dir}`);
        const manifest = await buildPersonDocs(data, options.dir, { day, timelinePageSize: TIMELINE_PAGE_SIZE, signal: stop.signal });
        // A version switched during the build: its documents may mix two versions; the next request starts again.
        if ((await buildIdOf(data)) !== before) throw new Error('the data changed while its person documents were built');
        options.log?.(`person documents built: ${manifest.people} people, ${(manifest.bytes / 1e6).toFixed(0)} MB, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        if (opened?.version === version) retire(opened.docs);
        if (data.version() === version && !closed) opened = { version, docs: open(data, version).catch(() => null) };
      } catch (e) {
        if (closed) return;
        state.status = 'failed';
        state.error = (e as Error).message;
        options.log?.(`the person documents could not be built: ${(e as Error).message}`);
      } finally {
        building = undefined;
      }
    })();
  };

  const open = async (data: PhmData, version: string): Promise<PersonDocs | null> => {
    const docs = await openPersonDocs(options.dir);
    const [buildId, day] = await Promise.all([buildIdOf(lookupsOf(data)), referenceDate(data)]);
    if (docs !== null && personDocsServe(docs, buildId, day, TIMELINE_PAGE_SIZE)) {
      state.status = 'ready';
      state.manifest = docs.manifest;
      state.version = version;
      return docs;
    }
    await docs?.close();
    if (state.status !== 'failed') state.status = 'absent';
    state.manifest = null;
    if (options.build && buildId !== undefined) build(data, version);
    return null;
  };

  const source: PersonDocsSource = {
    state,
    current: (data) => {
      if (closed) return Promise.resolve(null);
      const version = data.version();
      if (opened === undefined || opened.version !== version) {
        if (opened !== undefined) retire(opened.docs);
        const docs = open(data, version).catch(() => null);
        opened = { version, docs };
      }
      return opened.docs;
    },
    rendererOf: (docs) => {
      if (renderer === undefined) return null;
      let b = bound.get(docs);
      if (b === undefined) {
        const ref = { dir: docs.dir, key: docsKeyOf(docs.manifest) };
        b = {
          practice: (personId) => renderer.practice(ref, personId),
          record: async (request) => {
            const answer = await renderer.record(ref, request);
            if (answer === 'elsewhere') state.rendered.elsewhere++;
            else state.rendered.records++;
            return answer;
          },
        };
        bound.set(docs, b);
      }
      return b;
    },
    idle: async () => {
      while (building !== undefined) await building;
    },
    close: async () => {
      closed = true;
      stop.abort();
      while (building !== undefined) await building;
      const d = opened?.docs;
      opened = undefined;
      await renderer?.close();
      await (await d)?.close();
    },
  };
  return source;
};

/**
 * One request's person-level reads: from the documents of the version being served when there are
 * some, else from DuckDB's lookup connections.
 */
export const personReadsOf = async (ctx: Pick<ServerContext, 'data' | 'personDocs'>): Promise<PersonReads> =>
  personReads(lookupsOf(ctx.data), ctx.personDocs === undefined ? null : await ctx.personDocs.current(ctx.data));

/** The reads as personReadsOf gives them, and the record renderer bound to the same documents when there is one (one look at the data's version for both). */
export const personReadsAndRenderer = async (ctx: Pick<ServerContext, 'data' | 'personDocs'>): Promise<{ readonly reads: PersonReads; readonly renderer: BoundRecordRenderer | null }> => {
  const docs = ctx.personDocs === undefined ? null : await ctx.personDocs.current(ctx.data);
  return { reads: personReads(lookupsOf(ctx.data), docs), renderer: docs === null ? null : ctx.personDocs!.rendererOf(docs) };
};
