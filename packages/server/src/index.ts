/** @openphm/server: the HTTP API and web app server. */
export { createServer, defaultWebDir, loggableUrl, LOGGER_SERIALIZERS, OPENAPI_PATH, type OpenPhmState, type ServerOptions } from './server.js';
export { ROUTES, SESSION_COOKIE, type RouteKey, type RouteRule } from './access.js';
export { ROLES, ACCOUNT_ROLES, type Role, type AccountRole, type SessionUser } from './roles.js';
export { openOperationalDb, redactUrl, type OperationalDb, type OperationalOptions } from './operational/db.js';
export { createUser, listUsers, countUsers, hashPassword, verifyPassword } from './operational/users.js';
export { listAudit, writeAudit, type AuditEntry, type AuditRecord } from './operational/audit.js';
export { DEMO_PASSWORD, seedDemoAccounts, ensureInitialAdmin, type SeededAccount } from './demo.js';
export { openPhmData, type PhmData } from './data/phm-data.js';
export { serveCommand, type ServeOptions } from './serve.js';
export { defaultOperationalDir, type ServeIo } from './command-io.js';
export { importReferrals, referralImportCommand, type ReferralImportOptions, type ReferralImportResult } from './data/referral-import.js';
export { importCaseload, caseloadImportCommand, type CaseloadImportResult } from './data/caseload-import.js';
export { importBenchmarks, benchmarkImportCommand, ENGLAND_LABEL, type BenchmarkImportOptions, type BenchmarkImportResult } from './data/benchmarks.js';
export { auditVerifyCommand, type AuditVerifyOptions } from './data/audit.js';
export { planExportCommand, readSavedCohort, type PlanExportOptions, type SavedCohortRead, type StoreReadOptions } from './store-reads.js';
