import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGeography } from './geography.js';
import { GENERATED_END, GENERATED_START, renderNeighbourhoodTables, replaceGeneratedSection } from './report.js';

const DOC = new URL('../../../docs/geography.md', import.meta.url);

describe('replaceGeneratedSection', () => {
  it('replaces only the text between the markers', () => {
    const doc = `# T\n${GENERATED_START}\nold\n${GENERATED_END}\nafter\n`;
    expect(replaceGeneratedSection(doc, 'new')).toBe(`# T\n${GENERATED_START}\nnew\n${GENERATED_END}\nafter\n`);
  });

  it('insists on the markers', () => {
    expect(() => replaceGeneratedSection('# nothing here', 'x')).toThrow(/markers are missing/);
  });
});

describe('docs/geography.md', () => {
  it('holds the current neighbourhood tables (regenerate with report.js --write)', async () => {
    const tables = renderNeighbourhoodTables(await loadGeography());
    expect(tables.split('\n').filter((line) => line.startsWith('| `'))).toHaveLength(56);
    const doc = readFileSync(DOC, 'utf8');
    expect(doc).toContain(`${GENERATED_START}\n${tables}\n${GENERATED_END}`);
  });

  it('keeps the attributions the data licences require', () => {
    const doc = readFileSync(DOC, 'utf8').replace(/\s+/g, ' ');
    expect(doc).toContain('Contains public sector information licensed under the Open Government Licence v3.0 (English Indices of Deprivation 2019, MHCLG)');
    expect(doc).toContain('© Crown copyright and database right');
    expect(doc).toContain('Martin Chorley, CC BY 4.0');
  });
});
