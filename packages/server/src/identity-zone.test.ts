/**
 * Analysts, programme leads, board members, admins and the public never see who anyone is: no
 * response schema of a route they may call has an identity field, and no answer of any route they
 * may call (JSON or CSV), on a database with identities, holds an identity of the fixture. Only the
 * care zone's routes for care professionals carry identities (routes/care-zone.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteRule } from './access.js';
import { buildIdentityFixture, useSignedInServer, type Who } from './test-support.js';

const NOT_CARE: readonly Who[] = ['public', 'analyst', 'programme', 'board', 'admin'];
/** Property names that identify a person. */
const IDENTITY_PROPERTIES = ['nhsNumber', 'nhs_number', 'nhsNumberFormatted', 'givenName', 'given_name', 'familyName', 'family_name', 'postcode', 'addressLine1', 'address_line_1', 'address', 'phone', 'dateOfBirth', 'date_of_birth'];
/**
 * Routes whose addresses, postcodes and telephone numbers are never a person's: community services'
 * (the directory), and the postcode lookup, which answers where a postcode the reader typed lies
 * (its LSOA, neighbourhood and place), never who lives there.
 */
const NOT_PERSONS = ['/api/directory/', '/api/geography/postcode'];
/** Every identity the fixture holds (store-duckdb's IDENTITY_ROWS). */
const IDENTITY_VALUES = ['9990000018', '9990000026', '9990000034', '9990000042', '999 000 00', 'Arjun', 'Patel', 'Margaret', 'Wójcik', 'Wojcik', 'Amelia', 'Sutcliffe', "O'Brien", 'LS7 2BB', 'LS6 1AA', 'HX1 1CC', 'HX2 3DD', 'Beck Road', 'Mill Lane', 'Oak Street', '07700 900123', '01632 960001'];

const rolesOf = (key: string): readonly string[] => (ROUTES[key as keyof typeof ROUTES] as RouteRule).roles;
const availableToNonCare = (key: string) => rolesOf(key).some((r) => (NOT_CARE as readonly string[]).includes(r));

/** Property names anywhere in a JSON schema (following $ref into the document's components). */
const propertiesOf = (schema: unknown, doc: { components?: { schemas?: Record<string, unknown> } }, seen = new Set<unknown>()): string[] => {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  if (typeof s.$ref === 'string') out.push(...propertiesOf(doc.components?.schemas?.[s.$ref.split('/').pop()!], doc, seen));
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, value] of Object.entries(s.properties)) out.push(name, ...propertiesOf(value, doc, seen));
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const v = s[key];
    for (const child of Array.isArray(v) ? v : [v]) out.push(...propertiesOf(child, doc, seen));
  }
  return out;
};

describe('the identifiable zone is for care professionals only', () => {
  const server = useSignedInServer({ fixture: buildIdentityFixture, options: { today: () => '2026-11-26' } });

  it('documents no identity field in any answer of a route analysts, programme leads, boards, admins or the public may call', async () => {
    const doc = (await server.as('public', 'GET', '/api/openapi.json')).json() as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
    const offenders: string[] = [];
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      for (const [method, op] of Object.entries(methods)) {
        const key = `${method.toUpperCase()} ${url}`;
        if (!(key in ROUTES) || !availableToNonCare(key) || NOT_PERSONS.some((o) => url.startsWith(o))) continue;
        checked++;
        for (const response of Object.values(op.responses ?? {})) {
          for (const content of Object.values(response.content ?? {})) {
            const found = propertiesOf(content.schema, doc).filter((p) => IDENTITY_PROPERTIES.includes(p));
            if (found.length > 0) offenders.push(`${key}: ${[...new Set(found)].join(', ')}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(offenders).toEqual([]);
  });

  it('finds identity fields where they are (the check can fail): the care zone documents them', async () => {
    const doc = (await server.as('public', 'GET', '/api/openapi.json')).json() as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> };
    const schema = doc.paths['/api/care/people/{personId}']!.get.responses['200']!.content['application/json']!.schema;
    expect(propertiesOf(schema, doc as never)).toEqual(expect.arrayContaining(['nhsNumber', 'familyName', 'postcode']));
  });

  it('answers every route they may call, as JSON or CSV, without any identity the database holds', async () => {
    const gets = Object.keys(ROUTES).filter((k) => k.startsWith('GET ') && availableToNonCare(k));
    const leaks: string[] = [];
    let answered = 0;
    for (const who of NOT_CARE) {
      for (const key of gets) {
        if (!rolesOf(key).includes(who)) continue;
        const url = key.slice(4).replace(':personId', '1').replace(/:\w+/g, '1');
        for (const u of [url, `${url}${url.includes('?') ? '&' : '?'}format=csv`]) {
          const r = await server.as(who, 'GET', u);
          if (r.statusCode === 200) answered++;
          const hit = IDENTITY_VALUES.filter((v) => r.body.includes(v));
          if (hit.length > 0) leaks.push(`${who} ${u}: ${hit.join(', ')}`);
        }
      }
    }
    expect(answered).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
  });

  it('finds an identity in an answer that holds one (the check can fail)', async () => {
    const r = await server.as('neighbourhood', 'GET', '/api/care/people/1');
    expect(IDENTITY_VALUES.filter((v) => r.body.includes(v))).toEqual(expect.arrayContaining(['9990000018', 'Patel', 'LS7 2BB']));
  });
});
