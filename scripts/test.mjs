#!/usr/bin/env node
/**
 * The README's test command (`npm test`): sets up what the suites need on a fresh machine, builds
 * everything, then runs the whole suite (arguments are passed on to `vitest run`).
 *
 * - Debian's Chromium for the browser tests: installed with apt-get (with sudo when not root) when
 *   /usr/bin/chromium is missing and PHM_CHROMIUM is not set.
 * - A PostgreSQL server for the operational-store tests (both back ends are always tested):
 *   PHM_TEST_DATABASE_URL when set; else a server on 127.0.0.1:5432 with trust auth for `postgres`;
 *   else Debian's PostgreSQL, installed if need be, started, and given a random password for this run,
 *   whose URL is passed to the tests. The tests' database is created when it does not exist.
 *
 * Nothing is skipped: when a step cannot be done the script says why and stops (exit 1).
 * PHM_TEST_SETUP=0 skips the set-up (for machines prepared by other means); `npm test -- --setup-only`
 * does the set-up alone and prints the tests' database URL (password hidden).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const PG_HOST = '127.0.0.1';
const PG_PORT = 5432;
const TEST_DB = 'test';

const log = (message) => process.stderr.write(`test setup: ${message}\n`);
const fail = (message) => {
  process.stderr.write(`test setup: error: ${message}\n`);
  process.exit(1);
};

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** Runs a command, as root (through sudo when this process is not root); returns whether it succeeded. */
const runAsRoot = (command, args, options = {}) => {
  const [cmd, argv] = isRoot ? [command, args] : ['sudo', ['-n', command, ...args]];
  if (!isRoot && !onPath('sudo')) return false;
  const result = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, ...options });
  return result.status === 0;
};

/** Runs a command as the `postgres` system user (peer authentication on the local socket). */
const runAsPostgres = (command, args) => {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : ['sudo', ['-n', '-u', 'postgres', command, ...args]];
  return spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
};

let aptUpdated = false;
const aptInstall = (pkg) => {
  if (!onPath('apt-get')) return false;
  log(`installing Debian's ${pkg} (apt-get${isRoot ? '' : ' through sudo'})`);
  if (!aptUpdated) {
    aptUpdated = runAsRoot('apt-get', ['update', '-qq']);
    if (!aptUpdated) return false;
  }
  return runAsRoot('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg]);
};

const ensureChromium = () => {
  const configured = process.env.PHM_CHROMIUM;
  if (configured !== undefined) {
    if (!existsSync(configured)) fail(`PHM_CHROMIUM names ${configured}, which does not exist.`);
    return;
  }
  if (existsSync(DEFAULT_CHROMIUM)) return;
  if (!aptInstall('chromium') || !existsSync(DEFAULT_CHROMIUM)) {
    fail(`Chromium is not at ${DEFAULT_CHROMIUM} and could not be installed with apt-get${isRoot ? '' : ' (needs root or passwordless sudo)'}: install Debian's chromium or set PHM_CHROMIUM to a Chromium binary.`);
  }
};

const portOpen = (port) =>
  new Promise((resolve) => {
    const socket = connect({ host: PG_HOST, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

const waitForPort = async (port, seconds) => {
  for (let i = 0; i < seconds; i++) {
    if (await portOpen(port)) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
};

const redact = (url) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/** Connects to the server of `url` (its maintenance database) and runs `work`; returns an error message or undefined. */
const withServer = async (url, work) => {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    return error.message;
  }
  try {
    await work(client, decodeURIComponent(target.pathname.slice(1)));
    return undefined;
  } catch (error) {
    return error.message;
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Creates the tests' database when missing; fails the run when the server is not usable. */
const ensureDatabase = async (url) => {
  const problem = await withServer(url, async (client, name) => {
    if (!name) throw new Error(`${redact(url)} names no database`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    }
  });
  if (problem !== undefined) fail(`PostgreSQL at ${redact(url)} is not usable for the tests: ${problem}`);
};

/** Debian's PostgreSQL: installed when missing, its first cluster started, `postgres` given a fresh password. */
const startDebianPostgres = async () => {
  if (!onPath('pg_lsclusters') && !aptInstall('postgresql')) return undefined;
  if (!onPath('pg_lsclusters')) return undefined;
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const first = (clusters.stdout ?? '').split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return undefined;
  const [version, cluster, port] = first.trim().split(/\s+/);
  if (Number(port) !== PG_PORT) {
    log(`Debian's PostgreSQL cluster ${version}/${cluster} listens on port ${port}, not ${PG_PORT}`);
    return undefined;
  }
  if (!(await portOpen(PG_PORT))) {
    log(`starting PostgreSQL ${version}/${cluster}`);
    runAsRoot('pg_ctlcluster', [version, cluster, 'start']);
    if (!(await waitForPort(PG_PORT, 30))) return undefined;
  }
  const password = randomBytes(12).toString('hex');
  if (!runAsPostgres('psql', ['-q', '-c', `ALTER USER postgres PASSWORD '${password}'`])) return undefined;
  return `postgres://postgres:${password}@${PG_HOST}:${PG_PORT}/${TEST_DB}`;
};

const ensurePostgres = async () => {
  const configured = process.env.PHM_TEST_DATABASE_URL;
  if (configured !== undefined && configured !== '') {
    await ensureDatabase(configured);
    return configured;
  }
  const trust = `postgres://postgres@${PG_HOST}:${PG_PORT}/${TEST_DB}`;
  if (await portOpen(PG_PORT)) {
    const problem = await withServer(trust, async () => undefined);
    if (problem === undefined) {
      await ensureDatabase(trust);
      return trust;
    }
    log(`PostgreSQL on ${PG_HOST}:${PG_PORT} refused user postgres without a password (${problem})`);
  }
  const url = await startDebianPostgres();
  if (url === undefined) {
    fail(`no PostgreSQL server for the tests: set PHM_TEST_DATABASE_URL to one (e.g. postgres://user:password@host:5432/test), run one on ${PG_HOST}:${PG_PORT} that lets user postgres in, or allow this script to install Debian's postgresql (root or passwordless sudo).`);
  }
  await ensureDatabase(url);
  return url;
};

const run = (command, args, env) => {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.error) fail(`${command}: ${result.error.message}`);
  if (result.signal) process.kill(process.pid, result.signal);
  return result.status ?? 1;
};

const main = async () => {
  const env = { ...process.env };
  if (process.env.PHM_TEST_SETUP !== '0') {
    ensureChromium();
    env.PHM_TEST_DATABASE_URL = await ensurePostgres();
    log(`Chromium ${process.env.PHM_CHROMIUM ?? DEFAULT_CHROMIUM}; PostgreSQL ${redact(env.PHM_TEST_DATABASE_URL)}`);
  }
  const args = process.argv.slice(2);
  if (args.includes('--setup-only')) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = run(npm, ['run', 'build'], env);
  if (built !== 0) process.exit(built);
  process.exit(run(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', ...args], env));
};

await main();
