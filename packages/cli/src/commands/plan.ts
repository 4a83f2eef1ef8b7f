/**
 * `phm plan check [files…]`: checks strategy files (docs/delivery.md) before they are loaded: valid
 * JSON, every field right, every indicator in the catalogue, named after the strategy id. With no
 * files, checks every plans/*.json under the current folder; a folder given stands for its *.json files. Prints what each file holds, or what is
 * wrong (file and field); exits 3 when any file is invalid.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { INDICATOR_CATALOGUE, UserError, parseStrategyFile, strategyMeasures } from '@openphm/core';
import type { CliIo } from '../io.js';

export interface PlanCheckOptions {
  readonly files: readonly string[];
}

/** One line about a valid strategy: its id and version, and how much of it can be judged. */
const summary = (source: string, text: string): string => {
  const s = parseStrategyFile(text, source, INDICATOR_CATALOGUE);
  const measures = strategyMeasures(s).map((x) => x.measure);
  const unset = measures.filter((m) => m.baseline === undefined || m.target === undefined).length;
  return `ok: ${source}: ${s.id} version ${s.version}, ${s.priorities.length} priorities, ${s.priorities.reduce((a, p) => a + p.ambitions.length, 0)} ambitions, ${measures.length} measures (${unset} without a baseline or target yet)`;
};

/** The plan files (*.json, not in subfolders) of a folder, by name. */
const planFilesIn = (dir: string): string[] => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new UserError(`no plan files (*.json) in ${dir}`, 'not-found');
  return files;
};

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

export const planCheckCommand = (options: PlanCheckOptions, io: CliIo): void => {
  // A folder given stands for its plan files.
  let files = options.files.map((f) => resolve(io.cwd, f)).flatMap((f) => (isFolder(f) ? planFilesIn(f) : [f]));
  if (options.files.length === 0) {
    const dir = resolve(io.cwd, 'plans');
    if (!isFolder(dir)) throw new UserError(`no files given and no plans/ folder in ${io.cwd}`, 'not-found');
    files = planFilesIn(dir);
  }
  const problems: string[] = [];
  for (const file of files) {
    const source = relative(io.cwd, file) || file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      problems.push(`${source}: cannot be read`);
      io.stderr.write(`error: ${source}: cannot be read\n`);
      continue;
    }
    try {
      io.stdout.write(`${summary(source, text)}\n`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(error.message);
      io.stderr.write(`error: ${error.message}\n`);
    }
  }
  if (problems.length > 0) throw new UserError(`${problems.length} of ${files.length} plan files are invalid`, 'invalid-input');
};
