export * from './directory.js';
export * from './referrals.js';
