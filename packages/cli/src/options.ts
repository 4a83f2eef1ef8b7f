/** Parsing of command-line option values: strict, with messages that say what was expected. */
import { UserError } from '@openphm/core/errors';

/** About the whole partnership (ONS mid-2021 estimates: 2.7 million). */
export const FULL_SIZE = 2_700_000;

/** `5000`, `50k`, `2.7m`, `full`. */
export const parseSize = (value: string): number => {
  if (value === 'full') return FULL_SIZE;
  const m = /^(\d+(?:\.\d+)?)([km])?$/i.exec(value.trim());
  if (!m) throw new UserError(`--size must be a number of people such as 5000, 50k, 2.7m or 'full', got '${value}'`);
  const n = Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1));
  if (n < 100) throw new UserError(`--size must be at least 100 people, got '${value}'`);
  if (n > 10_000_000) throw new UserError(`--size must be at most 10m people, got '${value}'`);
  return n;
};

export const parsePositiveInt = (name: string) => (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`${name} must be a whole number of at least 1, got '${value}'`);
  return Number(value);
};

export const defaultDb = (env: Record<string, string | undefined>): string => env.PHM_DB ?? 'data/openphm.duckdb';

export const parsePositiveNumber = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number, got '${value}'`);
  return n;
};

/** `0.95,0.998` → [0.95, 0.998]; also accepts percentages such as 95. */
export const parseConfidence = (value: string): number[] =>
  value.split(',').map((part) => {
    const n = Number(part.trim());
    const p = n > 1 && n < 100 ? n / 100 : n;
    if (!Number.isFinite(p) || p <= 0 || p >= 1) throw new UserError(`--confidence must be levels such as 0.95,0.998, got '${value}'`);
    return p;
  });

/** The starting ages of the 20 life-table bands: 0, 1, 5, 10, …, 90. */
const LIFE_TABLE_STARTS = [0, 1, ...Array.from({ length: 18 }, (_, i) => 5 * (i + 1))];

/** `--start-age`: `65`, `0,65,85` or `all` (every band of the life table). */
export const parseStartAges = (value: string): number[] | 'all' => {
  if (value.trim().toLowerCase() === 'all') return 'all';
  const ages = value.split(',').map((part) => {
    const text = part.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !LIFE_TABLE_STARTS.includes(n)) {
      throw new UserError(`--start-age must be 'all' or starting ages of the life-table bands (0, 1, 5, 10, …, 90), comma-separated, got '${value}'`);
    }
    return n;
  });
  if (new Set(ages).size !== ages.length) throw new UserError(`--start-age lists an age more than once: '${value}'`);
  return ages;
};

/** A number other than 0 (a multiplier; negative reverses the polarity of an SII). */
export const parseNonZeroNumber = (name: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n === 0) throw new UserError(`${name} must be a number other than 0, got '${value}'`);
  return n;
};

/** `--column population=pop`: the file's header for a column the method reads. Repeatable; accumulates. */
export const parseColumnMapping = (value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> => {
  const match = /^\s*([a-z_0-9]+)\s*=\s*(.+?)\s*$/i.exec(value);
  if (!match) throw new UserError(`--column must be name=header, e.g. population=pop, got '${value}'`);
  const role = match[1]!.toLowerCase();
  if (previous[role] !== undefined) throw new UserError(`--column gives ${role} twice`);
  return { ...previous, [role]: match[2]! };
};
