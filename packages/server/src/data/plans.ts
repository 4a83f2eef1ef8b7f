/**
 * Strategy definitions from plans/*.json: each file validated with core's parseStrategy against the
 * indicator catalogue and loaded into the operational store (a version is stored once and never
 * changes). Problems are returned, not thrown: one bad file must not stop the server, and the
 * stored versions keep being served.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDICATOR_CATALOGUE, parseStrategy } from '@openphm/core';
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
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      } catch (error) {
        throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
      }
      const strategy = parseStrategy(json, INDICATOR_CATALOGUE, source);
      if (`${strategy.id}.json` !== name) throw new Error(`${source}: the file name must be the strategy id (${strategy.id}.json)`);
      files.push({ strategy, source });
    } catch (error) {
      problems.push({ source, message: (error as Error).message });
    }
  }
  return { files, problems };
};

/** Loads the plan files into the store; returns what could not be loaded. */
export const loadPlans = async (ops: OperationalDb, dir: string): Promise<PlanProblem[]> => {
  const { files, problems } = readPlanFiles(dir);
  const { conflicts } = await syncStrategies(ops, files);
  return [...problems, ...conflicts];
};
