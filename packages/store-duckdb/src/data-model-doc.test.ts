import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TABLES, TABLE_NAMES } from '@openphm/core';
import { DATA_MODEL_DOC_PATH, REGENERATE_COMMAND, renderDataModel } from './data-model-doc.js';
import { AUX_TABLES } from './ddl.js';

const docFile = fileURLToPath(new URL(`../../../${DATA_MODEL_DOC_PATH}`, import.meta.url));

describe('docs/data-model.md', () => {
  it('documents every table and column', () => {
    const doc = renderDataModel();
    for (const name of TABLE_NAMES) {
      expect(doc).toContain(`### \`${name}\``);
      for (const column of TABLES[name].columns) expect(doc).toContain(`| \`${column.name}\` |`);
    }
    for (const table of AUX_TABLES) expect(doc).toContain(`### \`${table.name}\``);
  });

  // If this fails, the schema changed: regenerate the file with
  //   npx vitest run packages/store-duckdb/src/data-model-doc.test.ts -u
  it('is up to date with the schema', async () => {
    await expect(renderDataModel(), `${DATA_MODEL_DOC_PATH} is out of date: regenerate it with ${REGENERATE_COMMAND}`).toMatchFileSnapshot(docFile);
  });
});
