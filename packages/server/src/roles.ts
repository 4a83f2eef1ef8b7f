/** Roles come from core (the one list); re-exported for the server's modules. */
export { ACCOUNT_ROLES, ROLES, type AccountRole, type Role, type SessionUser } from '@openphm/core';
