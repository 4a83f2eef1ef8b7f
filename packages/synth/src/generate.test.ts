import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES, type Geography } from '@openphm/core';
import { loadGeography, loadIdentityReference, type IdentityReference } from '@openphm/reference-data';
import { generateInMemory, generatePopulation } from './generate.js';
import { identityCsvHeader } from './sink.js';

let geography: Geography;
let identities: IdentityReference;
const dirs: string[] = [];
beforeAll(async () => {
  [geography, identities] = await Promise.all([loadGeography(), loadIdentityReference()]);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const hashDir = (dir: string): string => {
  const h = createHash('sha256');
  for (const table of TABLE_NAMES) {
    for (const file of readdirSync(join(dir, table)).sort()) h.update(`${table}/${file}\n`).update(readFileSync(join(dir, table, file)));
  }
  return h.digest('hex');
};

describe('generatePopulation', () => {
  it('writes identical files for the same seed and different people for another seed', async () => {
    const run = async (seed: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'phm-gen-'));
      dirs.push(dir);
      const manifest = await generatePopulation({ geography, seed, size: 3000, outDir: dir, workers: 0 });
      return { dir, manifest, hash: hashDir(dir) };
    };
    const a = await run('alpha');
    const b = await run('alpha');
    const c = await run('beta');
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
    expect(a.manifest.rows.person).toBe(a.manifest.people);
    // Different seeds: different pseudonymous ids, not just different events.
    const ids = (dir: string) => new Set(readdirSync(join(dir, 'person')).flatMap((f) => readFileSync(join(dir, 'person', f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])));
    const idsA = ids(a.dir);
    const shared = [...ids(c.dir)].filter((id) => idsA.has(id)).length;
    expect(shared / idsA.size).toBeLessThan(0.01);
  });

  it('matches the in-memory generator row for row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phm-gen-'));
    dirs.push(dir);
    await generatePopulation({ geography, seed: 'same', size: 2000, outDir: dir, workers: 0 });
    const memory = generateInMemory(geography, 'same', 2000);
    for (const table of TABLE_NAMES) {
      const fromFiles = readdirSync(join(dir, table)).sort().flatMap((f) => readFileSync(join(dir, table, f), 'utf8').split('\n').slice(1).filter((l) => l !== ''));
      expect(fromFiles, table).toEqual(memory.rows[table]);
    }
  });

  it('draws identities from streams of their own: every other row stays the same, and the files match the in-memory rows', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'phm-gen-'));
    const withIds = mkdtempSync(join(tmpdir(), 'phm-gen-'));
    dirs.push(plain, withIds);
    const a = await generatePopulation({ geography, seed: 'split-check', size: 3000, outDir: plain, workers: 0 });
    const b = await generatePopulation({ geography, seed: 'split-check', size: 3000, outDir: withIds, workers: 0, identities });
    expect(hashDir(withIds)).toBe(hashDir(plain));
    expect([a.identities, b.identities]).toEqual([0, b.people]);
    expect(readdirSync(plain)).not.toContain('identity');
    const files = readdirSync(join(withIds, 'identity')).sort();
    const lines = files.flatMap((f) => readFileSync(join(withIds, 'identity', f), 'utf8').split('\n').filter((l) => l !== ''));
    expect(lines.filter((l) => l === identityCsvHeader()).length).toBe(files.length);
    expect(lines.filter((l) => l !== identityCsvHeader())).toEqual(generateInMemory(geography, 'split-check', 3000, undefined, undefined, identities).identities);
  });

  it.each([
    [{ size: 10 }, 'size must be at least 100 people, got 10'],
    [{ size: 1000, years: 0 }, 'years must be a whole number from 1 to 20, got 0'],
    [{ size: 1000, windowStart: '2021-02-30' }, "'2021-02-30' is not a real calendar date"],
  ])('rejects bad options %j', async (options, message) => {
    await expect(generatePopulation({ geography, seed: 'x', outDir: join(tmpdir(), 'phm-never'), workers: 0, ...options })).rejects.toThrow(message);
  });
});
