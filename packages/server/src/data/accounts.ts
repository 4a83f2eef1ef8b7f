/**
 * Account management by administrators, with separation of duties (docs/security.md): granting a
 * role that sees person-level rows (analyst, neighbourhood) or administers accounts (admin) — by
 * creating an account with it or changing an account to it — is a request that another admin must
 * approve; the admin who asked cannot approve it, nor can the admin it would promote (an admin's
 * own role is changed the same way, so that no admin can make themself the only one). The one
 * exception starts a new store: while the first admin is the only admin account there has ever
 * been, it may add a second admin directly (someone has to be second). Every action is audited by
 * the route table; the words of the record come from here.
 */
import { PERSON_LEVEL_ROLES, UserError, type AccountRole, type Role, type SessionUser } from '@openphm/core';
import { neighbourhoodExists } from '@openphm/store-duckdb';
import type { ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { listServices } from '../operational/care.js';
import { setUserServices } from '../operational/care-zone.js';
import { liftLockout, listLockouts, type Lockout } from '../operational/login-throttle.js';
import {
  createRoleRequest,
  decideRoleRequest,
  listRoleRequests,
  lockPendingRequest,
  pendingRequestFor,
  type RoleRequest,
} from '../operational/role-requests.js';
import {
  countAdmins,
  createUserWithHash,
  emailInUse,
  getAccount,
  hashPassword,
  listAccounts,
  normaliseEmail,
  resetTotp,
  setDisabled,
  setRole,
  type AccountRecord,
} from '../operational/users.js';
import { checkPassword } from './password-policy.js';

/** Roles whose grant needs a second admin: those that see person-level rows, and admin (who approves them). */
export const needsApproval = (role: Role): boolean => role === 'admin' || (PERSON_LEVEL_ROLES as readonly Role[]).includes(role);

type Audited<T> = { readonly value: T; readonly audit: string };

const describe = (role: AccountRole, neighbourhoodId: string | null | undefined) => (role === 'neighbourhood' ? `neighbourhood (${neighbourhoodId})` : role);

const checkNeighbourhood = async (ctx: ServerContext, role: AccountRole, neighbourhoodId: string | null | undefined) => {
  if (role === 'neighbourhood' && !(await neighbourhoodExists(ctx.data, neighbourhoodId ?? ''))) throw new UserError(`no neighbourhood '${neighbourhoodId}' in this database`, 'not-found');
};

export interface AccountsView {
  readonly accounts: AccountRecord[];
  readonly requests: RoleRequest[];
  readonly lockouts: Lockout[];
}

/** Accounts, role requests (pending first) and lock-outs, for the accounts page. */
export const accountsView = async (ctx: ServerContext): Promise<AccountsView> => ({
  accounts: await listAccounts(ctx.ops),
  requests: await listRoleRequests(ctx.ops),
  lockouts: await listLockouts(ctx.ops),
});

export type CreateResult = { readonly status: 'created'; readonly account: AccountRecord } | { readonly status: 'pending'; readonly request: RoleRequest };

/** A new local account: created at once, or (for a role that needs approval) a request awaiting a second admin. */
export const createAccount = async (
  ctx: ServerContext,
  actor: SessionUser,
  body: { readonly email: string; readonly displayName: string; readonly password: string; readonly role: AccountRole; readonly neighbourhoodId?: string | undefined },
): Promise<Audited<CreateResult>> => {
  const email = normaliseEmail(body.email);
  checkPassword(body.password, email);
  await checkNeighbourhood(ctx, body.role, body.neighbourhoodId);
  if (await emailInUse(ctx.ops, email)) throw new UserError(`an account for ${email} already exists`, 'conflict');
  if ((await pendingRequestFor(ctx.ops, email, null)) !== null) throw new UserError(`a request for ${email} is waiting for approval already`, 'conflict');
  const bootstrap = body.role === 'admin' && (await countAdmins(ctx.ops)) === 1;
  if (needsApproval(body.role) && !bootstrap) {
    const request = await createRoleRequest(ctx.ops, {
      kind: 'create',
      userId: null,
      email,
      displayName: body.displayName,
      passwordHash: await hashPassword(body.password),
      role: body.role,
      neighbourhoodId: body.neighbourhoodId ?? null,
      requestedBy: actor.id,
    });
    return { value: { status: 'pending', request }, audit: `requested ${email} as ${describe(body.role, body.neighbourhoodId)}: request ${request.id} awaits a second admin` };
  }
  const user = await createUserWithHash(ctx.ops, { email, displayName: body.displayName, passwordHash: await hashPassword(body.password), role: body.role, neighbourhoodId: body.neighbourhoodId ?? null });
  return {
    value: { status: 'created', account: await getAccount(ctx.ops, user.id) },
    audit: `created ${email} (${describe(user.role, user.neighbourhoodId)})${bootstrap ? ': the second admin of a new store, without approval' : ''}`,
  };
};

export type RoleChangeResult = { readonly status: 'changed'; readonly account: AccountRecord } | { readonly status: 'pending'; readonly request: RoleRequest };

const lastActiveAdmin = async (ctx: ServerContext, account: AccountRecord) => account.role === 'admin' && !account.disabled && (await countAdmins(ctx.ops, true)) <= 1;

/** Changes an account's role: at once when the new role needs no approval, else a request awaiting a second admin. */
export const changeRole = async (
  ctx: ServerContext,
  actor: SessionUser,
  userId: number,
  body: { readonly role: AccountRole; readonly neighbourhoodId?: string | undefined },
): Promise<Audited<RoleChangeResult>> => {
  const account = await getAccount(ctx.ops, userId);
  if (account.signIn === 'single-sign-on') throw new UserError('the role of a single sign-on account comes from its identity provider\'s claims', 'conflict');
  const neighbourhoodId = body.role === 'neighbourhood' ? (body.neighbourhoodId ?? null) : null;
  if (account.role === body.role && account.neighbourhoodId === neighbourhoodId) throw new UserError(`${account.email} has this role already`, 'conflict');
  await checkNeighbourhood(ctx, body.role, neighbourhoodId);
  if (body.role !== 'admin' && (await lastActiveAdmin(ctx, account))) throw new UserError('this is the only active admin account: give another account admin first', 'conflict');
  if ((await pendingRequestFor(ctx.ops, account.email, account.id)) !== null) throw new UserError(`a request for ${account.email} is waiting for approval already`, 'conflict');
  const from = describe(account.role, account.neighbourhoodId);
  // An admin's role is changed by two admins too: otherwise one admin could demote the other and be the only one again.
  if (needsApproval(body.role) || account.role === 'admin') {
    const request = await createRoleRequest(ctx.ops, {
      kind: 'change-role',
      userId: account.id,
      email: account.email,
      displayName: account.displayName,
      passwordHash: null,
      role: body.role,
      neighbourhoodId,
      requestedBy: actor.id,
    });
    return { value: { status: 'pending', request }, audit: `requested ${account.email}: ${from} → ${describe(body.role, neighbourhoodId)}; request ${request.id} awaits a second admin` };
  }
  await setRole(ctx.ops, account.id, body.role, neighbourhoodId);
  return { value: { status: 'changed', account: await getAccount(ctx.ops, account.id) }, audit: `${account.email}: ${from} → ${describe(body.role, neighbourhoodId)}` };
};

/** Disables (its sessions end at once) or enables an account. An admin cannot disable their own account, nor the only active admin. */
export const setAccountDisabled = async (ctx: ServerContext, actor: SessionUser, userId: number, disabled: boolean): Promise<Audited<AccountRecord>> => {
  const account = await getAccount(ctx.ops, userId);
  if (disabled && account.id === actor.id) throw new UserError('you cannot disable your own account', 'conflict');
  if (disabled && (await lastActiveAdmin(ctx, account))) throw new UserError('this is the only active admin account', 'conflict');
  await setDisabled(ctx.ops, account.id, disabled);
  return { value: await getAccount(ctx.ops, account.id), audit: `${disabled ? 'disabled' : 'enabled'} ${account.email}` };
};

/** Removes an account's TOTP (a lost device); with TOTP required, it sets it up again at its next log-in. */
export const resetAccountTotp = async (ctx: ServerContext, userId: number): Promise<Audited<AccountRecord>> => {
  const account = await getAccount(ctx.ops, userId);
  await resetTotp(ctx.ops, account.id);
  return { value: await getAccount(ctx.ops, account.id), audit: `reset TOTP of ${account.email}` };
};

/** Approves a pending request (not one's own, nor one that would promote oneself): the account is created or its role changed. */
export const approveRequest = async (ctx: ServerContext, actor: SessionUser, requestId: number): Promise<Audited<RoleRequest>> =>
  ctx.ops.transaction(async (tx) => {
    const request = await lockPendingRequest(tx, requestId);
    if (request.requestedBy === actor.id) throw new UserError('you made this request: another admin must approve it', 'forbidden');
    if (request.userId === actor.id && needsApproval(request.role)) throw new UserError('this request gives you a role: another admin must approve it', 'forbidden');
    let detail: string;
    if (request.kind === 'create') {
      if (await emailInUse(tx, request.email)) throw new UserError(`an account for ${request.email} exists already`, 'conflict');
      const user = await createUserWithHash(tx, { email: request.email, displayName: request.displayName, passwordHash: request.passwordHash!, role: request.role, neighbourhoodId: request.neighbourhoodId });
      detail = `approved request ${request.id} by ${request.requestedByEmail}: created ${user.email} (${describe(user.role, user.neighbourhoodId)})`;
    } else {
      const account = await getAccount(tx, request.userId!);
      if (account.signIn === 'single-sign-on') throw new UserError('the role of a single sign-on account comes from its identity provider\'s claims', 'conflict');
      await setRole(tx, account.id, request.role, request.neighbourhoodId);
      detail = `approved request ${request.id} by ${request.requestedByEmail}: ${account.email} ${describe(account.role, account.neighbourhoodId)} → ${describe(request.role, request.neighbourhoodId)}`;
    }
    return { value: await decideRoleRequest(tx, request.id, 'approved', actor.id, null), audit: detail };
  });

/** Rejects a pending request (the admin who made it withdraws it); a new account's password hash is dropped. */
export const rejectRequest = async (ctx: ServerContext, actor: SessionUser, requestId: number, reason: string | null): Promise<Audited<RoleRequest>> =>
  ctx.ops.transaction(async (tx) => {
    const request = await lockPendingRequest(tx, requestId);
    const status = request.requestedBy === actor.id ? 'withdrawn' : 'rejected';
    const decided = await decideRoleRequest(tx, request.id, status, actor.id, reason);
    return { value: decided, audit: `${status} request ${request.id} by ${request.requestedByEmail} (${request.email} as ${describe(request.role, request.neighbourhoodId)})${reason ? `: ${reason.slice(0, 200)}` : ''}` };
  });

/** Lifts a lock-out (an account's email or an address) after too many failed log-ins. */
export const liftLock = async (ctx: ServerContext, lockoutId: number): Promise<Audited<{ kind: 'account' | 'address'; key: string }>> => {
  const lifted = await liftLockout(ctx.ops, lockoutId);
  if (lifted === null) throw new UserError(`no lock-out ${lockoutId}`, 'not-found');
  return { value: lifted, audit: `lifted the lock-out of ${lifted.kind} ${lifted.key}` };
};

const serviceList = (ids: readonly string[]): string => (ids.length === 0 ? 'no service' : ids.join(', '));

/**
 * Sets the directory services a care professional works for, replacing the list: whose inbox they
 * see, who is told of a referral, and a care relationship with the people referred to those
 * services (docs/security.md). Only for the neighbourhood role (any account may be cleared); every
 * id must be a service in the directory (400 naming serviceIds otherwise).
 */
export const setAccountServices = async (ctx: ServerContext, userId: number, serviceIds: readonly string[], by: string): Promise<Audited<AccountRecord>> => {
  const account = await getAccount(ctx.ops, userId);
  const wanted = [...new Set(serviceIds)].sort();
  if (wanted.length > 0 && account.role !== 'neighbourhood') {
    throw new UserError(`only care professionals (the neighbourhood role) work for services: ${account.email} is ${describe(account.role, account.neighbourhoodId)}`, 'conflict');
  }
  const known = new Set((await listServices(ctx.ops)).map((s) => s.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalidRequest('body', [{ field: 'serviceIds', message: `no directory service ${unknown.map((id) => `'${id}'`).join(', ')}` }]);
  const before = account.serviceIds;
  await setUserServices(ctx.ops, account.id, wanted, by);
  return { value: await getAccount(ctx.ops, account.id), audit: `${account.email} works for ${serviceList(wanted)} (was ${serviceList(before)})` };
};
