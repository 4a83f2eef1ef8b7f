/**
 * How the cohort builder names person features, events, conditions and segments in words. Pure, so
 * the rule tree's messages and the editor's choices use the same words and are tested together.
 */

/** The comparisons a number rule offers, in the order people read them. */
export type Op = '>=' | '>' | '<=' | '<' | '=';
export const OPS: readonly { readonly op: Op; readonly label: string }[] = [
  { op: '>=', label: 'at least' },
  { op: '>', label: 'more than' },
  { op: '=', label: 'exactly' },
  { op: '<=', label: 'at most' },
  { op: '<', label: 'less than' },
];

const FEATURE_LABEL: Readonly<Record<string, string>> = {
  age: 'Age (years)',
  imdDecile: 'IMD decile of residence (1 = most deprived)',
  imdQuintile: 'IMD quintile of residence (1 = most deprived)',
  conditionCount: 'Long-term conditions (of 15)',
  efi: 'Electronic Frailty Index (0-1)',
  emergencyAdmissions12m: 'Emergency admissions, 12 months',
  emergencyBedDays12m: 'Emergency bed days, 12 months',
  electiveAdmissions12m: 'Elective admissions, 12 months',
  aeAttendances12m: 'A&E attendances, 12 months',
  gpAppointments12m: 'GP appointments, 12 months',
  outpatientAppointments12m: 'Outpatient appointments, 12 months',
  communityContacts12m: 'Community contacts, 12 months',
  mentalHealthContacts12m: 'Mental health contacts, 12 months',
  socialCareEvents12m: 'Social care events, 12 months',
  medicineSections12m: 'Medicine (BNF) sections issued, 12 months',
  latestBmi: 'Latest BMI (0 = none in 5 years)',
  inhalerIssues12m: 'Inhaler issues (BNF 3.1, 3.2), 12 months',
  prednisoloneCourses24m: 'Oral prednisolone courses, 24 months',
  antibioticCourses24m: 'Antibiotic courses, 24 months',
  multimorbidityScore: 'Multimorbidity score (weighted; 4+ high)',
  female: 'Female',
  careHomeResident: 'Lives in a care home',
  carer: 'Unpaid carer',
  currentSmoker: 'Current smoker',
  exSmoker: 'Ex-smoker',
  core20: 'Core20: lives in England\'s most deprived 20%',
  ethnicMinority: 'Ethnic minority group (Mixed, Asian, Black, Other)',
  birth12m: 'Gave birth or was born in 12 months',
  newCancer12m: 'Cancer diagnosed in 12 months',
  socialCareService12m: 'Social care service started in 12 months',
};

const EVENT_LABEL: Readonly<Record<string, string>> = {
  emergencyAdmission: 'emergency admissions',
  electiveAdmission: 'elective admissions',
  aeAttendance: 'A&E attendances',
  gpAppointment: 'GP appointments',
  inhalerIssue: 'inhaler issues',
  prednisoloneCourse: 'oral prednisolone courses',
  antibioticCourse: 'antibiotic courses',
};

/** Conditions whose names are initialisms, written in capitals. */
const INITIALISMS = new Set(['copd', 'smi', 'chd', 'ckd']);

/** A kind of event, as counted in a sentence ("at least 2 emergency admissions"); an unknown id as it is. */
export const eventLabel = (event: string): string => EVENT_LABEL[event] ?? event;

/** A condition id as a name: 'heart_failure' → 'Heart failure', 'copd' → 'COPD'. */
export const conditionLabel = (condition: string): string => {
  const words = condition.replace(/_/g, ' ');
  return INITIALISMS.has(condition) ? words.toUpperCase() : words.charAt(0).toUpperCase() + words.slice(1);
};

/** A feature by name; a condition register ('condition:asthma') in words; an unknown feature as it is. */
export const featureLabel = (feature: string): string =>
  FEATURE_LABEL[feature] ?? (feature.startsWith('condition:') ? `On the ${feature.slice('condition:'.length).replace(/_/g, ' ')} register` : feature);

/** A segment id as a name: 'high-need' → 'High need'. */
export const segmentLabel = (id: string): string => (id.charAt(0).toUpperCase() + id.slice(1)).replace(/-/g, ' ');
