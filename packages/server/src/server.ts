/**
 * The OpenPHM HTTP server: a JSON API over the DuckDB person-level store (read-only) and the
 * operational PostgreSQL store (users, sessions, audit), plus the web app's static files.
 */
import { HealthResponse } from '@openphm/api-contract';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IndicatorEngine } from '@openphm/core';
import type { PhmDatabase } from '@openphm/store-duckdb';
import { installAccessControl } from './access.js';
import { createRateLimiter, type RateLimit, type RateLimitName } from './limits.js';
import { personResidence } from './data/person.js';
import { createPersonDocsSource, type PersonDocsOptions, type PersonDocsSource } from './data/person-docs.js';
import { getReferral } from './operational/care.js';
import { getCaseloadEntry } from './operational/care-plans.js';
import { createResultCache, createVersionMemo, type ResultCache } from './cache.js';
import { openIndicatorRun, versionedEngine, type IndicatorRun, type ServerContext } from './context.js';
import { openPhmData, type PhmData } from './data/phm-data.js';
import { followRemovals } from './data/person-removals.js';
import { NO_WARMER, startWarmer, type Warmer } from './data/warm.js';
import { createResultStore, type ResultStoreOptions } from './data/persisted-results.js';
import { loadStrategyFiles } from './data/strategy-files.js';
import { ensureInitialAdmin, seedDemoAccounts, seedDemoCaseload, seedDemoDirectory, seedDemoReferrals, seedDemoRegisters, type SeededAccount } from './demo.js';
import { seedDemoTeamDay } from './demo-team.js';
import { seedDemoBenchmarks } from './data/benchmarks.js';
import { FHIR_CONTENT_TYPE, errorBody, fhirErrorBody, installErrorHandler, isFhirRequest } from './errors.js';
import { openOperationalDb, type OperationalDb, type OperationalOptions } from './operational/db.js';
import { deleteExpiredSessions } from './operational/sessions.js';
import { adminRoutes } from './routes/admin.js';
import { accountRoutes } from './routes/accounts.js';
import { accountServiceRoutes } from './routes/account-services.js';
import { signInSettings, type SignInOptions } from './data/sign-in.js';
import { auditRoutes } from './routes/audit.js';
import { cohortRoutes } from './routes/cohorts.js';
import { directoryRoutes } from './routes/directory.js';
import { orukRoutes } from './routes/oruk.js';
import { referralRoutes } from './routes/referrals.js';
import { strategyRoutes } from './routes/strategies.js';
import { actionRoutes } from './routes/actions.js';
import { riskRoutes } from './routes/risks.js';
import { reportRoutes } from './routes/reports.js';
import { carePlanRoutes } from './routes/care-plans.js';
import { careRecordRoutes } from './routes/care-record.js';
import { careZoneRoutes } from './routes/care-zone.js';
import { careAccessOf } from './data/care-zone.js';
import { caseloadRoutes } from './routes/caseload.js';
import { taskRoutes } from './routes/tasks.js';
import { noteRoutes } from './routes/notes.js';
import { meetingRoutes } from './routes/meetings.js';
import { notificationRoutes } from './routes/notifications.js';
import { inboxRoutes } from './routes/inbox.js';
import { fhirRoutes } from './routes/fhir.js';
import { decisionRefusal } from './data/inbox.js';
import { getTask } from './operational/tasks.js';
import { getMeeting } from './operational/meetings.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { summaryRoutes } from './routes/summaries.js';
import { authRoutes } from './routes/auth.js';
import { geographyRoutes } from './routes/geography.js';
import { indicatorRoutes } from './routes/indicators.js';
import { peopleRoutes } from './routes/people.js';
import { populationRoutes } from './routes/population.js';

export const OPENAPI_PATH = '/api/openapi.json';

