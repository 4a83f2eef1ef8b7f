/**
 * In-memory cache of computed results, keyed by (endpoint, parameters, data version). A result
 * computed on an older version of the database is never returned: the version is part of the key,
 * and entries of other versions are dropped when a new version is first seen.
 */
export interface ResultCache {
  /** The cached value for (endpoint, params) at `version`, computing it once when missing. */
  get<T>(endpoint: string, params: Readonly<Record<string, unknown>>, version: string, compute: () => Promise<T>): Promise<T>;
  readonly size: number;
  readonly stats: { hits: number; misses: number };
  clear(): void;
}

/** Stable text of parameters: keys sorted, undefined dropped. */
export const canonicalParams = (params: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(
    Object.keys(params)
      .filter((k) => params[k] !== undefined)
      .sort()
      .map((k) => [k, params[k]]),
  );

export const createResultCache = (maxEntries = 500): ResultCache => {
  const entries = new Map<string, Promise<unknown>>();
  let lastVersion: string | undefined;
  const stats = { hits: 0, misses: 0 };
  return {
    get: <T>(endpoint: string, params: Readonly<Record<string, unknown>>, version: string, compute: () => Promise<T>): Promise<T> => {
      if (version !== lastVersion) {
        entries.clear();
        lastVersion = version;
      }
      const key = `${endpoint}\u0000${canonicalParams(params)}\u0000${version}`;
      const hit = entries.get(key);
      if (hit !== undefined) {
        stats.hits++;
        // Most recently used last.
        entries.delete(key);
        entries.set(key, hit);
        return hit as Promise<T>;
      }
      stats.misses++;
      const promise = compute();
      entries.set(key, promise);
      promise.catch(() => {
        if (entries.get(key) === promise) entries.delete(key);
      });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      return promise;
    },
    get size() {
      return entries.size;
    },
    stats,
    clear: () => entries.clear(),
  };
};
