/**
 * Neighbourhood names as shown everywhere: the PCN's name from the geography tables, or the name an
 * admin gave it (operational store, migration 15). The names are read again only when the store's
 * stamp moves (freshStamp: at once after a change through this server); a change clears the result
 * cache, so every cached table, boundary file and dashboard is computed again with the new name.
 */
import { UserError } from '@openphm/core';
import { neighbourhoodRows } from '@openphm/store-duckdb';
import type { NeighbourhoodName } from '@openphm/api-contract';
import { cached, freshStamp, memoised, type Audited, type ServerContext } from '../context.js';
import { neighbourhoodNamesStamp, storeNeighbourhoodName, storedNeighbourhoodNames, type StoredNeighbourhoodName } from '../operational/neighbourhood-names.js';

export interface NeighbourhoodNames {
  /** Changes when any name changes (for cache keys). */
  readonly stamp: string;
  /** Renamed neighbourhoods only: id → the admin's name. */
  readonly renamed: ReadonlyMap<string, StoredNeighbourhoodName>;
}

/** The names admins have given, as of the store's current stamp. */
export const neighbourhoodNames = async (ctx: ServerContext): Promise<NeighbourhoodNames> => {
  const stamp = await freshStamp(ctx, 'neighbourhood-names', () => neighbourhoodNamesStamp(ctx.ops));
  return cached(ctx, 'neighbourhood-names', { stamp }, async () => ({ stamp, renamed: await storedNeighbourhoodNames(ctx.ops) }));
};

/** A neighbourhood's name to show: the admin's, else the PCN's. */
export const shownName = (names: NeighbourhoodNames, id: string, pcnName: string): string => names.renamed.get(id)?.name ?? pcnName;

/** Each neighbourhood's PCN name (the geography tables), kept for the data version. */
const pcnNames = (ctx: ServerContext): Promise<ReadonlyMap<string, string>> =>
  memoised(ctx, 'neighbourhood-pcn-names', async () => new Map((await neighbourhoodRows(ctx.data)).map((n) => [n.id, n.name])));

const out = (id: string, pcnName: string, stored: StoredNeighbourhoodName | null | undefined): NeighbourhoodName => ({
  id,
  name: stored?.name ?? pcnName,
  pcnName,
  renamed: stored != null,
  changedBy: stored?.changedBy ?? null,
  changedAt: stored?.changedAt ?? null,
});

/** Every neighbourhood's name, the PCN's beside it, and who renamed it when. */
export const listNeighbourhoodNames = async (ctx: ServerContext): Promise<NeighbourhoodName[]> => {
  const [pcn, names] = await Promise.all([pcnNames(ctx), neighbourhoodNames(ctx)]);
  return [...pcn].map(([id, pcnName]) => out(id, pcnName, names.renamed.get(id)));
};

/**
 * Renames a neighbourhood (`name`), or names it after its PCN again (null). Not found for a
 * neighbourhood the data does not have. Clears the result cache: names are in cached tables.
 */
export const renameNeighbourhood = async (ctx: ServerContext, id: string, name: string | null, by: string): Promise<Audited<NeighbourhoodName>> => {
  const pcnName = (await pcnNames(ctx)).get(id);
  if (pcnName === undefined) throw new UserError(`no neighbourhood '${id}' in this database`, 'not-found');
  const wanted = name === null || name === pcnName ? null : name;
  const { before, stored } = await storeNeighbourhoodName(ctx.ops, id, wanted, by);
  ctx.cache.clear();
  const from = before ?? `${pcnName} (the PCN's name)`;
  const to = stored?.name ?? `${pcnName} (the PCN's name)`;
  return { value: out(id, pcnName, stored), audit: `neighbourhood ${id}: '${from}' → '${to}'` };
};
