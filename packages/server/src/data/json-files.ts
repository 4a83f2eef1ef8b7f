/** Definitions kept as files (cohorts/*.json, plans/*.json): read and checked one by one, so one bad file never hides the rest. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JsonFiles<T> {
  readonly parsed: T[];
  /** The files that could not be read or parsed (file name and why), skipped. */
  readonly problems: { readonly name: string; readonly message: string }[];
}

/** Every *.json file of a folder in file name order, parsed by `parse` (given the text and the file name); a missing folder has none. */
export const readJsonFiles = <T>(dir: string, parse: (text: string, name: string) => T): JsonFiles<T> => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return { parsed: [], problems: [] };
  }
  const parsed: T[] = [];
  const problems: { name: string; message: string }[] = [];
  for (const name of names) {
    try {
      parsed.push(parse(readFileSync(join(dir, name), 'utf8'), name));
    } catch (error) {
      problems.push({ name, message: (error as Error).message });
    }
  }
  return { parsed, problems };
};
