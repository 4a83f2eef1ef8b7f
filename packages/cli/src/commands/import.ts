/** `phm import DIR`: load real extracts (CSV in the documented schema) instead of synthetic data. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '@openphm/core';
import { loadGeography } from '@openphm/reference-data';
import { buildDatabase, createWorkDir } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { DEFAULT_MEMORY_LIMIT } from './generate.js';
import { reportLeftovers, servedNote } from './served.js';

export interface ImportCommandOptions {
  readonly dir: string;
  readonly db: string;
  readonly dataDir?: string;
  readonly quiet?: boolean;
  readonly memoryLimit?: string;
}

export const importCommand = async (options: ImportCommandOptions, io: CliIo): Promise<void> => {
  const dir = resolve(io.cwd, options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${options.dir}: no such directory (expected a folder of CSV files named after the tables, e.g. person.csv)`, 'not-found');
  }
  const db = resolve(io.cwd, options.db);
  const progress = createProgress(io.stderr, options.quiet);
  const geography = await loadGeography(options.dataDir ?? io.env.PHM_SHARED_DATA);
  // A private folder (0700) for the new database; what crashed runs left is removed first.
  const work = createWorkDir(db);
  reportLeftovers(io, work.removed);
  try {
    const summary = await buildDatabase({
      outFile: db,
      workDir: work.path,
      csvDir: dir,
      geography,
      memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      // Record keys (disclosure control): the salt of the database being replaced, or PHM_RECORD_KEY_SALT, or a new random one.
      ...(io.env.PHM_RECORD_KEY_SALT ? { recordKeySalt: io.env.PHM_RECORD_KEY_SALT } : {}),
      meta: { source: 'import', imported_from: dir },
      onProgress: ({ step, done, total }) => {
        if (done === 0) progress.step(step, total);
        progress.update(done, total);
      },
    });
    progress.done();
    const rows = Object.entries(summary.rows)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `  ${t.padEnd(24)} ${n.toLocaleString('en-GB').padStart(12)}`)
      .join('\n');
    const identities = summary.identity
      ? `Identities: ${summary.identity.file} (${summary.identity.rows.toLocaleString('en-GB')} people, for care teams only)\n`
      : 'No identity.csv: no identity store (care teams see no names or NHS numbers)\n';
    io.stdout.write(`Imported ${dir} into ${db}\n${rows}\n${identities}${servedNote(db)}`);
  } finally {
    progress.done();
    work.remove();
  }
};
