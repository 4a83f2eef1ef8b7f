/**
 * ICD-10 code lists (as prefixes of codes written without a dot) that catalogue indicators select
 * deaths and admissions by. Each list says where it comes from.
 */

/** ICD-10 external causes of intentional self-harm, X60-X84, as prefixes. */
export const SELF_HARM_CAUSES = ['X6', 'X7', 'X80', 'X81', 'X82', 'X83', 'X84'];
/** ICD-10 external causes of falls, W00-W19, as prefixes. */
export const FALL_CAUSES = ['W0', 'W10', 'W11', 'W12', 'W13', 'W14', 'W15', 'W16', 'W17', 'W18', 'W19'];
/**
 * Diagnoses wholly attributable to alcohol (alcohol-specific; OHID, Alcohol-attributable fractions
 * for England: an update, 2020), as prefixes; the external causes X45, X65 and Y15 are left out, as
 * they are never a primary diagnosis.
 */
export const ALCOHOL_SPECIFIC_DIAGNOSES = ['E244', 'F10', 'G312', 'G621', 'G721', 'I426', 'K292', 'K70', 'K852', 'K860', 'O354', 'P043', 'Q860', 'R780', 'T51'];
/** Alcohol-specific underlying causes of death: the diagnoses above with the external causes X45, X65 and Y15 (accidental, intentional and undetermined alcohol poisoning). */
export const ALCOHOL_SPECIFIC_DEATH_CAUSES = [...ALCOHOL_SPECIFIC_DIAGNOSES, 'X45', 'X65', 'Y15'];
/** Liver disease as OHID's Liver disease profile counts it: B15-B19, C22, I81, I85, K70-K77, T86.4. */
export const LIVER_DISEASE_CAUSES = ['B15', 'B16', 'B17', 'B18', 'B19', 'C22', 'I81', 'I85', 'K70', 'K71', 'K72', 'K73', 'K74', 'K75', 'K76', 'K77', 'T864'];
/**
 * Causes of death under 75 counted wholly as preventable in the ONS/OHID list of avoidable
 * mortality (2019 definition, from the OECD/Eurostat list): intestinal infections, viral hepatitis,
 * cancers of the lip, mouth, pharynx, oesophagus, stomach, liver, lung, melanoma and mesothelioma,
 * alcohol and drug use disorders, influenza, COPD, alcohol-related liver disease, and injuries
 * (accidents, self-harm, assault, undetermined intent). The causes the list splits half preventable
 * and half treatable (ischaemic heart disease, stroke, diabetes, cervical cancer, HIV...) are not here.
 */
export const PREVENTABLE_CAUSES = [
  'A0', 'B15', 'B16', 'B17', 'B18', 'B19',
  'C0', 'C10', 'C11', 'C12', 'C13', 'C14', 'C15', 'C16', 'C22', 'C33', 'C34', 'C43', 'C45',
  'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19',
  'J09', 'J10', 'J11', 'J40', 'J41', 'J42', 'J43', 'J44', 'K70', 'K73', 'K74',
  'V', 'W', 'X', 'Y0', 'Y1', 'Y2', 'Y30', 'Y31', 'Y32', 'Y33', 'Y34',
];
/**
 * Chronic ambulatory care sensitive conditions as primary diagnoses (NHS Outcomes Framework 2.3i):
 * angina, asthma, congestive heart failure, epilepsy and convulsions, COPD, dementia, diabetes,
 * hypertension, iron-deficiency anaemia, nutritional deficiency and atrial fibrillation.
 */
export const CHRONIC_ACSC_DIAGNOSES = [
  'I20', 'I25', 'J45', 'J46', 'I110', 'I50', 'J81', 'G40', 'G41', 'R56', 'J41', 'J42', 'J43', 'J44', 'J47',
  'F00', 'F01', 'F02', 'F03', 'E10', 'E11', 'E12', 'E13', 'E14', 'I10', 'I119', 'D501', 'D508', 'D509', 'E40', 'E41', 'E42', 'E43', 'I48',
];
/** Dementia as an underlying cause of death: F00-F03 and Alzheimer's disease G30. */
export const DEMENTIA_CAUSES = ['F00', 'F01', 'F02', 'F03', 'G30'];
