/**
 * BNF names for the codes OpenPHM's prescribing data holds: BNF sections (four digits, chapter and
 * section) and the one chemical substance it names (prednisolone). The synthetic record and the
 * cohort rules work at section level, so these are the medicine groups a clinician reads; real
 * extracts carry 15-character presentation codes, which map to dm+d products through NHSBSA's
 * BNF-SNOMED mapping (not shipped: docs/code-terms.md).
 *
 * Source: NHS Business Services Authority, BNF code information (the BNF structure of the
 * prescribing data), Open Government Licence v3.0. See docs/code-terms.md.
 */
export const BNF_TERMS: Readonly<Record<string, string>> = {
  '0202': 'Diuretics',
  '0204': 'Beta-adrenoceptor blocking drugs',
  '0205': 'Hypertension and heart failure',
  '0208': 'Anticoagulants and protamine',
  '0209': 'Antiplatelet drugs',
  '0212': 'Lipid-regulating drugs',
  '0301': 'Bronchodilators',
  '0302': 'Corticosteroids (respiratory)',
  '0402': 'Drugs used in psychoses and related disorders',
  '0403': 'Antidepressant drugs',
  '0407': 'Analgesics',
  '0411': 'Drugs for dementia',
  '0501': 'Antibacterial drugs',
  '0601': 'Drugs used in diabetes',
  '0602': 'Thyroid and antithyroid drugs',
  '0603020T0': 'Prednisolone',
};

/** BNF chapters (the first two digits), for codes deeper than the sections listed. */
export const BNF_CHAPTERS: Readonly<Record<string, string>> = {
  '01': 'Gastro-intestinal system',
  '02': 'Cardiovascular system',
  '03': 'Respiratory system',
  '04': 'Central nervous system',
  '05': 'Infections',
  '06': 'Endocrine system',
  '07': 'Obstetrics, gynaecology and urinary-tract disorders',
  '08': 'Malignant disease and immunosuppression',
  '09': 'Nutrition and blood',
  '10': 'Musculoskeletal and joint diseases',
  '11': 'Eye',
  '12': 'Ear, nose and oropharynx',
  '13': 'Skin',
  '14': 'Immunological products and vaccines',
  '15': 'Anaesthesia',
};
