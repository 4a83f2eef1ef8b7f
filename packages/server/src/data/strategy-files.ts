/**
 * Strategy definitions from plans/*.json: each file validated with core's parseStrategy against the
 * indicator catalogue and loaded into the operational store (a version is stored once and never
 * changes). Problems are returned, not thrown: one bad file must not stop the server, and the
 * stored versions keep being served.
 */
import { INDICATOR_CATALOGUE, parseStrategyFile } from '@openphm/core';
import type { OperationalDb } from '../operational/db.js';
import { syncStrategies, type StrategyFile } from '../operational/delivery.js';
import { readJsonFiles } from './json-files.js';

export interface PlanProblem {
  readonly source: string;
  readonly message: string;
}

/** Reads and validates every plans/*.json (file name order); a missing folder is no plans. */
export const readPlanFiles = (dir: string): { files: StrategyFile[]; problems: PlanProblem[] } => {
  const { parsed, problems } = readJsonFiles(dir, (text, name) => ({ strategy: parseStrategyFile(text, `plans/${name}`, INDICATOR_CATALOGUE), source: `plans/${name}` }));
  return { files: parsed, problems: problems.map(({ name, message }) => ({ source: `plans/${name}`, message })) };
};

/** Loads the plan files into the store; returns what could not be loaded. */
export const loadStrategyFiles = async (ops: OperationalDb, dir: string): Promise<PlanProblem[]> => {
  const { files, problems } = readPlanFiles(dir);
  const { conflicts } = await syncStrategies(ops, files);
  return [...problems, ...conflicts];
};
