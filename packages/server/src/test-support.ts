/** Test helpers for the server: a tiny database from the store's fixture, logins, cookies. Not part of the build. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { FRAILTY_DEFICITS, perturbCount, type AggregateCell, type Breakdown, type IndicatorEngine } from '@openphm/core';
import { buildDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, IDENTITY_HEADER, IDENTITY_ROWS, META, VALID_FILES, writeCsvDir } from '../../store-duckdb/src/test-support.js';
import { openPhmData, type PhmData } from './data/phm-data.js';
import { createUser, listUsers } from './operational/users.js';
import { LOGGER_SERIALIZERS, createServer, type ServerOptions } from './server.js';

export const PASSWORD = 'correct horse battery';

/** A fixture database: its folder and file, what a server on it is started with, and how to remove it. */
export interface Fixture {
  readonly dir: string;
  readonly file: string;
  /** Server options that go with the database (a plans folder, …). */
  readonly options?: Partial<ServerOptions>;
  readonly remove: () => void;
}

/** Builds the store's four-person fixture database in a new temporary folder. */
export const buildFixtureDatabase = async (): Promise<Fixture> => {
  const dir = mkdtempSync(join(tmpdir(), 'phm-server-'));
  const csvDir = writeCsvDir(dir, VALID_FILES);
  const file = join(dir, 'fixture.duckdb');
  await buildDatabase({ outFile: file, csvDir, geography: GEOGRAPHY, meta: META, threads: 1 });
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/**
 * The four-person fixture with its identity store (the store's IDENTITY_ROWS: 1 Arjun Patel
 * 999 000 0018, 2 Amelia Sutcliffe 999 000 0026, 3 Margaret Wójcik 999 000 0034, 4 John O'Brien
 * 999 000 0042). People 1 and 3 are registered with practices of leeds-1 (the neighbourhood team's).
 */
export const buildIdentityFixture = async (): Promise<Fixture> => {
  const dir = mkdtempSync(join(tmpdir(), 'phm-server-'));
  const csvDir = writeCsvDir(dir, { ...VALID_FILES, 'identity.csv': `${[IDENTITY_HEADER, ...IDENTITY_ROWS].join('\n')}\n` });
  const file = join(dir, 'identity-fixture.duckdb');
  await buildDatabase({ outFile: file, csvDir, geography: GEOGRAPHY, meta: META, threads: 1 });
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Accounts for every role (neighbourhood bound to leeds-1, which holds persons 1 and 3). */
export const seedRoleAccounts = async (app: FastifyInstance): Promise<void> => {
  const ops = app.openphm.ops;
  await createUser(ops, { email: 'analyst@test', displayName: 'Analyst', password: PASSWORD, role: 'analyst' });
  await createUser(ops, { email: 'leeds@test', displayName: 'Leeds team', password: PASSWORD, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
  await createUser(ops, { email: 'admin@test', displayName: 'Admin', password: PASSWORD, role: 'admin' });
  await createUser(ops, { email: 'programme@test', displayName: 'Programme lead', password: PASSWORD, role: 'programme' });
  await createUser(ops, { email: 'board@test', displayName: 'Board member', password: PASSWORD, role: 'board' });
};

export const ROLE_EMAIL = { analyst: 'analyst@test', neighbourhood: 'leeds@test', admin: 'admin@test', programme: 'programme@test', board: 'board@test' } as const;

export const cookieOf = (response: LightMyRequestResponse): string => {
  const set = response.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  if (!first) throw new Error(`no cookie set (status ${response.statusCode}: ${response.body})`);
  return first.split(';')[0]!;
};

/** Logs in and returns the Cookie header value. */
export const login = async (app: FastifyInstance, email: string, password = PASSWORD): Promise<string> => {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login as ${email} failed: ${response.statusCode} ${response.body}`);
  return cookieOf(response);
};

/**
 * The four-person fixture plus `extra` synthetic people, so that some published counts are above
 * the suppression threshold: people 100… live in leeds-1 (E01011230, IMD decile 5; every third in
 * E01011229, decile 1), all on the hypertension register, every second also asthmatic and a carer.
 */
/** Someone added to the population fixture: where they live, their practice, and whether frail (ten eFI deficits coded) with an emergency admission in January 2026. */
export interface ExtraPerson {
  readonly id: number;
  readonly lsoa: string;
  readonly practice: string;
  readonly frailAdmitted?: boolean;
}

/** The first code of each of ten coded eFI deficits: a moderate frailty (eFI 10/36). */
const FRAIL_CODES = FRAILTY_DEFICITS.flatMap((d) => (d.source.kind === 'codes' ? [d.source.codes[0]!.code] : [])).slice(0, 10);

export const buildPopulationFixture = async (extra = 60, more: readonly ExtraPerson[] = []): Promise<Fixture> => {
  const dir = mkdtempSync(join(tmpdir(), 'phm-server-'));
  const people: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < extra; i++) {
    const id = 100 + i;
    const lsoa = i % 3 === 0 ? 'E01011229' : 'E01011230';
    const sex = i % 2 === 0 ? 'F' : 'M';
    people.push(`${id},${sex},${1940 + (i % 60)}-03-15,A,${lsoa},B86002,2000-01-01,${i % 2 === 0}`);
    events.push(`${id},2022-01-10,38341003,`);
    if (i % 2 === 0) events.push(`${id},2022-02-10,195967001,`);
  }
  const spells: string[] = [];
  for (const m of more) {
    people.push(`${m.id},F,1935-03-15,A,${m.lsoa},${m.practice},2000-01-01,false`);
    events.push(`${m.id},2022-01-10,38341003,`);
    if (m.frailAdmitted) {
      for (const code of FRAIL_CODES) events.push(`${m.id},2025-06-01,${code},`);
      spells.push(`${9000 + m.id},${m.id},2026-01-10,2026-01-20,emergency,R296,home`);
    }
  }
  const files = {
    ...VALID_FILES,
    'person.csv': `${VALID_FILES['person.csv']!.trimEnd()}\n${people.join('\n')}\n`,
    'clinical_event/part-0003.csv': `person_id,event_date,snomed_code,numeric_value\n${events.join('\n')}\n`,
    ...(spells.length > 0 ? { 'hospital_spell.csv': `${VALID_FILES['hospital_spell.csv']!.trimEnd()}\n${spells.join('\n')}\n` } : {}),
  };
  const csvDir = writeCsvDir(dir, files);
  const file = join(dir, 'population.duckdb');
  await buildDatabase({ outFile: file, csvDir, geography: GEOGRAPHY, meta: META, threads: 1 });
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/**
 * The population fixture with people whose practice is in another neighbourhood than their home (all
 * on the hypertension register, born 1935): 200, 201 and 203 live in leeds-1 and are registered with
 * Halifax Practice (calderdale-1's PCN); 300 lives in calderdale-1 and is registered with Leeds
 * Surgery (leeds-1's PCN). 200 and 202 (living in leeds-1, registered with Leeds Surgery) are frail
 * with an emergency admission in January 2026: the top of leeds-1's high-risk worklist.
 */
export const buildCrossingFixture = (): Promise<Fixture> =>
  buildPopulationFixture(60, [
    { id: 200, lsoa: 'E01011230', practice: 'B82001', frailAdmitted: true },
    { id: 201, lsoa: 'E01011229', practice: 'B82001' },
    { id: 203, lsoa: 'E01011230', practice: 'B82001' },
    { id: 202, lsoa: 'E01011230', practice: 'B86001', frailAdmitted: true },
    { id: 300, lsoa: 'E01010001', practice: 'B86001' },
  ]);

/** A valid directory entry for the tests (Ofcom drama number), with fields replaced by `over`. */
export const testService = (id: string, over: object = {}) => ({
  id,
  organisation: { id: 'test-org', name: 'Test Organisation' },
  name: `Service ${id}`,
  description: 'A community service for the tests.',
  status: 'active',
  categories: ['social-groups'],
  areas: ['place:leeds'],
  schedule: 'Mondays',
  cost: 'Free',
  eligibility: { minAge: 18 },
  contact: { phone: '01632 960 000' },
  referral: { self: true, linkWorker: true },
  lastReviewed: '2026-10-01',
  ...over,
});

/** The population fixture, built and opened once for a test file (closed and removed after). */
export const usePopulationData = (): (() => { file: string; data: PhmData }) => {
  let fixture: Awaited<ReturnType<typeof buildPopulationFixture>> | undefined;
  let data: PhmData | undefined;
  beforeAll(async () => {
    fixture = await buildPopulationFixture();
    data = await openPhmData(fixture.file);
  });
  afterAll(() => {
    data?.close();
    fixture?.remove();
  });
  return () => {
    if (!fixture || !data) throw new Error('the population fixture is not open');
    return { file: fixture.file, data };
  };
};

/** Every published count in a JSON document, with where it is. */
export const publishedCountsOf = (value: unknown, keys: readonly string[], path = ''): { path: string; value: unknown }[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => publishedCountsOf(v, keys, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      keys.includes(k) && (v === null || typeof v === 'number') ? [{ path: `${path}.${k}`, value: v }] : publishedCountsOf(v, keys, `${path}.${k}`),
    );
  }
  return [];
};

/** The published counts that break the rule: each must be null (withheld), 0, or a whole number of at least 8 (never 1-7). */
export const unsafeCounts = (doc: unknown, keys: readonly string[] = ['people', 'groupPeople', 'count', 'total', 'numerator', 'denominator']): string[] =>
  publishedCountsOf(doc, keys)
    .filter((c) => !(c.value === null || c.value === 0 || (typeof c.value === 'number' && c.value > 7 && Number.isInteger(c.value))))
    .map((c) => `${c.path} = ${String(c.value)}`);

export type Who = 'public' | keyof typeof ROLE_EMAIL;


/**
 * Something the tests of one file (or describe block) share: started before them, stopped after
 * them (beforeAll / afterAll where this is called). The getter throws outside the tests.
 */
const useStarted = <T>(start: () => Promise<{ value: T; stop: () => Promise<void> }>): (() => T) => {
  let started: { value: T; stop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.stop();
    started = undefined;
  });
  return () => {
    if (started === undefined) throw new Error('the test server is not running (use it inside a test)');
    return started.value;
  };
};

/** Runs `use` on a new fixture database, removing the fixture if it fails. */
const onFixture = async <T>(build: () => Promise<Fixture>, use: (fixture: Fixture) => Promise<T>): Promise<{ fixture: Fixture; value: T }> => {
  const fixture = await build();
  try {
    return { fixture, value: await use(fixture) };
  } catch (error) {
    fixture.remove();
    throw error;
  }
};

/** How a test server is set up. */
export interface TestServerSetup {
  /** Builds its database (default: the four-person fixture). */
  readonly fixture?: () => Promise<Fixture>;
  /** Its options besides the database. */
  readonly options?: Partial<ServerOptions>;
}

/** A running test server: its app, and requests to it. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly inject: (request: InjectOptions | string) => Promise<LightMyRequestResponse>;
}

/** A server (no accounts) for the tests of one file or describe block, on a fixture database built for it. */
export const useServer = ({ fixture: build = buildFixtureDatabase, options = {} }: TestServerSetup = {}): TestServer => {
  const current = useStarted(async () => {
    const { fixture, value: app } = await onFixture(build, (f) => createServer({ duckdbFile: f.file, webDir: false, ...f.options, ...options }));
    return {
      value: app,
      stop: async () => {
        await app.close();
        fixture.remove();
      },
    };
  });
  return {
    get app() {
      return current();
    },
    inject: (request) => current().inject(request),
  };
};

/** A temporary folder for the tests of one file or describe block (removed after them). */
export const useTempDir = (prefix: string): (() => string) =>
  useStarted(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    return { value: dir, stop: async () => rmSync(dir, { recursive: true, force: true }) };
  });

/** What a command (`phm …`) run in `cwd` is given to write to, and what it wrote to stdout. */
export const commandIo = (cwd: string) => {
  const out: string[] = [];
  return { out, io: { stdout: { write: (t: string) => void out.push(t) }, stderr: { write: () => undefined }, env: {}, cwd } };
};

/** A signed-in server as the tests see it while it runs (its app, its log, requests as each role). */
const liveServer = (current: () => SignedInServer): SignedInServer => ({
  get app() {
    return current().app;
  },
  get logLines() {
    return current().logLines;
  },
  as: (...args) => current().as(...args),
});

/**
 * A signed-in server (startSignedInServer) for the tests of one file or describe block, on a fixture
 * database built for it; `prepare` runs once it has started.
 */
export const useSignedInServer = ({
  fixture: build = buildFixtureDatabase,
  options = {},
  prepare = async () => undefined,
}: TestServerSetup & { readonly prepare?: (server: SignedInServer) => Promise<void> } = {}): SignedInServer =>
  liveServer(
    useStarted(async () => {
      const { fixture, value: server } = await onFixture(build, async (f) => {
        const started = await startSignedInServer(f.file, { ...f.options, ...options });
        await prepare(started).catch(async (error: unknown) => {
          await started.app.close();
          throw error;
        });
        return started;
      });
      return {
        value: server,
        stop: async () => {
          await server.app.close();
          fixture.remove();
        },
      };
    }),
  );

export interface SignedInServer {
  readonly app: FastifyInstance;
  /** Every line the server logged (to check that no person data reaches the log). */
  readonly logLines: string[];
  /** A request as one role (public: no cookie), with any other headers given. */
  readonly as: (who: Who, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, headers?: Readonly<Record<string, string>>) => ReturnType<FastifyInstance['inject']>;
}

/** A server on a DuckDB file with an account per role signed in, logging at info level into `logLines`. */
/** Per-user limits no test run reaches. */
const TEST_RATE_LIMITS = { 'person-level': { burst: 100_000, perSecond: 100_000 }, 'cohort-count': { burst: 100_000, perSecond: 100_000 } } as const;

export const startSignedInServer = async (duckdbFile: string, options: Partial<ServerOptions> = {}): Promise<SignedInServer> => {
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  // Tests ask person-level questions far faster than anyone would: the per-user limits are lifted unless a
  // test sets its own (access.test.ts and limits.test.ts test them).
  const app = await createServer({ duckdbFile, webDir: false, logger: { level: 'info', stream, serializers: LOGGER_SERIALIZERS }, rateLimits: TEST_RATE_LIMITS, ...options });
  await seedRoleAccounts(app);
  const cookies: Partial<Record<Who, string>> = {};
  for (const [who, email] of Object.entries(ROLE_EMAIL) as [keyof typeof ROLE_EMAIL, string][]) cookies[who] = await login(app, email);
  const as: SignedInServer['as'] = (who, method, url, payload, headers = {}) =>
    app.inject({ method, url, ...(payload ? { payload } : {}), headers: { ...headers, ...(cookies[who] ? { cookie: cookies[who] } : {}) } });
  return { app, logLines, as };
};

// Delivery assurance (strategies, actions, risks, board reports): the fixture database with a
// stand-in indicator engine whose counts grow by period (so trends and statuses can be worked out
// by hand), a plans folder written for the tests, and "today" pinned to 2026-11-26.

// Counts per LSOA; the first grows by 10 a financial year from 2021/22 (i = 0) to 2025/26 (i = 4).
// nk, dk: the cell keys of their records (sums of record keys).
const LSOAS: Record<string, { place: string; decile: string; n: (i: number) => number; d: number; nk: number; dk: number }> = {
  E01011230: { place: 'leeds', decile: '5', n: (i) => 300 + 10 * i, d: 1000, nk: 100, dk: 110 },
  E01011229: { place: 'leeds', decile: '1', n: () => 5, d: 100, nk: 15, dk: 0 },
  E01010001: { place: 'calderdale', decile: '10', n: () => 200, d: 1000, nk: 30, dk: 128 },
};
export const growingEngine: IndicatorEngine = {
  name: 'growing',
  aggregate: async ({ breakdown, period }) => {
    const i = Number(period.start.slice(0, 4)) - 2021;
    const out = new Map<string, AggregateCell>();
    for (const code of Object.keys(LSOAS)) {
      const g = ({ ics: 'ICS', place: LSOAS[code]!.place, lsoa: code, 'imd-decile': LSOAS[code]!.decile } as Partial<Record<Breakdown, string>>)[breakdown];
      if (g === undefined) return [];
      const c = out.get(g) ?? { group: g, numerator: 0, denominator: 0, numeratorKey: 0, denominatorKey: 0 };
      const l = LSOAS[code]!;
      out.set(g, { group: g, numerator: c.numerator + l.n(i), denominator: c.denominator + l.d, numeratorKey: (c.numeratorKey! + l.nk) % 256, denominatorKey: (c.denominatorKey! + l.dk) % 256 });
    }
    return [...out.values()];
  },
};
/** The published percentage of some LSOAs in year i: counts perturbed by their keys (docs/disclosure-control.md). */
const published = (codes: readonly string[], i: number): number => {
  const n = perturbCount(codes.reduce((a, c) => a + LSOAS[c]!.n(i), 0), codes.reduce((a, c) => a + LSOAS[c]!.nk, 0) % 256, 8);
  const d = perturbCount(codes.reduce((a, c) => a + LSOAS[c]!.d, 0), codes.reduce((a, c) => a + LSOAS[c]!.dk, 0) % 256, 8);
  return (n / d) * 100;
};
/** ICS: about (505 + 10i) / 2100 (percent), as published. */
export const publishedIcs = (i: number) => published(['E01011230', 'E01011229', 'E01010001'], i);
/** Leeds: about (305 + 10i) / 1100 (percent), as published. */
export const publishedLeeds = (i: number) => published(['E01011230', 'E01011229'], i);

export const TEST_PLAN = {
  id: 'test-plan',
  version: 1,
  title: 'Test plan',
  board: 'Test Health and Wellbeing Board',
  area: 'ics',
  period: { start: '2022-04-01', end: '2030-03-31' },
  description: 'A plan for the tests.',
  priorities: [
    {
      id: 'healthy',
      title: 'Healthy lives',
      ambitions: [
        {
          id: 'smoking',
          title: 'Fewer smokers',
          measures: [
            // Lower is better, rising from the baseline: worse than baseline.
            { id: 'smoking', title: 'Smoking', source: { kind: 'indicator', indicatorId: 'smoking-prevalence' }, baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'absolute', value: 20, date: '2026-03-31' }, owner: 'Tobacco lead' },
            // No target: incomplete.
            { id: 'smoking-leeds', title: 'Smoking, Leeds', source: { kind: 'indicator', indicatorId: 'smoking-prevalence' }, area: 'place:leeds', baseline: { kind: 'data', periodLabel: '2021/22' } },
          ],
        },
        {
          id: 'weight',
          title: 'Healthy weight',
          measures: [
            // Higher is better: 25.95 in 2025/26 reaches the target of 25: met.
            { id: 'weight', title: 'Healthy weight', source: { kind: 'indicator', indicatorId: 'adult-healthy-weight' }, baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'absolute', value: 25, date: '2030-03-31' } },
            // Leeds 27.73 → 31.36; trajectory to 40 by 2030-03-31 is half way (33.86) on 2026-03-31: off track.
            { id: 'weight-leeds', title: 'Healthy weight, Leeds', source: { kind: 'indicator', indicatorId: 'adult-healthy-weight' }, area: 'place:leeds', baseline: { kind: 'data', periodLabel: '2021/22' }, target: { kind: 'absolute', value: 40, date: '2030-03-31' } },
          ],
        },
      ],
    },
    {
      id: 'connected',
      title: 'Connected communities',
      ambitions: [
        {
          id: 'referrals',
          title: 'More social prescribing',
          measures: [{ id: 'referrals', title: 'Referrals', source: { kind: 'manual', unit: 'referrals' }, polarity: 'higher-is-better', baseline: { kind: 'stated', value: 50, date: '2022-03-31', label: '2021/22' }, target: { kind: 'absolute', value: 100, date: '2026-03-31' } }],
        },
      ],
    },
  ],
};

/**
 * The delivery fixture: the four-person database and a plans folder holding TEST_PLAN and a plan
 * file that cannot be loaded (area 'mars').
 */
export const buildDeliveryFixture = async (): Promise<Fixture> => {
  const fixture = await buildFixtureDatabase();
  const plansDir = mkdtempSync(join(tmpdir(), 'phm-plans-'));
  writeFileSync(join(plansDir, 'test-plan.json'), JSON.stringify(TEST_PLAN));
  writeFileSync(join(plansDir, 'broken.json'), JSON.stringify({ ...TEST_PLAN, id: 'broken', area: 'mars' }));
  return {
    ...fixture,
    options: { plansDir },
    remove: () => {
      fixture.remove();
      rmSync(plansDir, { recursive: true, force: true });
    },
  };
};

/**
 * A signed-in server for the delivery tests of one file: the delivery fixture, the growing engine,
 * today 2026-11-26; `prepare` records what the tests need first.
 */
export const useDeliveryServer = (prepare?: (server: SignedInServer) => Promise<void>): SignedInServer =>
  useSignedInServer({ fixture: buildDeliveryFixture, options: { indicatorEngine: () => growingEngine, today: () => '2026-11-26' }, ...(prepare && { prepare }) });

// A team that works together (care-zone routes): the population fixture with two more care professionals.

export type TeamWho = Who | 'colleague' | 'other';

/**
 * A signed-in server for the care-team tests of one file: the population fixture (people 100-159 in
 * leeds-1, person 2 in calderdale-1; or another fixture, such as buildCrossingFixture), today 2026-11-26, an account per role (leeds@test is the
 * neighbourhood role) and two more care professionals: colleague@test in the leeds-1 team and
 * other@test in the calderdale-1 team. `ids` are the accounts' user ids by who.
 */
export const useCareTeamServer = (prepare?: (server: SignedInServer) => Promise<void>, fixture: () => Promise<Fixture> = buildPopulationFixture) => {
  const cookies: Partial<Record<TeamWho, string>> = {};
  const ids: Partial<Record<TeamWho, number>> = {};
  const server = useSignedInServer({
    fixture,
    options: { today: () => '2026-11-26' },
    prepare: async (s) => {
      for (const [who, email, neighbourhoodId] of [['colleague', 'colleague@test', 'leeds-1'], ['other', 'other@test', 'calderdale-1']] as const) {
        ids[who] = (await createUser(s.app.openphm.ops, { email, displayName: who === 'colleague' ? 'Colleague' : 'Other team', password: PASSWORD, role: 'neighbourhood', neighbourhoodId })).id;
        cookies[who] = await login(s.app, email);
      }
      const rows = await listUsers(s.app.openphm.ops);
      for (const [who, email] of Object.entries(ROLE_EMAIL) as [Who, string][]) ids[who] = rows.find((r) => r.email === email)?.id;
      await prepare?.(s);
    },
  });
  const as = (who: TeamWho, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
    who === 'colleague' || who === 'other' ? server.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie: cookies[who]! } }) : server.as(who, method, url, payload);
  const idOf = (who: TeamWho): number => {
    const id = ids[who];
    if (id === undefined) throw new Error(`no account for ${who}`);
    return id;
  };
  return { server, as, idOf };
};
