/** Everything a command touches outside itself, passed in so tests can capture it. */
export interface CliIo {
  readonly stdout: { write(text: string): void; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): void; readonly isTTY?: boolean };
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
