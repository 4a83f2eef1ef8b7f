// Shared helpers for benchmarks: run a child process while sampling its peak memory, and write a
// section of docs/benchmarks.md between markers so each benchmark owns its own part of the page.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';

/**
 * Samples a running process every 0.2 s: its peak resident memory (VmHWM, MB) and its CPU time
 * (user + system, every thread, seconds; up to 0.2 s short of the truth, the last sample).
 * `read()` takes a sample now and returns both; `stop()` ends the sampling and returns them.
 */
export const watchProcess = (pid) => {
  let peakKb = 0;
  let cpuTicks = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
    } catch {
      /* process gone */
    }
  };
  const timer = setInterval(sample, 200);
  // At 100 clock ticks a second (Linux).
  const result = () => ({ peakMb: peakKb / 1024, cpuSeconds: cpuTicks / 100 });
  return {
    read: () => {
      sample();
      return result();
    },
    stop: () => {
      clearInterval(timer);
      return result();
    },
  };
};

/** Runs a command, returning wall seconds, peak resident memory (VmHWM of the process, MB) and CPU seconds. */
export const measure = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
    const watch = watchProcess(child.pid);
    child.on('error', (error) => {
      watch.stop();
      reject(error);
    });
    child.on('exit', (code) => {
      const { peakMb, cpuSeconds } = watch.stop();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      else resolve({ seconds, peakMb, cpuSeconds });
    });
  });

export const machine = () => `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md. */
export const writeSection = (file, name, body) => {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
};

/** The dashboard endpoints a start-up benchmark waits for (as bench/api-load.bench.mjs measures them under load). */
export const DASHBOARD_ENDPOINTS = [
  '/api/dashboard?area=ics',
  '/api/dashboard?area=place:leeds',
  '/api/indicators/smoking-prevalence/results?by=neighbourhood',
  '/api/segments?by=neighbourhood',
  '/api/risk?by=imd-decile',
  '/api/population/summary',
  '/api/strategies/wyh-partnership/scorecard',
  '/api/directory/services?place=leeds',
];

/** A TCP port free on the loopback address now (for a server a benchmark starts). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/**
 * Starts `phm serve` (the built CLI under `root`) on `db` with the operational store in `operational`,
 * errors only on stderr; returns the child and a `stop` that ends it (also run when this process exits).
 */
export const servePhm = ({ root, db, port, operational, logFile }) => {
  // With a log file: the server's log at info (each precomputation step's time, requests by route), appended there.
  const log = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  const server = spawn(process.execPath, [join(root, 'packages/cli/dist/main.js'), 'serve', '--db', db, '--port', String(port), '--operational', operational], {
    cwd: root,
    stdio: ['ignore', log, 'inherit'],
    env: { ...process.env, PHM_LOG_LEVEL: logFile === undefined ? 'error' : 'info' },
  });
  if (typeof log === 'number') closeSync(log);
  const stop = () => {
    if (server.exitCode === null) server.kill('SIGTERM');
  };
  process.on('exit', stop);
  return { server, stop };
};

/**
 * Asks `url` (gzip accepted, body read) every 250 ms until it answers 200; a refused or reset
 * connection is asked again. Throws when `server` (a child process) has exited meanwhile.
 */
export const untilAnswered = async (url, server, what = 'the server') => {
  for (;;) {
    if (server.exitCode !== null) throw new Error(`${what} exited with ${server.exitCode}`);
    try {
      const r = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      /* refused or reset: ask again */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
};
