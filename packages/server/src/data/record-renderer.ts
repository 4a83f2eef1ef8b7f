/**
 * The record renderer: the care record's person-level work (reading and parsing the person's
 * document, assembling the record with record-view.ts, validating it against the response schema and
 * serialising it) done on a worker thread, so that the server's one JavaScript thread keeps only the
 * request's own work (session, access check, audit, the operational store). Measured on two cores,
 * the server's thread was the limit of the care record under load with a third of the machine idle
 * (docs/benchmarks.md, the care record under load).
 *
 * The worker opens the same person documents (read-only) as the server, named by their folder and
 * their manifest's build id, build time and code; it answers `elsewhere` when it cannot answer from
 * them exactly as the server would (another folder there now, another day, no score terms in the
 * document), and the server then answers on its own thread as before. Nothing person-level is logged:
 * a failure is reported by its kind only. The same handler runs in the thread (`inThreadRecordRenderer`,
 * for tests) and in the worker (record-worker.ts).
 */
import { Worker } from 'node:worker_threads';
import { InternalError, TIMELINE_PAGE_SIZE, type LogisticModel } from '@openphm/core';
import { RecordResponse } from '@openphm/api-contract';
import { FULL_TERMS, explainAdmissionScore, openPersonDocs, personReads, type AdmissionScorer, type FittedModel, type ModelTerm, type PersonDocs, type PersonPractice } from '@openphm/store-duckdb';
import { renderJson, type RenderedJson } from '../rendered-json.js';
import { recordView, type RecordOperationalParts, type ScorerInfo } from './record-view.js';

/** The documents a request is answered from: their folder and what identifies their build. */
export interface DocsRef {
  readonly dir: string;
  /** The manifest's build id, build time and code. */
  readonly key: string;
}

export const docsKeyOf = (manifest: PersonDocs['manifest']): string => `${manifest.buildId}|${manifest.builtAt}|${manifest.code}`;

export interface RecordRenderRequest {
  readonly personId: string;
  readonly ref: string;
  readonly today: string;
  readonly operational: RecordOperationalParts;
  readonly scorer: AdmissionScorer | { readonly unavailable: string };
  /** Neighbourhoods renamed by an admin (neighbourhood-names.ts). */
  readonly renamed: ReadonlyMap<string, { readonly name: string }>;
}

/** A record rendered: its JSON text and its audit detail. */
export interface RenderedRecord {
  readonly value: RenderedJson;
  readonly audit: string;
}

export interface RecordRenderer {
  /** The person's practice for the care relationship check; null: no such person; `elsewhere`: ask the documents on the server's thread. */
  practice(docs: DocsRef, personId: string): Promise<{ readonly practice: PersonPractice } | null | 'elsewhere'>;
  /** The person's record; `not-found`: no such person; `elsewhere`: assemble it on the server's thread. */
  record(docs: DocsRef, request: RecordRenderRequest): Promise<RenderedRecord | 'not-found' | 'elsewhere'>;
  close(): Promise<void>;
}

// ---- messages (plain data: structured clone)

/** The fitted model without its terms' SQL (functions do not cross threads): the terms by name, found again among FULL_TERMS. */
type ScorerMessage =
  | { readonly unavailable: string }
  | { readonly name: string; readonly terms: readonly string[]; readonly model: LogisticModel; readonly ridge: number; readonly fittedAt: string; readonly people: number };

/** The model again from its message; undefined when a term is not one of FULL_TERMS (then the server's thread scores). */
const fittedOf = (s: Exclude<ScorerMessage, { unavailable: string }>): FittedModel | undefined => {
  const terms = s.terms.map((name) => FULL_TERMS.find((t) => t.name === name));
  return terms.every((t) => t !== undefined) ? { name: s.name, terms: terms as ModelTerm[], model: s.model, ridge: s.ridge } : undefined;
};

/** A change of the scorer or of the names is sent once, with the first request that uses it; later requests name it by key. */
interface Shared<T> {
  readonly key: number;
  readonly value?: T;
}

export type RenderMessage =
  | { readonly id: number; readonly kind: 'practice'; readonly docs: DocsRef; readonly personId: string }
  | {
      readonly id: number;
      readonly kind: 'record';
      readonly docs: DocsRef;
      readonly personId: string;
      readonly ref: string;
      readonly today: string;
      readonly operational: RecordOperationalParts;
      readonly scorer: Shared<ScorerMessage>;
      readonly renamed: Shared<ReadonlyArray<readonly [string, string]>>;
    };

export type RenderReply = { readonly id: number; readonly ok: unknown } | { readonly id: number; readonly failed: string };

/** A database for reads that must never reach one: the handler answers only what the documents hold. */
const NO_DATABASE = {
  query: async (): Promise<never> => {
    throw new InternalError('the record renderer has no database');
  },
};

