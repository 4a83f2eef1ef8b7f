/**
 * The generated tables of docs/geography.md: places and neighbourhoods with their populations.
 *
 * Regenerate after a change to the data or the method (from the repo root, after `npm run build`):
 *   node packages/reference-data/dist/report.js --write docs/geography.md
 * A test checks that docs/geography.md holds the current tables.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { PLACE_IDS, PLACES, type Geography } from '@openphm/core';
import { loadGeography } from './geography.js';
import { meanImdRank, NEIGHBOURHOOD_SIZE } from './neighbourhoods.js';

export const GENERATED_START = '<!-- generated:neighbourhoods:start (packages/reference-data/src/report.ts) -->';
export const GENERATED_END = '<!-- generated:neighbourhoods:end -->';

const thousands = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Markdown tables: one row per place, then one row per neighbourhood. */
export const renderNeighbourhoodTables = (geo: Geography): string => {
  const lsoa = new Map(geo.lsoas.map((l) => [l.code as string, l]));
  const pcn = new Map(geo.pcns.map((p) => [p.code as string, p]));
  const lines: string[] = [];
  lines.push('| Place | LSOAs | Population (mid-2015) | PCNs = neighbourhoods | Practices | Mean neighbourhood | Smallest | Largest |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  let totals = { lsoas: 0, population: 0, neighbourhoods: 0, practices: 0 };
  for (const place of PLACE_IDS) {
    const hoods = geo.neighbourhoods.filter((n) => n.place === place);
    const lsoas = geo.lsoas.filter((l) => l.place === place);
    const practices = geo.practices.filter((p) => p.place === place).length;
    const population = lsoas.reduce((s, l) => s + l.population.total, 0);
    const sizes = hoods.map((n) => n.population);
    lines.push(
      `| ${PLACES[place].name} | ${thousands(lsoas.length)} | ${thousands(population)} | ${hoods.length} | ${practices} | ${thousands(population / Math.max(1, hoods.length))} | ${thousands(Math.min(...sizes))} | ${thousands(Math.max(...sizes))} |`,
    );
    totals = { lsoas: totals.lsoas + lsoas.length, population: totals.population + population, neighbourhoods: totals.neighbourhoods + hoods.length, practices: totals.practices + practices };
  }
  const allSizes = geo.neighbourhoods.map((n) => n.population);
  lines.push(
    `| **Total** | ${thousands(totals.lsoas)} | ${thousands(totals.population)} | ${totals.neighbourhoods} | ${totals.practices} | ${thousands(totals.population / Math.max(1, totals.neighbourhoods))} | ${thousands(Math.min(...allSizes))} | ${thousands(Math.max(...allSizes))} |`,
  );
  lines.push('');
  lines.push('| Neighbourhood | Paired PCN | PCN IMD score | LSOAs | Population (mid-2015) | Mean IMD rank | Within 30k-50k |');
  lines.push('|---|---|---:|---:|---:|---:|:---:|');
  for (const n of geo.neighbourhoods) {
    const p = pcn.get(n.pcnCode);
    const rank = meanImdRank(n.lsoaCodes.map((c) => ({ population: lsoa.get(c)!.population.total, imdRank: lsoa.get(c)!.imdRank })));
    const within = n.population >= NEIGHBOURHOOD_SIZE.min && n.population <= NEIGHBOURHOOD_SIZE.max ? 'yes' : '**no**';
    lines.push(
      `| \`${n.id}\` | ${n.pcnCode} ${p?.name ?? '?'} | ${p === undefined ? '' : p.imdScore.toFixed(1)} | ${n.lsoaCodes.length} | ${thousands(n.population)} | ${thousands(rank)} | ${within} |`,
    );
  }
  return lines.join('\n');
};

/** Replaces the text between the generated-section markers (which must both be present). */
export const replaceGeneratedSection = (markdown: string, content: string): string => {
  const start = markdown.indexOf(GENERATED_START);
  const end = markdown.indexOf(GENERATED_END);
  if (start < 0 || end < start) throw new RangeError('the generated-section markers are missing from the document');
  return `${markdown.slice(0, start + GENERATED_START.length)}\n${content}\n${markdown.slice(end)}`;
};

const main = async (args: readonly string[]): Promise<void> => {
  const tables = renderNeighbourhoodTables(await loadGeography());
  const writeIndex = args.indexOf('--write');
  const target = writeIndex >= 0 ? args[writeIndex + 1] : undefined;
  if (target === undefined) {
    process.stdout.write(`${tables}\n`);
    return;
  }
  await writeFile(target, replaceGeneratedSection(await readFile(target, 'utf8'), tables));
  process.stdout.write(`Updated ${target}\n`);
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
