/** Per-user token buckets (limits.ts): a burst at once, then a steady rate, each user on their own. */
import { describe, expect, it } from 'vitest';
import { RATE_LIMITS, TokenBuckets, checkRateLimit, createRateLimiter } from './limits.js';

const grantedOf = (buckets: TokenBuckets, user: number, n: number, now: number): number => {
  let granted = 0;
  for (let i = 0; i < n; i++) if (buckets.take(user, now).granted) granted++;
  return granted;
};

describe('TokenBuckets', () => {
  it('grants a burst at once, then refuses with the seconds until the next request would be granted', () => {
    const buckets = new TokenBuckets({ burst: 5, perSecond: 0.5 });
    expect(grantedOf(buckets, 1, 5, 0)).toBe(5);
    expect(buckets.take(1, 0)).toEqual({ granted: false, retryAfterSeconds: 2 });
    // Half a token after one second: still refused, one more second to wait.
    expect(buckets.take(1, 1000)).toEqual({ granted: false, retryAfterSeconds: 1 });
    expect(buckets.take(1, 2000)).toEqual({ granted: true });
    expect(buckets.take(1, 2000).granted).toBe(false);
  });

  it('refills at the rate, never beyond the burst', () => {
    const buckets = new TokenBuckets({ burst: 10, perSecond: 4 });
    expect(grantedOf(buckets, 1, 10, 0)).toBe(10);
    expect(grantedOf(buckets, 1, 10, 1000)).toBe(4);
    expect(grantedOf(buckets, 1, 50, 60_000)).toBe(10);
    expect(buckets.available(1, 60_000)).toBe(0);
    expect(buckets.available(1, 60_500)).toBe(2);
  });

  it('over a minute of flooding grants the burst plus the rate, no more', () => {
    const buckets = new TokenBuckets({ burst: 30, perSecond: 5 });
    let granted = 0;
    for (let ms = 0; ms < 60_000; ms += 10) if (buckets.take(7, ms).granted) granted++;
    expect(granted).toBeGreaterThanOrEqual(30 + 5 * 59);
    expect(granted).toBeLessThanOrEqual(30 + 5 * 60);
  });

  it('keeps each user apart: one flooding does not use up another’s requests', () => {
    const buckets = new TokenBuckets({ burst: 3, perSecond: 1 });
    expect(grantedOf(buckets, 1, 100, 0)).toBe(3);
    expect(grantedOf(buckets, 2, 3, 0)).toBe(3);
    expect(buckets.take(2, 0).granted).toBe(false);
  });

  it('forgets users whose bucket is full again', () => {
    const buckets = new TokenBuckets({ burst: 2, perSecond: 1 });
    buckets.take(1, 0);
    buckets.take(2, 0);
    buckets.take(2, 0);
    buckets.forgetFull(1000);
    expect(buckets.size).toBe(1);
    expect(buckets.available(2, 1000)).toBe(1);
    expect(buckets.available(1, 1000)).toBe(2);
  });

  it('refuses limits that would never grant, or always', () => {
    expect(() => checkRateLimit({ burst: 0, perSecond: 1 })).toThrow(/burst/);
    expect(() => checkRateLimit({ burst: 1.5, perSecond: 1 })).toThrow(/burst/);
    expect(() => checkRateLimit({ burst: 1, perSecond: 0 })).toThrow(/perSecond/);
    expect(() => new TokenBuckets({ burst: 1, perSecond: Number.POSITIVE_INFINITY })).toThrow(/perSecond/);
  });
});

describe('createRateLimiter', () => {
  it('has a bucket per limit, by default the documented numbers, overridable one by one', () => {
    const limiter = createRateLimiter({ 'cohort-count': { burst: 1, perSecond: 1 } });
    expect(limiter.limitOf('person-level')).toEqual(RATE_LIMITS['person-level']);
    expect(limiter.limitOf('cohort-count')).toEqual({ burst: 1, perSecond: 1 });
    expect(limiter.take('cohort-count', 1, 0).granted).toBe(true);
    expect(limiter.take('cohort-count', 1, 0).granted).toBe(false);
    // The other limit is a bucket of its own.
    expect(limiter.take('person-level', 1, 0).granted).toBe(true);
  });
});

describe('holding refusals (a flood slowed to its connections a second)', () => {
  it('holds each refusal for the hold time, at most MAX_HELD_PER_USER at once per user, others not held up', async () => {
    const limiter = createRateLimiter({}, { holdMs: 150, maxHeldPerUser: 3 });
    const started = performance.now();
    const waits = Array.from({ length: 5 }, () => limiter.hold(1).then(() => performance.now() - started));
    expect(limiter.holding(1)).toBe(3);
    expect(limiter.holding(2)).toBe(0);
    const done = await Promise.all(waits);
    // Three held for the hold time; the fourth and fifth, over the cap, answered at once.
    expect(done.filter((ms) => ms >= 140)).toHaveLength(3);
    expect(done.filter((ms) => ms < 100)).toHaveLength(2);
    expect(limiter.holding(1)).toBe(0);
    const unheld = createRateLimiter({}, { holdMs: 0 });
    const t = performance.now();
    await unheld.hold(1);
    expect(performance.now() - t).toBeLessThan(50);
  });
});
