/**
 * Progress reporting for long jobs: a bar on an interactive terminal, occasional plain lines
 * otherwise (CI logs, pipes), nothing when quiet. Always on stderr so stdout stays data.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Start or move to a named step with a known total. */
  step(name: string, total: number): void;
  update(done: number, total?: number): void;
  done(): void;
}

export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export const createProgress = (out: ProgressOutput, quiet = false): Progress => {
  if (quiet) return { step: () => {}, update: () => {}, done: () => {} };
  if (out.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    return {
      step(name, total) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          { format: `${name.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream: out as unknown as NodeJS.WritableStream, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      },
      update(done, total) {
        if (total !== undefined) bar?.setTotal(total);
        bar?.update(done);
      },
      done() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let current = '';
  let total = 0;
  let lastPercent = -1;
  const started = Date.now();
  return {
    step(name, t) {
      current = name;
      total = t;
      lastPercent = -1;
    },
    update(done, t) {
      if (t !== undefined) total = t;
      const percent = total > 0 ? Math.floor((done / total) * 10) * 10 : 100;
      if (percent !== lastPercent) {
        lastPercent = percent;
        out.write(`${current}: ${percent}% (${done}/${total}) ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      }
    },
    done() {},
  };
};
