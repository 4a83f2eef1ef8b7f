import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '@openphm/store-duckdb';
import { describeEvent, duration } from './record-words.js';

const e = (kind: TimelineEvent['kind'], code: string | null, a: string | null = null, b: string | null = null, n: number | null = null): TimelineEvent => ({ date: '2025-01-01', kind, code, a, b, n });

describe('a record in words', () => {
  it.each<[string, TimelineEvent, string, string, string | null]>([
    ['a coded entry with a value', e('gp-record', '60621009', null, null, 31.2), 'Body mass index', 'Value 31.2', 'Body mass index'],
    ['a coded entry without a term', e('gp-record', '999999999'), '999999999 (no term)', '', null],
    ['a medicine', e('medicine', '0603020T0'), 'Issued: Prednisolone', '', 'Prednisolone'],
    ['a GP appointment', e('gp-appointment', null, 'Nurse', 'telephone'), 'GP appointment', 'Saw a practice nurse, by telephone', null],
    ['an A&E attendance', e('ae', '01', 'admitted', '10:00', 330), 'A&E attendance: Type 1 emergency department (consultant-led, 24 hours)', 'arrived 10:00; 5 h 30 min in the department; admitted to hospital', 'Type 1 emergency department (consultant-led, 24 hours)'],
    ['an emergency admission', e('admission', 'E86X', 'emergency', 'home', 3), 'Emergency admission: Volume depletion', '3 days; discharged home', 'Volume depletion'],
    ['a death in hospital', e('admission', 'I219', 'emergency', 'died', 0), 'Emergency admission: Acute myocardial infarction, unspecified', 'same day; died in hospital', 'Acute myocardial infarction, unspecified'],
    ['a missed outpatient appointment', e('outpatient', '307', 'did-not-attend'), 'Outpatient appointment: Diabetic Medicine', 'Did not attend', 'Diabetic Medicine'],
    ['an unknown specialty', e('outpatient', '999', 'attended'), 'Outpatient appointment: 999 (no term)', 'Attended', null],
    ['district nursing', e('community', null, 'district-nursing'), 'Community health: District nursing', '', null],
    ['a crisis team contact', e('mental-health', null, 'crisis'), 'Mental health: Crisis team', '', null],
    ['a social care assessment', e('social-care', null, 'assessment'), 'Social care assessment', '', null],
    ['a care home stay that ended', e('care-home', null, 'residential', '2022-12-01', 1), 'Moved into a residential care home', 'Permanent; left 2022-12-01', null],
    ['a care home stay going on', e('care-home', null, 'nursing', null, 0), 'Moved into a nursing care home', 'Short stay; still there', null],
    ['born', e('birth', null, 'born', '39', 3400), 'Born', '39 weeks, 3400 g', null],
    ['a death', e('death', 'C349', 'home'), 'Died at home', 'Underlying cause: Malignant neoplasm of bronchus or lung, unspecified', 'Malignant neoplasm of bronchus or lung, unspecified'],
  ])('%s', (_label, event, title, detail, term) => {
    const d = describeEvent(event);
    expect([d.title, d.detail, d.code?.term ?? null]).toEqual([title, detail, term]);
  });

  it.each([
    [45, '45 min'],
    [60, '1 h'],
    [125, '2 h 5 min'],
  ])('%i minutes read %s', (m, text) => {
    expect(duration(m)).toBe(text);
  });
});