/** Documents opened by the handler, by key; a replaced set is closed a little later (a request may still read it). */
const RETIRE_AFTER_MS = 30_000;

export interface RenderHandler {
  handle(message: RenderMessage): Promise<unknown>;
  close(): Promise<void>;
}

/** What answers the messages (in the worker, or in the thread for tests). */
export const createRenderHandler = (): RenderHandler => {
  let open: { key: string; dir: string; docs: Promise<PersonDocs | null> } | undefined;
  const scorers = new Map<number, { readonly info: ScorerInfo; readonly fitted: FittedModel | undefined }>();
  const names = new Map<number, ReadonlyMap<string, { name: string }>>();
  const retired = new Set<Promise<PersonDocs | null>>();
  const retire = (docs: Promise<PersonDocs | null>) => {
    retired.add(docs);
    setTimeout(() => {
      retired.delete(docs);
      void docs.then((d) => d?.close()).catch(() => undefined);
    }, RETIRE_AFTER_MS).unref();
  };
  /** The documents named, or null when the folder holds another build (or none) now. */
  const docsOf = async (ref: DocsRef): Promise<PersonDocs | null> => {
    if (open === undefined || open.key !== ref.key || open.dir !== ref.dir) {
      if (open !== undefined) retire(open.docs);
      // Not frozen: the handler only reads them (record-view.ts builds new objects; personReads copies the lists).
      const opening = openPersonDocs(ref.dir, { freeze: false }).then(async (d) => {
        if (d !== null && docsKeyOf(d.manifest) !== ref.key) {
          await d.close();
          return null;
        }
        return d;
      });
      open = { key: ref.key, dir: ref.dir, docs: opening.catch(() => null) };
    }
    return open.docs;
  };
  /** Keeps the latest few: requests of two versions may overlap for a moment. */
  const remember = <T>(map: Map<number, T>, shared: Shared<T>): T | undefined => {
    if (shared.value !== undefined) {
      map.set(shared.key, shared.value);
      if (map.size > 4) map.delete(map.keys().next().value!);
    }
    return map.get(shared.key);
  };
  const handle = async (message: RenderMessage): Promise<unknown> => {
    // The shared parts first, in the order the messages came (before any wait).
    const scorer =
      message.kind === 'record'
        ? remember(scorers, { key: message.scorer.key, ...(message.scorer.value && { value: scorerOf(message.scorer.value) }) })
        : undefined;
    const renamed =
      message.kind === 'record'
        ? remember(names, { key: message.renamed.key, ...(message.renamed.value && { value: new Map(message.renamed.value.map(([id, name]) => [id, { name }])) }) })
        : undefined;
    const docs = await docsOf(message.docs);
    if (docs === null) return 'elsewhere';
    const reads = personReads(NO_DATABASE, docs);
    if (message.kind === 'practice') return reads.personPractice(message.personId);
    if (scorer === undefined || renamed === undefined) throw new InternalError('the record renderer was not sent the scorer or the names');
    const { personId, ref } = message;
    // The documents answer for their own day only; any other is read from DuckDB on the server's thread.
    if (ref !== docs.manifest.day) return 'elsewhere';
    const subject = await reads.recordSubject(personId, ref);
    if (subject === null) return 'not-found';
    const [codes, medicines, family, carerLinks, timeline, terms] = await Promise.all([
      reads.recordCodes(personId, ref),
      reads.recordMedicines(personId, ref),
      reads.recordFamily(personId),
      reads.recordCarerLinks(personId, ref),
      reads.recordTimeline(personId, { kinds: [], page: 1, pageSize: TIMELINE_PAGE_SIZE }),
      reads.admissionTerms(personId, ref),
    ]);
    let score = null;
    if (!('unavailable' in scorer.info) && subject.death === null && terms !== null) {
      // Terms of another model, or none in the document: the features table answers, on the server's thread.
      const fitted = scorer.fitted;
      if (fitted === undefined || terms === undefined || terms.length !== fitted.terms.length) return 'elsewhere';
      score = explainAdmissionScore(fitted, terms);
    }
    const { value, audit } = recordView({ personId, ref, today: message.today, person: { subject, codes, medicines, family, carerLinks, timeline }, operational: message.operational, scorer: scorer.info, score, renamed });
    return { value: renderJson(RecordResponse, value), audit } satisfies RenderedRecord;
  };
  return {
    handle,
    close: async () => {
      const all = [...retired, ...(open ? [open.docs] : [])];
      open = undefined;
      retired.clear();
      await Promise.all(all.map((d) => d.then((x) => x?.close()).catch(() => undefined)));
    },
  };
};

