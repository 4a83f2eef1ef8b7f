/**
 * A person's record as their care team reads it: the kinds of event on its timeline (one a
 * person-level table, or a side of one), with the words a reader sees. Pure definitions: the store
 * reads the events (store-duckdb queries/record.ts), the server puts terms on their codes.
 */

/** Kinds of event on a person's timeline, in the order the filters list them. */
export const TIMELINE_KINDS = [
  { id: 'gp-record', label: 'GP record entries', table: 'clinical_event' },
  { id: 'medicine', label: 'Medicines issued', table: 'medication' },
  { id: 'gp-appointment', label: 'GP appointments', table: 'gp_appointment' },
  { id: 'ae', label: 'A&E attendances', table: 'ae_attendance' },
  { id: 'admission', label: 'Hospital admissions', table: 'hospital_spell' },
  { id: 'outpatient', label: 'Outpatient appointments', table: 'outpatient_appointment' },
  { id: 'community', label: 'Community health contacts', table: 'community_contact' },
  { id: 'mental-health', label: 'Mental health contacts', table: 'mental_health_contact' },
  { id: 'social-care', label: 'Social care', table: 'social_care_event' },
  { id: 'care-home', label: 'Care home stays', table: 'care_home_stay' },
  { id: 'birth', label: 'Births', table: 'birth' },
  { id: 'death', label: 'Death', table: 'death' },
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number]['id'];
export const TIMELINE_KIND_IDS = TIMELINE_KINDS.map((k) => k.id) as unknown as readonly [TimelineKind, ...TimelineKind[]];

/** Events a timeline page holds (the page size). */
export const TIMELINE_PAGE_SIZE = 50;

/** A medicine counts as current when it was issued in this many days before the record's date. */
export const CURRENT_MEDICINE_DAYS = 91;

/** Words for the values of the event tables' columns. */
export const STAFF_ROLE_LABEL: Readonly<Record<string, string>> = { GP: 'a GP', Nurse: 'a practice nurse', Other: 'another member of the practice team' };
export const APPOINTMENT_MODE_LABEL: Readonly<Record<string, string>> = { 'face-to-face': 'face to face', telephone: 'by telephone', 'home-visit': 'at home (home visit)', online: 'online' };
export const AE_DISPOSAL_LABEL: Readonly<Record<string, string>> = { admitted: 'admitted to hospital', discharged: 'discharged', referred: 'referred on', left: 'left before being seen', died: 'died in the department' };
export const ADMISSION_METHOD_LABEL: Readonly<Record<string, string>> = { emergency: 'Emergency admission', elective: 'Planned admission', maternity: 'Maternity admission' };
export const DISCHARGE_DESTINATION_LABEL: Readonly<Record<string, string>> = { home: 'home', care_home: 'to a care home', other_hospital: 'to another hospital', died: 'died in hospital' };
export const COMMUNITY_SERVICE_LABEL: Readonly<Record<string, string>> = {
  'district-nursing': 'District nursing',
  physiotherapy: 'Physiotherapy',
  podiatry: 'Podiatry',
  'health-visiting': 'Health visiting',
  rehabilitation: 'Rehabilitation',
  'specialist-nursing': 'Specialist nursing',
};
export const MENTAL_HEALTH_SERVICE_LABEL: Readonly<Record<string, string>> = {
  'talking-therapies': 'NHS Talking Therapies',
  'community-mental-health': 'Community mental health team',
  crisis: 'Crisis team',
  inpatient: 'Mental health inpatient care',
  'memory-service': 'Memory service',
  'learning-disability': 'Learning disability service',
};
export const SOCIAL_CARE_EVENT_LABEL: Readonly<Record<string, string>> = {
  request: 'Request for adult social care support',
  assessment: 'Social care assessment',
  review: 'Social care review',
  'home-care-start': 'Home care started',
  'reablement-start': 'Reablement started',
  'direct-payment-start': 'Direct payment started',
};
export const PLACE_OF_DEATH_LABEL: Readonly<Record<string, string>> = { hospital: 'in hospital', home: 'at home', care_home: 'in a care home', hospice: 'in a hospice', other: 'elsewhere' };
