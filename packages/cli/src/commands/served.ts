/** What `phm generate` / `phm import` say about a server running on the database they replace, and about crashed runs' leftovers. */
import { UserError } from '@openphm/core';
import { describeOwner, liveOwner, type Leftover, type SwapRecovery } from '@openphm/store-duckdb';
import type { CliIo } from '../io.js';

/** Tells the user what an earlier, crashed run left next to the database and this run removed. */
export const reportLeftovers = (io: CliIo, removed: readonly Leftover[], recovered?: SwapRecovery, db?: string): void => {
  if (recovered !== undefined && (recovered.kind === 'completed' || recovered.kind === 'rolled-back')) {
    io.stderr.write(
      `Repaired ${db ?? 'the database'} and its identity store, left between two renames by an interrupted run (process ${recovered.pid}): ` +
        `${recovered.kind === 'completed' ? 'its new version completed' : 'the previous version restored'}\n`,
    );
  }
  for (const { path, pid } of removed) io.stderr.write(`Removed ${path}, left by an interrupted run (process ${pid}, no longer running)\n`);
};

/**
 * A line saying which running server switches to the new database (it does so at its next
 * request, without a restart: the file was replaced atomically), or '' when none serves it.
 */
export const servedNote = (db: string): string => {
  const owner = liveOwner(db);
  return owner ? `Served by ${describeOwner(owner)}: it switches to the new data at its next request, without a restart.\n` : '';
};

/** Refuses to start a second server on a database that is already served (before any work is done). */
export const refuseIfServed = (db: string): void => {
  const owner = liveOwner(db);
  if (owner) throw new UserError(`${db} is already served by ${describeOwner(owner)}: use that server, or stop it first`, 'conflict');
};
