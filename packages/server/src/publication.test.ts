/**
 * One way out (issue 11, docs/disclosure-control.md): every number any route sends is either a
 * published figure (made by core's publication module, marked x-openphm-figure in the OpenAPI
 * document and type-branded so nothing else can produce it) or declared not to be one, with why.
 * These tests walk every route in the access table and every file of the source tree, and fail
 * when a route or a file could publish a number any other way.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_META_KEY, NOT_A_FIGURE_META_KEY } from '@openphm/core';
import { ROUTES } from './access.js';
import { OPENAPI_PATH, createServer } from './server.js';
import { buildFixtureDatabase } from './test-support.js';

type JsonSchema = { [key: string]: unknown };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Routes that answer with something other than a JSON document with a schema, and why that is safe. */
const NO_JSON_SCHEMA: Partial<Record<keyof typeof ROUTES, string>> = {
  'GET /api/openapi.json': 'the API description itself',
  'GET /api/strategies/:strategyId/versions/:version': 'a version of a strategy as its plan file: what the board agreed (stated baselines and targets), no figures from person-level data',
  'GET /api/auth/oidc/login': 'a redirect to the identity provider',
  'GET /api/auth/oidc/callback': 'a redirect into the app after single sign-on',
};

/** Every path in a JSON schema to a number that is neither a figure nor declared not to be one. */
export const undeclaredNumbers = (schema: JsonSchema, resolveRef: (ref: string) => JsonSchema, path = '$', seen = new Set<JsonSchema>()): string[] => {
  if (schema[FIGURE_META_KEY] === true || typeof schema[NOT_A_FIGURE_META_KEY] === 'string') return [];
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref);
    if (seen.has(target)) return [];
    return undeclaredNumbers(target, resolveRef, path, new Set([...seen, target]));
  }
  const out: string[] = [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('number') || types.includes('integer')) out.push(path);
  const child = (value: unknown, p: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...undeclaredNumbers(value as JsonSchema, resolveRef, p, seen));
  };
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) child(sub, `${path}.${name}`);
  child(schema.items, `${path}[]`);
  if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((s, i) => child(s, `${path}[${i}]`));
  child(schema.additionalProperties, `${path}.*`);
  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[combinator])) (schema[combinator] as unknown[]).forEach((s) => child(s, path));
  }
  return [...new Set(out)];
};

describe('every number a route sends is a published figure or declared not to be one', () => {
  let fixture: Awaited<ReturnType<typeof buildFixtureDatabase>>;
  let app: FastifyInstance;
  let doc: { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> }>>; components?: { schemas?: Record<string, JsonSchema> } };

  beforeAll(async () => {
    fixture = await buildFixtureDatabase();
    app = await createServer({ duckdbFile: fixture.file, webDir: false });
    doc = JSON.parse((await app.inject({ method: 'GET', url: OPENAPI_PATH })).body);
  });
  afterAll(async () => {
    await app?.close();
    fixture?.remove();
  });

  const resolveRef = (ref: string): JsonSchema => {
    const name = ref.replace(/^#\/components\/schemas\//, '');
    const found = doc.components?.schemas?.[name];
    if (!found) throw new Error(`unresolved $ref ${ref}`);
    return found;
  };

  it.each(Object.keys(ROUTES))('%s', (key) => {
    const [method, path] = key.split(' ') as [string, string];
    if (NO_JSON_SCHEMA[key as keyof typeof ROUTES]) return;
    const openApiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation = doc.paths[openApiPath]?.[method.toLowerCase()];
    expect(operation, `${key} is not in the OpenAPI document`).toBeDefined();
    const success = Object.entries(operation!.responses ?? {}).filter(([status]) => status.startsWith('2'));
    expect(success.length, `${key} declares no successful response`).toBeGreaterThan(0);
    for (const [status, response] of success) {
      const schema = response.content?.['application/json']?.schema;
      if (schema === undefined) {
        // A response without a body (204), or text: only routes that send no figures may do this.
        expect(status, `${key} ${status} has no JSON schema`).toBe('204');
        continue;
      }
      expect(undeclaredNumbers(schema, resolveRef), `${key} ${status}: numbers that are neither figures nor declared`).toEqual([]);
    }
  });

  it('the walker finds an undeclared number, and accepts figures and declared ones', () => {
    const schema = {
      type: 'object',
      properties: {
        count: { type: ['number', 'null'], [FIGURE_META_KEY]: true },
        version: { type: 'integer', [NOT_A_FIGURE_META_KEY]: 'a version' },
        raw: { type: 'number' },
        rows: { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
      },
    };
    expect(undeclaredNumbers(schema, resolveRef)).toEqual(['$.raw', '$.rows[]']);
  });
});

/** Source files of the packages (not tests). */
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'dist' || name === 'e2e' ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('test-support.ts') ? [full] : [];
  });

/**
 * Where a number may be turned into a figure without counting anything: a statistic of figures
 * that were already published (a scorecard's change since baseline, a rate from published counts),
 * or a value an owner reported. Each use is listed here, so a new one is a deliberate change.
 */
const FROM_PUBLISHED_ALLOWED = new Set([
  'packages/core/src/publication/statistic.ts',
  'packages/store-duckdb/src/phm/cohorts.ts', // activity per cohort member: published total / published members
  'packages/server/src/data/referral-reach.ts', // rates per 1,000 from the published counts
  'packages/server/src/data/scorecard.ts', // the magnitude (absolute value) of a published gap or SII
  'packages/server/src/data/strategies.ts', // baseline, target, trajectory and change from published values
]);
const REPORTED_ALLOWED = new Set(['packages/core/src/publication/statistic.ts', 'packages/server/src/data/scorecard.ts']);

describe('only the publication module makes figures', () => {
  const files = ['core', 'api-contract', 'store-duckdb', 'engine-memory', 'server', 'cli', 'web'].flatMap((p) => sourceFiles(join(root, 'packages', p, 'src')));
  const rel = (f: string) => relative(root, f).split('\\').join('/');

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('mint is used inside core/src/publication only, and never exported from the package', () => {
    const users = files.filter((f) => /\bmint(OrNull)?\(/.test(readFileSync(f, 'utf8'))).map(rel);
    expect(users.filter((f) => !f.startsWith('packages/core/src/publication/'))).toEqual([]);
    expect(readFileSync(join(root, 'packages/core/src/publication/index.ts'), 'utf8')).not.toMatch(/\bmint\b/);
  });

  it('nothing casts a number to a published figure', () => {
    const casts = files.filter((f) => !rel(f).startsWith('packages/core/src/publication/') && /as (PublishedNumber|Figure)\b/.test(readFileSync(f, 'utf8'))).map(rel);
    expect(casts).toEqual([]);
  });

  it('fromPublished and publishReported are used only where listed', () => {
    const using = (name: string) => files.filter((f) => new RegExp(`\\b${name}\\(`).test(readFileSync(f, 'utf8'))).map(rel);
    expect(using('fromPublished').filter((f) => !FROM_PUBLISHED_ALLOWED.has(f))).toEqual([]);
    expect(using('publishReported').filter((f) => !REPORTED_ALLOWED.has(f))).toEqual([]);
  });
});