/** What the handler keeps of a scorer: what the record says of it, and the model (undefined: unavailable, or a term unknown here). */
const scorerOf = (s: ScorerMessage): { readonly info: ScorerInfo; readonly fitted: FittedModel | undefined } =>
  'unavailable' in s ? { info: { unavailable: s.unavailable }, fitted: undefined } : { info: { fittedAt: s.fittedAt, people: s.people }, fitted: fittedOf(s) };

/** The handler's answer as the renderer's. */
const practiceAnswer = (answer: unknown): { readonly practice: PersonPractice } | null | 'elsewhere' => answer as { readonly practice: PersonPractice } | null | 'elsewhere';
const recordAnswer = (answer: unknown): RenderedRecord | 'not-found' | 'elsewhere' => answer as RenderedRecord | 'not-found' | 'elsewhere';

/** Numbers each scorer and names object once, and says whether the receiver has it already. */
const sharing = <T extends object, M>(toMessage: (value: T) => M) => {
  const keys = new WeakMap<T, number>();
  let next = 1;
  let last: T | undefined;
  return (value: T): Shared<M> => {
    let key = keys.get(value);
    if (key === undefined) keys.set(value, (key = next++));
    if (last === value) return { key };
    last = value;
    return { key, value: toMessage(value) };
  };
};

const scorerMessage = (s: RecordRenderRequest['scorer']): ScorerMessage =>
  'unavailable' in s
    ? { unavailable: s.unavailable }
    : { name: s.fitted.name, terms: s.fitted.terms.map((t) => t.name), model: s.fitted.model, ridge: s.fitted.ridge, fittedAt: s.fittedAt, people: s.people };
const namesMessage = (m: RecordRenderRequest['renamed']): ReadonlyArray<readonly [string, string]> => [...m].map(([id, n]) => [id, n.name] as const);

/** The messages of one receiver, numbered, with the shared parts sent when they change (a new receiver gets a new messenger). */
const messenger = () => {
  const scorer = sharing(scorerMessage);
  const names = sharing(namesMessage);
  let id = 0;
  return {
    practice: (docs: DocsRef, personId: string): RenderMessage => ({ id: ++id, kind: 'practice', docs, personId }),
    record: (docs: DocsRef, r: RecordRenderRequest): RenderMessage => ({
      id: ++id,
      kind: 'record',
      docs,
      personId: r.personId,
      ref: r.ref,
      today: r.today,
      operational: r.operational,
      scorer: scorer(r.scorer),
      renamed: names(r.renamed),
    }),
  };
};

/** The renderer in the server's own thread (tests: the same handler and messages as the worker, structured-cloned). */
export const inThreadRecordRenderer = (): RecordRenderer => {
  const handler = createRenderHandler();
  const m = messenger();
  const send = async (message: RenderMessage): Promise<unknown> => handler.handle(structuredClone(message));
  return {
    practice: async (docs, personId) => practiceAnswer(await send(m.practice(docs, personId))),
    record: async (docs, request) => recordAnswer(await send(m.record(docs, request))),
    close: () => handler.close(),
  };
};

/**
 * The renderer on a worker thread (record-worker.js beside this module, so the built server only). The worker is started
 * on first use and again after it fails; a failure fails the requests waiting on it (500) and nothing else.
 */
export const workerRecordRenderer = (script: URL = new URL('./record-worker.js', import.meta.url)): RecordRenderer => {
  let worker: Worker | undefined;
  let m = messenger();
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let closed = false;
  const failAll = (why: string) => {
    for (const w of waiting.values()) w.reject(new InternalError(`the record renderer failed (${why})`));
    waiting.clear();
  };
  const started = (): Worker => {
    if (worker !== undefined) return worker;
    const w = new Worker(script);
    w.unref();
    m = messenger();
    w.on('message', (reply: RenderReply) => {
      const pending = waiting.get(reply.id);
      if (pending === undefined) return;
      waiting.delete(reply.id);
      if ('failed' in reply) pending.reject(new InternalError(`the record renderer failed (${reply.failed})`));
      else pending.resolve(reply.ok);
    });
    const gone = (why: string) => {
      if (worker === w) worker = undefined;
      failAll(why);
    };
    w.on('error', (e) => gone(e.name));
    w.on('exit', (code) => gone(`exit ${code}`));
    worker = w;
    return w;
  };
  const send = (message: () => RenderMessage): Promise<unknown> => {
    if (closed) return Promise.reject(new InternalError('the record renderer is closed'));
    const w = started();
    const msg = message();
    return new Promise((resolve, reject) => {
      waiting.set(msg.id, { resolve, reject });
      w.postMessage(msg);
    });
  };
  return {
    practice: async (docs, personId) => practiceAnswer(await send(() => m.practice(docs, personId))),
    record: async (docs, request) => recordAnswer(await send(() => m.record(docs, request))),
    close: async () => {
      closed = true;
      const w = worker;
      worker = undefined;
      failAll('closed');
      await w?.terminate();
    },
  };
};