export interface ServerOptions {
  /** The DuckDB database built by `phm generate` / `phm import` (opened read-only). */
  readonly duckdbFile: string;
  /** Operational store: `url` for a PostgreSQL server, else embedded PGlite in `dataDir` (memory when absent). */
  readonly operational?: OperationalOptions;
  /** Shared reference data folder (boundaries); default $PHM_SHARED_DATA or ../shared/data. */
  readonly sharedDataDir?: string;
  /**
   * Secret that signs session cookies, or several while rotating (the first signs, any verifies; see
   * sessionSecretsFromEnv); random per process when absent (sessions then end on restart).
   */
  readonly sessionSecret?: string | readonly string[];
  /** Folder of the built web app; default packages/web/dist; false serves no web app. */
  readonly webDir?: string | false;
  /** Fastify logger options; default off. Requests are logged by route pattern, never with person ids. */
  readonly logger?: boolean | FastifyServerOptions['logger'];
  /** Mark cookies Secure (HTTPS only). Default false: the server listens on loopback over HTTP by default. */
  readonly secureCookies?: boolean;
  /** Seed the documented demo accounts into an empty store (phm demo). */
  readonly demoAccounts?: boolean | { readonly password: string };
  /** Extension point: the indicator engine for /api/indicators/:id/results, built on the store. */
  readonly indicatorEngine?: (db: PhmDatabase) => IndicatorEngine;
  /**
   * A counting run for the background precomputation on the database's current version (the DuckDB
   * engine with shared counting): its engine must count what indicatorEngine counts, under the same
   * name (the persisted counts are shared). While it is open, requests' counts go through it too
   * (VersionedEngine.adopt). Default: every count uses indicatorEngine.
   */
  readonly indicatorRun?: (db: PhmDatabase) => Promise<IndicatorRun>;
  /** Maximum cached results (default 500). */
  readonly cacheEntries?: number;
  /** Folder of stored cohort definitions (default: the repository's cohorts/). */
  readonly cohortsDir?: string;
  /** Folder of strategy definitions loaded into the operational store at start-up (default: the repository's plans/). */
  readonly plansDir?: string;
  /** Folder of the demo directory of services, seeded by phm demo (default: the repository's directory/). */
  readonly directoryDir?: string;
  /** Today's date, ISO (default: the system clock's UTC date); tests pin it. */
  readonly today?: () => string;
  /**
   * Precompute in the background after start-up: person features, indicator counts, dashboards,
   * common segment and risk summaries (default false; `phm serve` turns it on).
   */
  readonly precompute?: boolean;
  /**
   * Results persisted beside the database (data/persisted-results.ts): `dir` (phm serve: `<db>.results`);
   * none by default, when results are computed once per process as before.
   */
  readonly results?: ResultStoreOptions;
  /** Sign-in: single sign-on (OpenID Connect), TOTP required, log-in throttling (docs/security.md). */
  readonly signIn?: SignInOptions;
  /** Per-user limits of the routes that name one in the route table (default RATE_LIMITS, limits.ts). */
  readonly rateLimits?: Partial<Record<RateLimitName, RateLimit>>;
  /** How long a request refused by a per-user limit is held before its 429 (limits.ts REFUSAL_HOLD_MS unless given). */
  readonly rateLimitHoldMs?: number;
  /**
   * Person documents beside the database (data/person-docs.ts, decision 0012): `dir` (phm serve: `<db>.people`), built in
   * the background for the version served when `build`. None by default: every person-level read goes to DuckDB.
   */
  readonly personDocs?: Omit<PersonDocsOptions, 'log'>;
}

