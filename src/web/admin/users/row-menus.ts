// What each row of the users list offers in its menu (per-status
// actions): pending invitee — resend, edit, cancel; expired invitee — resend,
// edit, delete; unconfirmed — resend confirmation, confirm manually, delete; active —
// edit, change roles, deactivate, delete; inactive — reactivate (now or by link), delete.
// The same rule as the account's own page decides (userActions, with the dominance rule),
// computed for the whole page from every role's permissions, read beside the page itself
// (the roles are few; waiting for the page's rows before asking would add a round trip).
import type { Actor } from '../../../context.js';
import type { Services } from '../../../services.js';
import { ALL, can } from '../../../roles/authorize.js';
import { dominates } from '../../../roles/dominance.js';
import { invitationActions } from '../../../invitations/invitation-presenter.js';
import { userActions } from '../../../users/user-actions.js';
import type { DirectoryRow } from '../../../users/user-directory.js';
import type { RowAction } from './row-operations.js';

export type RowMenuItem =
  | { type: 'link'; label: string; href: string }
  /** A POST of the row action (a confirmation page first for the ones that end something). */
  | { type: 'action'; label: string; action: RowAction };

/** What the menus are decided from besides the rows: the owner and each role's permissions. */
export interface MenuFacts {
  ownerId: string | null;
  permissionsOfRole: Map<string, string[]>;
}

export async function menuFactsOf(services: Services): Promise<MenuFacts> {
  const [ownerId, grants] = await Promise.all([
    services.roles.ownerId(),
    services.models.sql.select<{ role_id: string; permission: string }>('SELECT role_id, permission FROM role_permissions', []),
  ]);
  const permissionsOfRole = new Map<string, string[]>();
  for (const g of grants) {
    const list = permissionsOfRole.get(g.role_id);
    if (list) list.push(g.permission);
    else permissionsOfRole.set(g.role_id, [g.permission]);
  }
  return { ownerId, permissionsOfRole };
}

export function rowMenusOf({ ownerId, permissionsOfRole }: MenuFacts, viewer: { actor: Actor; userId: string }, rows: readonly DirectoryRow[]): Map<string, RowMenuItem[]> {
  const menus = new Map<string, RowMenuItem[]>();
  const canInvite = can(viewer.actor, 'users.invite');

  for (const r of rows) {
    if (r.type === 'invitee') {
      if (!canInvite || (r.status !== 'pending' && r.status !== 'expired')) continue;
      const a = invitationActions(r.status);
      const items: RowMenuItem[] = [];
      if (a.resend) items.push({ type: 'action', label: 'Resend invitation', action: 'resend' });
      if (a.edit) items.push({ type: 'link', label: 'Edit invitation', href: `/admin/invitations/${r.id}/edit` });
      if (a.cancel) items.push({ type: 'action', label: 'Cancel invitation', action: 'cancel' });
      if (a.delete) items.push({ type: 'action', label: 'Delete invitation', action: 'delete' });
      menus.set(r.id, items);
      continue;
    }
    if (r.status !== 'active' && r.status !== 'unconfirmed' && r.status !== 'inactive') continue;
    const isOwner = ownerId === r.id;
    const isSelf = viewer.userId === r.id;
    const held = new Set(r.roles.flatMap((x) => permissionsOfRole.get(x.id) ?? []));
    if (isOwner) held.add(ALL);
    const a = userActions(viewer.actor, { status: r.status, isOwner, isSelf, hasEmail: r.email !== null, outranksViewer: !isSelf && !dominates(viewer.actor, held) }, ownerId === viewer.userId);
    const items: RowMenuItem[] = [{ type: 'link', label: 'Open', href: `/admin/users/${r.id}` }];
    if (a.edit) items.push({ type: 'link', label: 'Edit', href: `/admin/users/${r.id}#profile` });
    if (a.changeRoles) items.push({ type: 'link', label: 'Change roles', href: `/admin/users/${r.id}#roles` });
    if (a.resendConfirmation) items.push({ type: 'action', label: 'Resend confirmation', action: 'resend' });
    if (a.confirm) items.push({ type: 'action', label: 'Confirm manually', action: 'confirm' });
    if (a.reactivate) items.push({ type: 'action', label: 'Reactivate now', action: 'reactivate' });
    if (a.reactivateByLink) items.push({ type: 'action', label: 'Send a reactivation link', action: 'reactivation-link' });
    if (a.deactivate) items.push({ type: 'action', label: 'Deactivate', action: 'deactivate' });
    if (a.delete) items.push({ type: 'action', label: 'Delete', action: 'delete' });
    menus.set(r.id, items);
  }
  return menus;
}
