/**
 * The API contract: every request and response schema (zod), one file per resource and route file,
 * built from core's own enums. The server validates and documents with it; the web app imports its
 * types. Every figure field is a published figure (core's publication module).
 * @module
 */
export * from './common.js';
export * from './health.js';
export * from './roles.js';
export * from './auth.js';
export * from './geography.js';
export * from './population.js';
export * from './people.js';
export * from './admin.js';
export * from './accounts.js';
export * from './audit.js';
export * from './indicators.js';
export * from './dashboard.js';
export * from './summaries.js';
export * from './cohorts.js';
export * from './strategies.js';
export * from './actions.js';
export * from './risks.js';
export * from './reports.js';
export * from './directory.js';
export * from './oruk.js';
export * from './referrals.js';
export * from './care-plans.js';
export * from './caseload.js';
export * from './evaluation.js';
export * from './tasks.js';
export * from './notes.js';
export * from './meetings.js';
export * from './notifications.js';
export * from './pages.js';
export * from './record.js';
export * from './care-zone.js';
export * from './fhir.js';
