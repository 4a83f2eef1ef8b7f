import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runSpecSuite } from '@openphm/indicator-specs';
import type { PhmDatabase } from '../database.js';
import { buildDatabaseFromRows } from './data.js';
import { createDuckDbEngine } from './engine.js';

const root = mkdtempSync(join(tmpdir(), 'phm-indicator-specs-'));
const opened: PhmDatabase[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(root, { recursive: true, force: true });
});

runSpecSuite('DuckDB engine', async (input) => {
  const db = await buildDatabaseFromRows({ dir: mkdtempSync(join(root, 'spec-')), geography: input.geography, tables: input.tables });
  opened.push(db);
  return createDuckDbEngine(db);
});
