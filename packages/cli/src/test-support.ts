/**
 * Helpers for the CLI's end-to-end tests: run the built `phm` (npm test builds first) in a scratch
 * directory, and read its CSV output. Not part of the published CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The built entry point. */
export const PHM_MAIN = new URL('../dist/main.js', import.meta.url).pathname;

export interface PhmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PhmRunner {
  /** The scratch directory the command runs in. */
  readonly dir: string;
  /** Runs `phm …args` in the scratch directory; never throws for a non-zero exit. */
  readonly phm: (...args: string[]) => Promise<PhmResult>;
  /** Removes the scratch directory. */
  readonly cleanup: () => void;
}

/** A runner of the built `phm` in a new scratch directory named after `prefix`. */
export const phmRunner = (prefix: string): PhmRunner => {
  if (!existsSync(PHM_MAIN)) throw new Error(`${PHM_MAIN} is missing: run npm run build (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), `phm-${prefix}-`));
  const phm = async (...args: string[]): Promise<PhmResult> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [PHM_MAIN, ...args], { cwd: dir, maxBuffer: 256 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  return { dir, phm, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Rows of simple CSV output (no quoted commas), keyed by the header. */
export const parseCsv = (text: string): Record<string, string>[] => {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i]!, v])));
};
