export * from './directory.js';
export * from './referrals.js';
export * from './plans.js';
export * from './evaluation.js';
export * from './referral-import.js';
export * from './import-table.js';
export * from './caseload-import.js';
export * from './referral-rules.js';
