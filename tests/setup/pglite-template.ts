/**
 * Test set-up (vitest.config.ts setupFiles): a new embedded PostgreSQL store (PGlite) starts from a
 * copy of a freshly initialised cluster instead of running initdb again.
 *
 * Every new PGlite store runs PostgreSQL's initdb in WebAssembly (a second PGlite instance, initdb,
 * a dump of the result and a load of that dump): about 2 s of CPU each time, 4 s for the first in
 * a process, and the suite opens more than a hundred stores (each server, each describe of the
 * operational store's tests). The cluster initdb writes is the same every time for a given PGlite
 * version, so the first test file that needs one makes it once (PGlite's own initdb, then
 * dumpDataDir) and keeps it in node_modules/.cache (so a clean clone starts without it); every new
 * store, in memory or in an empty folder, is then loaded from that dump (PGlite's loadDataDir, the
 * same load PGlite does after its own initdb). Stores that already exist open as before, and
 * everything after initdb (our migrations, the schema, the data) runs as in production.
 * Child processes (the built `phm`) are not affected.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';

type PGliteModule = typeof import('@electric-sql/pglite');
type PGliteOptions = NonNullable<ConstructorParameters<PGliteModule['PGlite']>[1]>;

const require = createRequire(import.meta.url);

/** Where the dump is kept, named after the PGlite version (a new version makes a new one). */
const templateFile = (): string => {
  // The package exports no package.json: it is two folders above its entry point (dist/index.cjs).
  const pkg = JSON.parse(readFileSync(join(dirname(dirname(require.resolve('@electric-sql/pglite'))), 'package.json'), 'utf8')) as { name: string; version: string };
  if (pkg.name !== '@electric-sql/pglite') throw new Error(`expected PGlite's package.json, found ${pkg.name}'s`);
  return join(new URL('../../node_modules/.cache/openphm-tests/', import.meta.url).pathname, `pglite-${pkg.version}-initdb.tar`);
};

/**
 * The dump of a new cluster: read from the cache, or made by PGlite (initdb) and written there
 * (a temporary file, then renamed: two test files making it at once each write a whole file). When
 * the cache cannot be written (a read-only node_modules) the dump is kept for this test file only.
 */
const loadTemplate = async (original: PGliteModule): Promise<Blob> => {
  const file = templateFile();
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const fresh = new original.PGlite();
  await fresh.waitReady;
  const dump = await fresh.dumpDataDir('none');
  await fresh.close();
  const bytes = Buffer.from(await dump.arrayBuffer());
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch {
    // Not cached: every test file makes its own (correct, only slower).
  }
  return new Blob([bytes]);
};

/** Options that ask for nothing but a store (what the server's operational/db.ts passes): the only ones given the template. */
const PLAIN_KEYS = new Set(['dataDir']);

/** A new store: in memory, or a plain folder path without a cluster in it yet. */
const isNewStore = (options: PGliteOptions): boolean => {
  if (!Object.keys(options).every((key) => PLAIN_KEYS.has(key))) return false;
  const dataDir = options.dataDir;
  if (dataDir === undefined) return true;
  if (dataDir.includes('://')) return false;
  return !existsSync(join(dataDir, 'PG_VERSION'));
};

vi.mock('@electric-sql/pglite', async (importOriginal) => {
  const original = await importOriginal<PGliteModule>();
  const template = await loadTemplate(original);
  class PGliteFromTemplate extends original.PGlite {
    constructor(dataDirOrOptions?: string | PGliteOptions, options?: PGliteOptions) {
      const given: PGliteOptions = typeof dataDirOrOptions === 'string' ? { ...options, dataDir: dataDirOrOptions } : { ...dataDirOrOptions };
      super(isNewStore(given) ? { ...given, loadDataDir: template } : given);
    }
  }
  return { ...original, PGlite: PGliteFromTemplate };
});
