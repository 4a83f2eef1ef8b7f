import { describe, expect, it } from 'vitest';
import { ACTIVITY_DAY, activitySpanSql, dayAfter, windowOfSpan } from './activity-window.js';

describe('the data window from activity', () => {
  it('ends the day after the last day of activity (across months, years and 29 February)', () => {
    expect(dayAfter('2026-03-31')).toBe('2026-04-01');
    expect(dayAfter('2025-12-31')).toBe('2026-01-01');
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
    expect(windowOfSpan({ first: '2021-04-01', last: '2026-03-31' })).toEqual({ window_start: '2021-04-01', window_end: '2026-04-01' });
    expect(windowOfSpan(undefined)).toEqual({});
  });

  it('counts care given and events in the period, not coded events (diagnoses recorded years before)', () => {
    expect(Object.keys(ACTIVITY_DAY).sort()).toEqual(
      ['ae_attendance', 'community_contact', 'death', 'gp_appointment', 'hospital_spell', 'medication', 'mental_health_contact', 'outpatient_appointment', 'social_care_event'],
    );
    expect(ACTIVITY_DAY).not.toHaveProperty('clinical_event');
  });

  it('reads the span over the tables given, as days', () => {
    expect(activitySpanSql(() => undefined)).toBeUndefined();
    expect(activitySpanSql((t) => (t === 'ae_attendance' ? 'staged' : undefined))).toBe(
      'SELECT min(lo)::VARCHAR AS first, max(hi)::VARCHAR AS last FROM (SELECT min("arrival_time")::DATE AS lo, max("arrival_time")::DATE AS hi FROM staged)',
    );
  });
});
