/**
 * A person's record in words: each timeline event as a title and a detail with its code's term
 * (core's code terms and the words for column values). Pure: no data is read here.
 */
import {
  ADMISSION_METHOD_LABEL,
  AE_DISPOSAL_LABEL,
  APPOINTMENT_MODE_LABEL,
  COMMUNITY_SERVICE_LABEL,
  DISCHARGE_DESTINATION_LABEL,
  MENTAL_HEALTH_SERVICE_LABEL,
  PLACE_OF_DEATH_LABEL,
  SOCIAL_CARE_EVENT_LABEL,
  STAFF_ROLE_LABEL,
  TIMELINE_KINDS,
  codeTerm,
  type CodeSystemId,
  type CodeTerm,
  type TimelineKind,
} from '@openphm/core';
import type { TimelineEvent } from '@openphm/store-duckdb';

/** The code system of each kind's code, when it has one. */
export const KIND_CODE_SYSTEM: Readonly<Record<TimelineKind, CodeSystemId | null>> = {
  'gp-record': 'snomed',
  medicine: 'bnf',
  'gp-appointment': null,
  ae: 'ecds-department-type',
  admission: 'icd10',
  outpatient: 'treatment-function',
  community: null,
  'mental-health': null,
  'social-care': null,
  'care-home': null,
  birth: null,
  death: 'icd10',
};

export const kindLabel = (kind: TimelineKind): string => TIMELINE_KINDS.find((k) => k.id === kind)?.label ?? kind;

/** A value's words from a table, or the value itself when it has none. */
const word = (table: Readonly<Record<string, string>>, value: string | null): string => (value === null ? '' : (table[value] ?? value));

/** Minutes as "2 h 5 min" / "45 min". */
export const duration = (minutes: number): string => {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
};

const days = (n: number): string => (n === 0 ? 'same day' : n === 1 ? '1 day' : `${n} days`);

/** The title and detail of one event, with its code and term. */
export const describeEvent = (e: TimelineEvent): { title: string; detail: string; code: CodeTerm | null } => {
  const system = KIND_CODE_SYSTEM[e.kind];
  const code = system !== null && e.code !== null ? codeTerm(system, e.code) : null;
  const term = code?.text ?? '';
  switch (e.kind) {
    case 'gp-record':
      return { title: term, detail: e.n === null ? '' : `Value ${e.n}`, code };
    case 'medicine':
      return { title: `Issued: ${term}`, detail: '', code };
    case 'gp-appointment':
      return { title: 'GP appointment', detail: `Saw ${word(STAFF_ROLE_LABEL, e.a)}, ${word(APPOINTMENT_MODE_LABEL, e.b)}`, code };
    case 'ae':
      return { title: `A&E attendance: ${term}`, detail: [e.b ? `arrived ${e.b}` : '', e.n === null ? '' : `${duration(e.n)} in the department`, word(AE_DISPOSAL_LABEL, e.a)].filter((x) => x !== '').join('; '), code };
    case 'admission':
      return { title: `${word(ADMISSION_METHOD_LABEL, e.a)}: ${term}`, detail: [e.n === null ? '' : days(e.n), e.b === 'died' ? word(DISCHARGE_DESTINATION_LABEL, e.b) : `discharged ${word(DISCHARGE_DESTINATION_LABEL, e.b)}`].filter((x) => x !== '').join('; '), code };
    case 'outpatient':
      return { title: `Outpatient appointment: ${term}`, detail: e.a === 'did-not-attend' ? 'Did not attend' : 'Attended', code };
    case 'community':
      return { title: `Community health: ${word(COMMUNITY_SERVICE_LABEL, e.a)}`, detail: '', code };
    case 'mental-health':
      return { title: `Mental health: ${word(MENTAL_HEALTH_SERVICE_LABEL, e.a)}`, detail: '', code };
    case 'social-care':
      return { title: word(SOCIAL_CARE_EVENT_LABEL, e.a), detail: '', code };
    case 'care-home':
      return { title: `Moved into a ${e.a ?? ''} care home`.replace('  ', ' '), detail: `${e.n === 1 ? 'Permanent' : 'Short stay'}; ${e.b ? `left ${e.b}` : 'still there'}`, code };
    case 'birth':
      return { title: e.a === 'born' ? 'Born' : 'Gave birth', detail: [e.b ? `${e.b} weeks` : '', e.n === null ? '' : `${e.n} g`].filter((x) => x !== '').join(', '), code };
    case 'death':
      return { title: `Died ${word(PLACE_OF_DEATH_LABEL, e.a)}`, detail: `Underlying cause: ${term}`, code };
  }
};
