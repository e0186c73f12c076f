// Nobody gains power they were not given. An actor may change another account's identity
// (email, username), credentials (password, second factor, linked sign-in identities),
// status, kind or roles, or delete it, only while the account's effective permissions are
// a subset of the actor's own. Equal sets may manage each other on purpose: admins manage
// admins, so a team keeps working when one admin leaves. The owner, who holds every
// permission, is changed only by the owner (and by the command line, whoever has the shell).
//
// This file is the rule alone, as pure functions over permission sets; RoleService reads
// the target's permissions inside the write's transaction, with the row locked, and calls it.
import type { Actor } from '../context.js';
import { Forbidden } from '../errors.js';
import { ALL } from './authorize.js';

/** What the rule guards; the names appear in refusals and in the audit trail. */
export type GuardedChange =
  | 'email'
  | 'username'
  | 'password'
  | 'second_factor'
  | 'status'
  | 'kind'
  | 'roles'
  | 'delete'
  | 'identity_link'
  | 'application_access'
  | 'sessions';

const CHANGE_WORDS: Record<GuardedChange, string> = {
  email: "change the email address of",
  username: 'change the username of',
  password: 'set the password of',
  second_factor: 'reset the second factor of',
  status: 'change the status of',
  kind: 'change the seat pool of',
  roles: 'change the roles of',
  delete: 'delete',
  identity_link: 'link a sign-in identity to',
  application_access: 'change the credentials or redirect addresses of an application used by',
  sessions: 'sign out',
};

export interface DominanceTarget {
  id: string;
  label: string;
  /** The union of the account's roles' permissions (ALL for the owner). */
  permissions: ReadonlySet<string>;
}

/** The permissions `target` holds that `actor` does not (empty: the actor dominates). */
export function missingPermissions(actor: Pick<Actor, 'permissions'>, target: ReadonlySet<string>): string[] {
  if (actor.permissions.has(ALL)) return [];
  return [...target].filter((p) => !actor.permissions.has(p)).sort();
}

export function dominates(actor: Pick<Actor, 'permissions'>, target: ReadonlySet<string>): boolean {
  return missingPermissions(actor, target).length === 0;
}

/** Acting on one's own account is judged by the action's own rules, not by dominance. */
export function isSelf(actor: Actor, targetId: string): boolean {
  return actor.userId !== null && actor.userId === targetId;
}

/** Throws a Forbidden naming what the actor lacks; a no-op when the actor dominates. */
export function assertDominates(actor: Actor, target: DominanceTarget, change: GuardedChange): void {
  if (isSelf(actor, target.id)) return;
  const missing = missingPermissions(actor, target.permissions);
  if (missing.length === 0) return;
  const what = CHANGE_WORDS[change];
  if (target.permissions.has(ALL)) {
    throw new DominanceRefused(`Only the owner can ${what} the owner.`, change, target);
  }
  throw new DominanceRefused(
    `You cannot ${what} ${target.label}: the account holds permissions you do not (${missing.join(', ')}).`,
    change,
    target,
  );
}

/** A refusal by the dominance rule; edges answer 403 and the service audits it. */
export class DominanceRefused extends Forbidden {
  constructor(
    message: string,
    readonly change: GuardedChange,
    readonly target: DominanceTarget,
  ) {
    super(message);
  }
}
