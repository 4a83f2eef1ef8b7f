/**
 * Per-user limits on how fast a signed-in user may call a route: a token bucket per user and limit.
 * A route names its limit in the route table (access.ts, `limit`), and the one access-control hook
 * enforces it: a user may make `burst` requests at once, then `perSecond` a second on average; beyond
 * that the request is refused with 429 (core's 'rate-limited' kind) and Retry-After, and audited like
 * any refusal. Routes naming the same limit share the user's bucket. One user flooding the
 * person-level routes then cannot take the server from everyone else (docs/security.md, "Other
 * measures"). Pure: time is passed in.
 *
 * The cohort builder's disclosure rules (300 counts a day, a pause after 3 differencing attempts:
 * data/cohort-counts.ts) are a different thing, a daily quota against unpicking counts; the burst
 * limit here only spreads load.
 */

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** The limits routes may name in the route table. */
export const RATE_LIMITS = {
  /** Person-level rows (a person's summary, care plans, worklists, referrals, caseloads): a page of the web app makes one or two. */
  'person-level': { burst: 30, perSecond: 5 },
  /** Cohort counts (each one a query over the person features; the daily quota is the cohort builder's own). */
  'cohort-count': { burst: 10, perSecond: 1 },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;
export const RATE_LIMIT_NAMES = Object.keys(RATE_LIMITS) as RateLimitName[];

/** The outcome of taking a request from a bucket: granted, or refused with the whole seconds to wait. */
export type Admission = { readonly granted: true } | { readonly granted: false; readonly retryAfterSeconds: number };

export const checkRateLimit = (limit: RateLimit): RateLimit => {
  if (!Number.isInteger(limit.burst) || limit.burst < 1) throw new RangeError(`a rate limit's burst must be a whole number of at least 1, got ${limit.burst}`);
  if (!Number.isFinite(limit.perSecond) || limit.perSecond <= 0) throw new RangeError(`a rate limit's perSecond must be more than 0, got ${limit.perSecond}`);
  return limit;
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets of one limit, one per user (users whose bucket is full again are forgotten). */
export class TokenBuckets {
  private readonly buckets = new Map<number, Bucket>();

  constructor(readonly limit: RateLimit) {
    checkRateLimit(limit);
  }

  /** Takes one request for `user` at `now` (ms): granted, or refused with how long until one would be. */
  take(user: number, now: number): Admission {
    const { burst, perSecond } = this.limit;
    const b = this.buckets.get(user);
    const tokens = b === undefined ? burst : Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    if (tokens >= 1) {
      this.buckets.set(user, { tokens: tokens - 1, at: now });
      if (this.buckets.size > 10_000) this.forgetFull(now);
      return { granted: true };
    }
    this.buckets.set(user, { tokens, at: now });
    return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
  }

  /** Requests the user could make now without waiting (whole ones). */
  available(user: number, now: number): number {
    const b = this.buckets.get(user);
    if (b === undefined) return this.limit.burst;
    return Math.floor(Math.min(this.limit.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.limit.perSecond));
  }

  /** Users tracked (whose bucket is not known to be full). */
  get size(): number {
    return this.buckets.size;
  }

  /** Forgets the users whose bucket has filled up again (as if they had never called). */
  forgetFull(now: number): void {
    for (const [user, b] of this.buckets) {
      if (b.tokens + (Math.max(0, now - b.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(user);
    }
  }
}

/**
 * How long a request refused by a per-user limit is held before its 429 is sent. A client flooding
 * a route waits for each answer before sending the next on that connection, so holding the refusal
 * (a timer, no work) slows the flood to about its connections a second instead of thousands of
 * refusals a second that would take the server's time from everyone else.
 */
export const REFUSAL_HOLD_MS = 1000;
/** Refusals held at once for one user at most; beyond it they are answered at once (the held ones each keep a connection open). */
export const MAX_HELD_PER_USER = 100;

export interface RateLimiterOptions {
  /** REFUSAL_HOLD_MS unless given (0: answered at once). */
  readonly holdMs?: number;
  readonly maxHeldPerUser?: number;
}

/** One set of buckets per limit, for a server; `overrides` replace the numbers (tests, or a deployment's own). */
export const createRateLimiter = (overrides: Partial<Record<RateLimitName, RateLimit>> = {}, options: RateLimiterOptions = {}) => {
  const buckets = Object.fromEntries(RATE_LIMIT_NAMES.map((name) => [name, new TokenBuckets(overrides[name] ?? RATE_LIMITS[name])])) as Record<RateLimitName, TokenBuckets>;
  const holdMs = options.holdMs ?? REFUSAL_HOLD_MS;
  const maxHeld = options.maxHeldPerUser ?? MAX_HELD_PER_USER;
  const held = new Map<number, number>();
  return {
    limitOf: (name: RateLimitName): RateLimit => buckets[name].limit,
    take: (name: RateLimitName, user: number, now = Date.now()): Admission => buckets[name].take(user, now),
    /** Waits before a refusal is sent (REFUSAL_HOLD_MS), unless the user already has MAX_HELD_PER_USER refusals waiting. */
    hold: async (user: number): Promise<void> => {
      const n = held.get(user) ?? 0;
      if (holdMs <= 0 || n >= maxHeld) return;
      held.set(user, n + 1);
      try {
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      } finally {
        const left = (held.get(user) ?? 1) - 1;
        if (left <= 0) held.delete(user);
        else held.set(user, left);
      }
    },
    /** Refusals being held for the user now. */
    holding: (user: number): number => held.get(user) ?? 0,
  };
};
export type RateLimiter = ReturnType<typeof createRateLimiter>;
