import type { BnfCode } from '../codes/codes.js';

/** BNF sections prescribed in the synthetic record (and used by cohort rules such as respiratory case-finding). */
export const MEDICINES = {
  bronchodilator: { code: '0301' as BnfCode, label: 'Bronchodilators (inhaled)' },
  inhaledCorticosteroid: { code: '0302' as BnfCode, label: 'Inhaled corticosteroids' },
  oralPrednisolone: { code: '0603020T0' as BnfCode, label: 'Prednisolone (oral)' },
  antibacterial: { code: '0501' as BnfCode, label: 'Antibacterial drugs' },
  antihypertensive: { code: '0205' as BnfCode, label: 'Hypertension and heart failure drugs' },
  betaBlocker: { code: '0204' as BnfCode, label: 'Beta-adrenoceptor blocking drugs' },
  anticoagulant: { code: '0208' as BnfCode, label: 'Anticoagulants' },
  antiplatelet: { code: '0209' as BnfCode, label: 'Antiplatelet drugs' },
  lipidRegulating: { code: '0212' as BnfCode, label: 'Lipid-regulating drugs' },
  diuretic: { code: '0202' as BnfCode, label: 'Diuretics' },
  antidiabetic: { code: '0601' as BnfCode, label: 'Drugs used in diabetes' },
  antidepressant: { code: '0403' as BnfCode, label: 'Antidepressant drugs' },
  antipsychotic: { code: '0402' as BnfCode, label: 'Antipsychotics' },
  dementiaDrug: { code: '0411' as BnfCode, label: 'Drugs for dementia' },
  analgesic: { code: '0407' as BnfCode, label: 'Analgesics' },
  thyroid: { code: '0602' as BnfCode, label: 'Thyroid and antithyroid drugs' },
} as const;
export type MedicineKey = keyof typeof MEDICINES;
