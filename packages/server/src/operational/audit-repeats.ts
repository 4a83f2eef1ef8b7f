/**
 * Repeated failures from one source, recorded in aggregate: the first refusal of a kind (the same
 * address, account, action and outcome) in a window is written as it happens; the rest in that window
 * are counted and written as one row when the window closes. A flood of refused requests then adds
 * a row a minute, not thousands, so real events are never buried. Pure: time is passed in.
 */
import type { AuditEntry } from './audit.js';

interface Window {
  readonly first: AuditEntry;
  readonly openedAt: number;
  lastAt: number;
  repeats: number;
  readonly resources: Set<string>;
}

export class RepeatedFailures {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs = 60_000,
    /** Distinct resources listed in a summary at most (the rest are counted). */
    private readonly listResources = 5,
  ) {}

  private static keyOf(e: AuditEntry): string {
    return JSON.stringify([e.ip, e.userEmail, e.role, e.action, e.outcome, e.status]);
  }

  /**
   * A refusal at `now` (ms): whether to write it now, and summaries of windows that have closed (to write too).
   */
  note(e: AuditEntry, now: number): { readonly write: boolean; readonly summaries: AuditEntry[] } {
    const summaries = this.closeBefore(now - this.windowMs);
    const key = RepeatedFailures.keyOf(e);
    const open = this.windows.get(key);
    if (open === undefined) {
      this.windows.set(key, { first: e, openedAt: now, lastAt: now, repeats: 0, resources: new Set() });
      return { write: true, summaries };
    }
    open.repeats += 1;
    open.lastAt = now;
    if (e.resource !== null) open.resources.add(e.resource);
    return { write: false, summaries };
  }

  /** Summaries of every window opened before `cutoff` (all of them with no cutoff), closing them. */
  closeBefore(cutoff = Number.POSITIVE_INFINITY): AuditEntry[] {
    const out: AuditEntry[] = [];
    for (const [key, w] of this.windows) {
      if (w.openedAt > cutoff) continue;
      this.windows.delete(key);
      if (w.repeats > 0) out.push(this.summary(w));
    }
    return out;
  }

  private summary(w: Window): AuditEntry {
    const listed = [...w.resources].slice(0, this.listResources);
    const more = w.resources.size - listed.length;
    const on = w.resources.size === 0 ? '' : ` on ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    return {
      ...w.first,
      resource: w.resources.size === 1 ? listed[0]! : w.first.resource,
      detail: `repeated ${w.repeats} more time${w.repeats === 1 ? '' : 's'} between ${new Date(w.openedAt).toISOString()} and ${new Date(w.lastAt).toISOString()}${on}`,
    };
  }
}
