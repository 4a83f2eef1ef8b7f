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

/**
 * Results kept for the life of one data version, never evicted by other traffic: the precomputed
 * person features and the indicator counts behind the dashboard. Everything is dropped when a new
 * version is first seen. A failed computation is forgotten, so the next request tries again.
 */
export interface VersionMemo {
  get<T>(key: string, version: string, compute: () => Promise<T>): Promise<T>;
  /** Whether `key` has finished computing at `version`. */
  has(key: string, version: string): boolean;
  /** Whether `key` is held at `version`, computing or finished. */
  holds(key: string, version: string): boolean;
  readonly size: number;
  clear(): void;
}

export const createVersionMemo = (): VersionMemo => {
  const entries = new Map<string, Promise<unknown>>();
  const done = new Set<string>();
  let lastVersion: string | undefined;
  const sync = (version: string) => {
    if (version !== lastVersion) {
      entries.clear();
      done.clear();
      lastVersion = version;
    }
  };
  return {
    get: <T>(key: string, version: string, compute: () => Promise<T>): Promise<T> => {
      sync(version);
      const hit = entries.get(key);
      if (hit !== undefined) return hit as Promise<T>;
      const promise = compute();
      entries.set(key, promise);
      promise.then(
        () => {
          if (entries.get(key) === promise) done.add(key);
        },
        () => {
          if (entries.get(key) === promise) entries.delete(key);
        },
      );
      return promise;
    },
    has: (key: string, version: string) => version === lastVersion && done.has(key),
    holds: (key: string, version: string) => version === lastVersion && entries.has(key),
    get size() {
      return entries.size;
    },
    clear: () => {
      entries.clear();
      done.clear();
    },
  };
};
