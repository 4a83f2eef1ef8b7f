/** `phm info`: who is in the database, by place, neighbourhood and IMD decile. */
import { resolve } from 'node:path';
import { openDatabase, populationInfo, type PopulationInfo } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';

export interface InfoCommandOptions {
  readonly db: string;
  readonly json: boolean;
}

const n = (x: number) => x.toLocaleString('en-GB');
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

const table = (headers: string[], rows: (string | number)[][], rightAlign: boolean[]): string => {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
};

export const formatInfo = (info: PopulationInfo): string => {
  const out: string[] = [];
  const m = info.meta;
  out.push(
    `Source: ${m.source ?? 'unknown'}${m.seed ? `, seed '${m.seed}'` : ''}${m.generator ? ` (${m.generator})` : ''}` +
      `${info.windowStart ? `; window ${info.windowStart} to ${info.windowEnd ?? '?'} (exclusive)` : ''}`,
  );
  out.push(`People: ${n(info.people.total)} in the record, ${n(info.people.aliveAtWindowEnd)} alive at the end of the window\n`);
  const total = info.people.aliveAtWindowEnd;
  out.push('By place');
  out.push(table(['Place', 'People', 'Alive', 'Share'], info.byPlace.map((p) => [p.name, n(p.people), n(p.alive), pct(p.alive, total)]), [false, true, true, true]));
  out.push('\nBy IMD 2019 decile (1 = most deprived 10% in England)');
  out.push(table(['Decile', 'People', 'Alive', 'Share'], info.byImdDecile.map((d) => [d.imdDecile, n(d.people), n(d.alive), pct(d.alive, total)]), [true, true, true, true]));
  out.push('\nBy neighbourhood');
  out.push(table(['Place', 'Neighbourhood', 'People', 'Alive'], info.byNeighbourhood.map((d) => [d.place, d.name, n(d.people), n(d.alive)]), [false, false, true, true]));
  out.push('\nRows per table');
  out.push(table(['Table', 'Rows'], Object.entries(info.tables).map(([t, c]) => [t, n(c)]), [false, true]));
  return `${out.join('\n')}\n`;
};

export const infoCommand = async (options: InfoCommandOptions, io: CliIo): Promise<PopulationInfo> => {
  const db = await openDatabase(resolve(io.cwd, options.db), { readOnly: true });
  try {
    const info = await populationInfo(db);
    io.stdout.write(options.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
    return info;
  } finally {
    db.close();
  }
};
