/**
 * The benchmarks are not run in CI (they need the full partnership), so CI checks what it can: every
 * script parses (a syntax error would otherwise be found only by the next person to run it), and the
 * shared helpers in lib.mjs work.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { freePort, untilAnswered } from './lib.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const scripts = readdirSync(here).filter((f) => f.endsWith('.mjs'));

describe('benchmark scripts', () => {
  it.each(scripts)('%s parses', (script) => {
    const result = spawnSync(process.execPath, ['--check', join(here, script)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('finds them all (the check can fail: a script with a syntax error is refused)', () => {
    expect(scripts.length).toBeGreaterThan(8);
    const dir = mkdtempSync(join(tmpdir(), 'phm-bench-check-'));
    try {
      const file = join(dir, 'broken.mjs');
      writeFileSync(file, 'const x = `a `b` c`;\n');
      const bad = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain('SyntaxError');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('freePort gives a loopback port nothing listens on', async () => {
    const port: number = await freePort();
    expect(port).toBeGreaterThan(0);
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.on('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });
});

describe('untilAnswered', () => {
  it('asks again until the answer is 200, and gives up when the server has exited', async () => {
    let asked = 0;
    const http = createHttpServer((_, res) => {
      asked++;
      res.statusCode = asked < 3 ? 503 : 200;
      res.end('x');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const { port } = http.address() as { port: number };
    try {
      await untilAnswered(`http://127.0.0.1:${port}/`, { exitCode: null });
      expect(asked).toBe(3);
      await expect(untilAnswered(`http://127.0.0.1:${port}/`, { exitCode: 1 }, 'phm serve')).rejects.toThrow('phm serve exited with 1');
    } finally {
      http.close();
    }
  });
});
