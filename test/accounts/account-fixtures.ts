// Small helpers shared by the accounts suites: unique accounts in one call, the owner,
// typed rejections, and the audit trail as plain data.
import { expect } from 'chai';
import type { Context } from '../../src/context.js';
import type { AuditEventView } from '../../src/audit/audit-service.js';
import type { Kind } from '../../src/users/user-model.js';
import type { CreateUserOptions } from '../../src/users/user-service.js';
import type { ProfileInput } from '../../src/users/user-input.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { HOUR_MS, addMs } from '../../src/clock.js';
import { newId } from '../../src/ids.js';
import type { Harness } from '../helpers/harness.js';

let serial = 0;

/** A fresh, unique address (tests share one process, so never reuse a literal). */
export function nextEmail(prefix = 'user'): string {
  serial += 1;
  return `${prefix}${serial}@example.com`;
}

/** Creates an account as the system (page rules, active) unless told otherwise. */
export function addUser(h: Harness, input: ProfileInput = {}, options: Partial<CreateUserOptions> = {}, ctx: Context = h.system()): Promise<UserView> {
  return h.services.users.create(ctx, { email: nextEmail(), ...input }, { source: 'admin', origin: 'page', ...options });
}

export const OWNER_PASSWORD = 'correct horse battery staple 42';

export function addOwner(h: Harness, input: ProfileInput = {}): Promise<UserView> {
  return h.services.users.createOwner(h.system(), { email: nextEmail('owner'), username: `owner${serial}`, ...input }, OWNER_PASSWORD);
}

/** An account holding the named built-in role (e.g. 'admin'). */
export async function addWithRole(h: Harness, builtin: 'admin' | 'member' | 'viewer', input: ProfileInput = {}): Promise<UserView> {
  const role = await h.services.roles.builtin(builtin);
  return addUser(h, input, { roleIds: [role.id] });
}

/** Awaits a promise that must reject with `type`; returns the error for further checks. */
export async function rejection<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  let outcome: unknown;
  try {
    await promise;
  } catch (err) {
    outcome = err;
  }
  if (!(outcome instanceof type)) {
    const got = outcome === undefined ? 'no error' : `${(outcome as Error).name}: ${(outcome as Error).message}`;
    expect.fail(`expected ${type.name}, got ${got}`);
  }
  return outcome as E;
}

/** Audit events, oldest first, optionally only one action or one target. */
export async function auditEvents(h: Harness, filter: { action?: string; targetId?: string } = {}): Promise<AuditEventView[]> {
  const events = (await h.services.audit.recent(1000)).reverse();
  return events.filter((e) => (!filter.action || e.action === filter.action) && (!filter.targetId || e.target?.id === filter.targetId));
}

export async function userCount(h: Harness): Promise<number> {
  return h.services.models.User.count();
}

/**
 * Writes an invitation row directly, bypassing the invitation service and its seat check;
 * a live one by default: pending, expiring in 7 days by the harness clock. Like any write
 * that bypasses `seats.take`, it marks the pools' usage bound unknown (seat-service.ts), so
 * the next check counts exactly.
 */
export async function addInvitation(
  h: Harness,
  email: string,
  options: { kind?: Kind; status?: 'pending' | 'accepted' | 'expired' | 'cancelled' | 'superseded'; expiresInHours?: number } = {},
): Promise<string> {
  const now = h.clock.now();
  const id = newId();
  await h.services.models.Invitation.create({
    id,
    email,
    emailNormalized: email.toLowerCase(),
    kind: options.kind ?? 'user',
    status: options.status ?? 'pending',
    method: 'email',
    tokenHash: newId().replace(/-/g, '') + newId().replace(/-/g, ''),
    expiresAt: addMs(now, (options.expiresInHours ?? 168) * HOUR_MS),
    createdAt: now,
    updatedAt: now,
  });
  await h.services.models.SeatPool.update({ inUse: -1 }, { where: {} });
  return id;
}

export async function setLimit(h: Harness, limit: number | null, pool: Kind = 'user'): Promise<void> {
  await h.services.seats.setLimit(h.system(), pool, limit);
}

export async function used(h: Harness, pool: Kind = 'user'): Promise<number> {
  return (await h.services.seats.usage(pool)).used;
}
