// What the viewer may do to one account from the admin pages: its page, the users list's
// row menus and its bulk actions all ask here, so one action is gated the same way
// wherever it is started. `allowed` ignores the dominance rule on purpose: the service
// decides that one, so its refusal is audited; `actions` (what a page offers) heeds it.
import type { Actor } from '../../../context.js';
import type { Services } from '../../../services.js';
import { dominates } from '../../../roles/dominance.js';
import { userActions, type UserActions } from '../../../users/user-actions.js';
import type { UserView } from '../../../users/user-presenter.js';
import type { DetailForm } from './detail-view.js';

export interface AccountGate {
  user: UserView;
  isOwner: boolean;
  isSelf: boolean;
  /** What a page offers (dominance heeded). */
  actions: UserActions;
  /** What a route lets through to the service (dominance left to the service). */
  allowed: UserActions;
  outranksViewer: boolean;
}

export async function accountGate(services: Services, viewer: { actor: Actor; userId: string }, userId: string): Promise<AccountGate> {
  const user = await services.users.get(userId);
  const ownerId = await services.roles.ownerId();
  const isSelf = viewer.userId === user.id;
  const isOwner = ownerId === user.id;
  const subject = { status: user.status, isOwner, isSelf, totpEnabled: user.totpEnabled, hasEmail: user.email !== null };
  const outranksViewer = !isSelf && !dominates(viewer.actor, await services.roles.effectivePermissionsOf(user.id));
  const viewerIsOwner = ownerId === viewer.userId;
  return {
    user,
    isOwner,
    isSelf,
    actions: userActions(viewer.actor, { ...subject, outranksViewer }, viewerIsOwner),
    allowed: userActions(viewer.actor, subject, viewerIsOwner),
    outranksViewer,
  };
}

/** Why an action the gate does not allow was refused. */
export function gateRefusal(form: DetailForm, gate: Pick<AccountGate, 'user' | 'isOwner' | 'isSelf'>): string {
  if (form === 'transfer-ownership') return 'Only the owner can transfer ownership, to another active account.';
  if (gate.isOwner && (form === 'deactivate' || form === 'delete')) return 'The owner cannot be deactivated or deleted. Transfer ownership first.';
  if (gate.isSelf && (form === 'deactivate' || form === 'delete')) return 'You cannot deactivate or delete your own account here.';
  if ((form === 'confirmation' || form === 'reactivation-link') && gate.user.email === null) return 'The account has no email address to send a link to.';
  return `That is not possible while the account is ${gate.user.status}.`;
}