export interface OpenPhmState {
  readonly data: PhmData;
  readonly ops: OperationalDb;
  readonly cache: ResultCache;
  /** The background precomputation (status in /api/health). */
  readonly warmer: Warmer;
  /** Accounts created at start-up (demo accounts, or the initial admin of an empty store), to show once. */
  readonly seededAccounts: readonly SeededAccount[];
  /** The person documents, when the server was given a folder for them. */
  readonly personDocs: PersonDocsSource | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    openphm: OpenPhmState;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
/** packages/web/dist, from packages/server/src or packages/server/dist. */
export const defaultWebDir = (): string => resolve(here, '..', '..', 'web', 'dist');
/** The repository's cohorts/ folder, from packages/server/src or packages/server/dist. */
export const defaultCohortsDir = (): string => resolve(here, '..', '..', '..', 'cohorts');
/** The repository's directory/ folder (the demo directory of services), from packages/server/src or packages/server/dist. */
export const defaultDirectoryDir = (): string => resolve(here, '..', '..', '..', 'directory');
/** The repository's plans/ folder, from packages/server/src or packages/server/dist. */
export const defaultPlansDir = (): string => resolve(here, '..', '..', '..', 'plans');

/** A URL safe to log: person ids replaced by the route parameter, query strings dropped. */
export const loggableUrl = (url: string): string =>
  url.split('?')[0]!.replace(/^\/api\/people\/[^/]+/, '/api/people/:personId').replace(/^\/fhir\/Patient\/[^/]+/, '/fhir/Patient/:personId');

export const LOGGER_SERIALIZERS = {
  req: (req: { method: string; url: string }) => ({ method: req.method, url: loggableUrl(req.url) }),
};

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
};

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OpenPHM</title></head>
<body><h1>OpenPHM</h1><p>The web app has not been built. Run <code>npm run build</code> and restart the server.
The API is available under <a href="/api/openapi.json">/api</a>.</p></body></html>`;

export const createServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const data = await openPhmData(options.duckdbFile);
  let ops: OperationalDb;
  try {
    ops = await openOperationalDb(options.operational);
  } catch (error) {
    data.close();
    throw error;
  }
  const logger = options.logger === undefined || options.logger === false ? false : options.logger === true ? { serializers: LOGGER_SERIALIZERS } : options.logger;
  const app = Fastify({ logger, trustProxy: false, bodyLimit: 64 * 1024 }).withTypeProvider<ZodTypeProvider>();
  // Request bodies are strict: an unknown field is refused and named, not silently dropped.
  app.setValidatorCompiler<z.ZodType>((route) => validatorCompiler(route.httpPart === 'body' && route.schema instanceof z.ZodObject ? { ...route, schema: route.schema.strict() } : route));
  app.setSerializerCompiler(serializerCompiler);

  const seededAccounts: SeededAccount[] = [];
  const cache = createResultCache(options.cacheEntries);
  const buildEngine = options.indicatorEngine;
  const engine = buildEngine ? versionedEngine(data, () => buildEngine(data)) : undefined;
  const planProblems: { source: string; message: string }[] = [];
  const ctx: ServerContext = {
    data,
    ops,
    cache,
    memo: createVersionMemo(),
    results: createResultStore({ ...options.results, warn: (message) => app.log.warn(message) }),
    sharedDataDir: options.sharedDataDir,
    cohortsDir: options.cohortsDir ?? defaultCohortsDir(),
    planProblems,
    today: options.today ?? (() => new Date().toISOString().slice(0, 10)),
    secureCookies: options.secureCookies ?? false,
    signIn: signInSettings(options.signIn),
    indicatorEngine: engine,
    ...(engine && options.indicatorRun ? { indicatorRun: () => openIndicatorRun(data, engine, options.indicatorRun!) } : {}),
    cohortCounting: new Map(),
    stamps: new Map(),
    // A build of the person documents starts once the background precomputation has ended (state is set below).
    ...(options.personDocs ? { personDocs: createPersonDocsSource({ ...options.personDocs, log: (message) => app.log.info(message), startAfter: () => state.warmer.done }) } : {}),
  };
  const state = { data, ops, cache, seededAccounts, warmer: NO_WARMER, personDocs: ctx.personDocs };
  // The operational store follows the data versions: a version whose load deleted people closes what is open about them
  // before any request is answered on it (data/person-removals.ts; the load itself never writes the store this server owns).
  const removals = followRemovals(ops, data, {
    applied: (result, version) => app.log.info({ people: result.people, closed: result.closed, version }, 'closed the operational records of people a data load deleted'),
    failed: (error) => app.log.error({ err: error }, 'could not close the operational records of people a data load deleted (tried again at the next request)'),
  });
  app.decorate('openphm', state);
  app.addHook('onClose', async () => {
    state.warmer.stop();
    await state.warmer.done;
    await ctx.personDocs?.close();
    data.close();
    await data.closed();
    await ops.close();
  });

  try {
    if (options.demoAccounts) {
      seededAccounts.push(...(await seedDemoAccounts(ops, data, typeof options.demoAccounts === 'object' ? options.demoAccounts.password : undefined)));
    } else {
      const admin = await ensureInitialAdmin(ops);
      if (admin) seededAccounts.push(admin);
    }
    await deleteExpiredSessions(ops);
    // People the data loads deleted since this store last saw the data: what is open about them is closed (decision 0009).
    await removals.ensure();
    const plansDir = options.plansDir ?? defaultPlansDir();
    planProblems.push(...(await loadStrategyFiles(ops, plansDir)));
    if (options.demoAccounts) {
      await seedDemoRegisters(ops, plansDir);
      await seedDemoDirectory(ops, data, options.directoryDir ?? defaultDirectoryDir());
      await seedDemoReferrals(ops, data, ctx.today());
      await seedDemoCaseload(ops, data, ctx.today());
      await seedDemoTeamDay(ctx);
      await seedDemoBenchmarks(ops, options.sharedDataDir);
    }
  } catch (error) {
    await app.close();
    throw error;
  }

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/fhir')) await removals.ensure();
  });
  app.addHook('onSend', async (_request, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    // Behind TLS (secure cookies), browsers keep to HTTPS for a year.
    if (ctx.secureCookies) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  await app.register(fastifyCookie, { secret: typeof options.sessionSecret === 'object' ? [...options.sessionSecret] : (options.sessionSecret ?? randomBytes(32).toString('base64url')) });
  // Responses up to 64 KB (a care record is about 12 KB) are compressed in one synchronous call: on two cores the plugin's
  // default sends anything over 4 KB through a zlib stream on libuv's threads, whose set-up and hand-offs cost more than
  // the compression (a care record: 5-8 ms of CPU with the stream, about 3 ms uncompressed; docs/benchmarks.md).
  await app.register(fastifyCompress, { global: true, encodings: ['gzip', 'deflate'], threshold: 2048, syncThreshold: 65_536 });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenPHM API',
        version: '0.1.0',
        description:
          'Population health management for an Integrated Care System. Published counts are disclosure-controlled (cell-key perturbation; counts below the threshold withheld as null; values computed from published counts). ' +
          'Authentication: POST /api/auth/login sets an HttpOnly session cookie. Add ?format=csv to table endpoints for CSV.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'phm_session' } } },
    },
    transform: jsonSchemaTransform,
  });

  installErrorHandler(app);
  installAccessControl(
    app,
    ops,
    {
      residence: async (personId) => (await personResidence(ctx, personId))?.neighbourhoodId,
      referral: async (id) => (await getReferral(ops, id)).neighbourhoodId,
      caseloadEntry: async (id) => (await getCaseloadEntry(ops, id)).neighbourhoodId,
      task: async (id) => (await getTask(ops, id)).neighbourhoodId,
      meeting: async (id) => (await getMeeting(ops, id)).neighbourhoodId,
      careRelationship: (user, personId) => careAccessOf(ctx, user, personId),
      serviceReferral: (user, referralId) => decisionRefusal(ctx, user, referralId),
    },
    createRateLimiter(options.rateLimits, options.rateLimitHoldMs === undefined ? {} : { holdMs: options.rateLimitHoldMs }),
  );

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness, which stores are in use, and the background precomputation',
        response: {
          200: HealthResponse,
        },
      },
    },
    async () => ({ status: 'ok' as const, operationalStore: ops.kind, dataVersion: data.version(), precompute: { ...state.warmer.state } }),
  );
  await app.register(authRoutes(ctx));
  await app.register(geographyRoutes(ctx));
  await app.register(populationRoutes(ctx));
  await app.register(indicatorRoutes(ctx));
  await app.register(dashboardRoutes(ctx));
  await app.register(summaryRoutes(ctx));
  await app.register(cohortRoutes(ctx));
  await app.register(strategyRoutes(ctx));
  await app.register(actionRoutes(ctx));
  await app.register(riskRoutes(ctx));
  await app.register(reportRoutes(ctx));
  await app.register(directoryRoutes(ctx));
  await app.register(orukRoutes(ctx));
  await app.register(referralRoutes(ctx));
  await app.register(carePlanRoutes(ctx));
  await app.register(careRecordRoutes(ctx));
  await app.register(careZoneRoutes(ctx));
  await app.register(caseloadRoutes(ctx));
  await app.register(taskRoutes(ctx));
  await app.register(noteRoutes(ctx));
  await app.register(meetingRoutes(ctx));
  await app.register(notificationRoutes(ctx));
  await app.register(inboxRoutes(ctx));
  await app.register(fhirRoutes(ctx));
  await app.register(peopleRoutes(ctx));
  await app.register(adminRoutes(ctx));
  await app.register(accountRoutes(ctx));
  await app.register(accountServiceRoutes(ctx));
  await app.register(auditRoutes(ctx));

  const webDir = options.webDir === false ? undefined : (options.webDir ?? defaultWebDir());
  const webBuilt = webDir !== undefined && existsSync(join(webDir, 'index.html'));
  if (webBuilt) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: true, index: ['index.html'] });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (isFhirRequest(request.url)) {
      return reply.code(404).type(FHIR_CONTENT_TYPE).send(fhirErrorBody(errorBody(`no such FHIR interaction: ${request.method} ${loggableUrl(request.url)} (see /fhir/metadata)`, 'not-found')));
    }
    if (request.url.startsWith('/api/') || request.url === '/api' || request.method !== 'GET') {
      return reply.code(404).send(errorBody(`no such endpoint: ${request.method} ${loggableUrl(request.url)}`, 'not-found'));
    }
    // Client-side routes of the single-page app.
    if (webBuilt) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
  });

  await app.ready();
  if (options.precompute) state.warmer = startWarmer(ctx, app.log);
  // Person documents to build: checked (and their build started) at once rather than on the first person-level request.
  if (options.personDocs?.build) void ctx.personDocs?.current(data);
  return app;
};
