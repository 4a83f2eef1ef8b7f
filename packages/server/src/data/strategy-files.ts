/**
 * Strategy definitions from plans/*.json: each file validated with core's parseStrategy against the
 * indicator catalogue and loaded into the operational store (a version is stored once and never
 * changes). Problems are returned, not thrown: one bad file must not stop the server, and the
 * stored versions keep being served.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDICATOR_CATALOGUE, parseStrategyFile } from '@openphm/core';
import type { OperationalDb } from '../operational/db.js';
import { syncStrategies, type StrategyFile } from '../operational/delivery.js';

export interface PlanProblem {
  readonly source: string;
  readonly message: string;
}

/** Reads and validates every plans/*.json (file name order); a missing folder is no plans. */
export const readPlanFiles = (dir: string): { files: StrategyFile[]; problems: PlanProblem[] } => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return { files: [], problems: [] };
  }
  const files: StrategyFile[] = [];
  const problems: PlanProblem[] = [];
  for (const name of names) {
    const source = `plans/${name}`;
    try {
      files.push({ strategy: parseStrategyFile(readFileSync(join(dir, name), 'utf8'), source, INDICATOR_CATALOGUE), source });
    } catch (error) {
      problems.push({ source, message: (error as Error).message });
    }
  }
  return { files, problems };
};

/** Loads the plan files into the store; returns what could not be loaded. */
export const loadStrategyFiles = async (ops: OperationalDb, dir: string): Promise<PlanProblem[]> => {
  const { files, problems } = readPlanFiles(dir);
  const { conflicts } = await syncStrategies(ops, files);
  return [...problems, ...conflicts];
};
