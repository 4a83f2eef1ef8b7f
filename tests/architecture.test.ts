/**
 * The shape of the code, checked: SQL only where the stores are, routes that do not import one
 * another (or get imported by anything but the server), no import cycles between files, and no
 * casts to core's enums. Each rule names the files that break it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = join(ROOT, 'packages');

/** Every source file (not tests, not end-to-end tests) of a package, relative to the repository. */
const sourcesOf = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(relative(ROOT, path));
    }
  };
  walk(dir);
  return out.sort();
};

const PACKAGE_NAMES = readdirSync(PACKAGES).filter((p) => statSync(join(PACKAGES, p, 'src'), { throwIfNoEntry: false })?.isDirectory());
const ALL_SOURCES = PACKAGE_NAMES.flatMap((p) => sourcesOf(join(PACKAGES, p, 'src')));
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Where SQL may be written: the DuckDB store, and the server's operational (PostgreSQL) store. */
const SQL_HOMES = ['packages/store-duckdb/src/', 'packages/server/src/operational/'];
const SQL_STATEMENT = /['"`]\s*(SELECT\s[\s\S]{0,200}?\sFROM\s|WITH\s+\w+\s+AS\s*\(|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|VIEW|INDEX)\s|ALTER\s+TABLE\s)/;

/** Relative imports (and re-exports) of a file, resolved to repository paths. */
const importsOf = (file: string): string[] => {
  const out: string[] = [];
  for (const m of text(file).matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    const spec = (m[1] ?? m[2])!;
    const base = join(dirname(file), spec).replace(/\.js$/, '');
    const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => statSync(join(ROOT, c), { throwIfNoEntry: false })?.isFile());
    if (found !== undefined) out.push(found);
  }
  return out;
};

/** Strongly connected groups of two or more files (Tarjan), each a cycle of imports. */
const cyclesIn = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const f of graph.keys()) if (!indexOf.has(f)) visit(f);
  return out;
};

const cycles = (files: readonly string[]): string[][] => cyclesIn(new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))])));

describe('architecture', () => {
  it('finds the sources it checks', () => {
    expect(PACKAGE_NAMES).toEqual(expect.arrayContaining(['core', 'server', 'store-duckdb', 'web', 'api-contract']));
    expect(ALL_SOURCES.length).toBeGreaterThan(200);
  });

  it('writes SQL only in the stores (store-duckdb, and the server’s operational store)', () => {
    const offenders = ALL_SOURCES.filter((f) => !SQL_HOMES.some((home) => f.startsWith(home)) && SQL_STATEMENT.test(text(f)));
    expect(offenders).toEqual([]);
  });

  it('detects SQL where it is written (the check can fail)', () => {
    expect(SQL_STATEMENT.test("data.query('SELECT name FROM geo_place WHERE place = $1')")).toBe(true);
    expect(SQL_STATEMENT.test('`WITH frequent AS (SELECT 1)`')).toBe(true);
    expect(SQL_STATEMENT.test("'Select the places from the list'")).toBe(false);
  });

  it('keeps route files apart: no route imports another, and only the server imports routes', () => {
    const routes = ALL_SOURCES.filter((f) => f.startsWith('packages/server/src/routes/'));
    expect(routes.length).toBeGreaterThan(10);
    const offenders = ALL_SOURCES.filter((f) => f !== 'packages/server/src/server.ts')
      .flatMap((f) => importsOf(f).filter((t) => routes.includes(t)).map((t) => `${f} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it('has no import cycles between files, in any package', () => {
    const found = PACKAGE_NAMES.flatMap((p) => cycles(ALL_SOURCES.filter((f) => f.startsWith(`packages/${p}/src/`))));
    expect(found).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesIn(graph)).toEqual([['a', 'b', 'c']]);
    expect(cyclesIn(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('opens identities in one place: only the care zone’s data module uses the identity store and its queries', () => {
    // The identifiable zone (docs/security.md, "Identity model"): who people are is read by the care zone alone.
    const IDENTITY_API = /\b(openIdentityStore|identityByPersonId|identityByNhsNumber|identitiesByNameAndBirth|IdentityStore)\b/;
    const users = ALL_SOURCES.filter((f) => !f.startsWith('packages/store-duckdb/src/') && IDENTITY_API.test(text(f)));
    expect(users).toEqual(['packages/server/src/data/care-zone.ts']);
  });

  it('needs no casts to core’s enums (Breakdown, Role, statuses)', () => {
    const offenders = ALL_SOURCES.filter((f) => /\bas\s+(Breakdown|Role|AccountRole|ReferralStatus|ActionStatus|RiskStatus)\b/.test(text(f)));
    expect(offenders).toEqual([]);
  });
});
