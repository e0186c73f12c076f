// What may be done to an account from its page, by its status: unconfirmed — resend
// confirmation, confirm manually, delete; active — edit, change roles, deactivate, delete;
// inactive — reactivate (at once or by link), delete. The owner is never deactivated or
// deleted, and only the owner transfers ownership. Pages show only these and their routes
// refuse the rest; services check again.
import type { Actor } from '../context.js';
import { can } from '../roles/authorize.js';
import type { UserStatus } from './user-model.js';

export interface UserActions {
  edit: boolean;
  changeRoles: boolean;
  deactivate: boolean;
  reactivate: boolean;
  reactivateByLink: boolean;
  delete: boolean;
  confirm: boolean;
  resendConfirmation: boolean;
  transferOwnership: boolean;
  /** Remove a lost authenticator (someone else's account, TOTP on). */
  resetSecondFactor: boolean;
  /** End every session and token, the account staying active (a suspected takeover). */
  signOutEverywhere: boolean;
  /** Set, move or clear the access end date (never the owner's: the owner is not deactivated). */
  setAccessEnd: boolean;
}

export interface ActionSubject {
  status: UserStatus;
  isOwner: boolean;
  /** The viewer is looking at their own account. */
  isSelf: boolean;
  /**
   * The account holds permissions the viewer does not (the dominance rule): its roles,
   * status and existence are then out of the viewer's reach, so the page does not offer them.
   */
  outranksViewer?: boolean;
  /** Two-step verification is on (there is a second factor to reset). */
  totpEnabled?: boolean;
  /** The account has an email address (links are mailed to it); assumed when not said. */
  hasEmail?: boolean;
}

export function userActions(actor: Actor, subject: ActionSubject, viewerIsOwner: boolean): UserActions {
  const manage = can(actor, 'users.manage');
  const { status, isOwner, isSelf } = subject;
  // Deactivation is not power: it needs users.manage only, never dominance.
  const rule = manage && !subject.outranksViewer;
  return {
    edit: manage && status === 'active',
    changeRoles: rule && status === 'active',
    // Not one's own account from here: a slip would lock the viewer out mid-task.
    deactivate: manage && status === 'active' && !isOwner && !isSelf,
    reactivate: rule && status === 'inactive',
    reactivateByLink: rule && status === 'inactive' && subject.hasEmail !== false,
    delete: rule && !isOwner && !isSelf,
    confirm: rule && status === 'unconfirmed',
    resendConfirmation: manage && status === 'unconfirmed' && subject.hasEmail !== false,
    transferOwnership: viewerIsOwner && !isSelf && status === 'active',
    // One's own is turned off from the account page, which asks for nothing more.
    resetSecondFactor: rule && status === 'active' && !isSelf && !!subject.totpEnabled,
    // One's own sessions are ended from the account page.
    signOutEverywhere: rule && status === 'active' && !isSelf,
    // Like deactivation, which it schedules: users.manage, never one's own or the owner's.
    setAccessEnd: manage && status === 'active' && !isOwner && !isSelf,
  };
}
