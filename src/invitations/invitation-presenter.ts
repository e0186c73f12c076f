// The only shape of an invitation that leaves the invitations service:
// no token hash. The status shown is the effective one: a pending invitation past its
// expiry is expired, decided by the application clock.
import type { InvitationAttributes, InvitationStatus } from './invitation-model.js';

/** Expired invitations older than 30 days are archived. */
export const ARCHIVE_AFTER_MS = 30 * 24 * 3_600_000;

export interface InvitationView {
  id: string;
  email: string;
  deliveryEmail: string | null;
  kind: InvitationAttributes['kind'];
  method: InvitationAttributes['method'];
  status: InvitationStatus;
  givenName: string | null;
  familyName: string | null;
  message: string | null;
  roles: Array<{ id: string; name: string }>;
  inviter: { id: string | null; label: string | null };
  sentAt: Date;
  expiresAt: Date;
  createdAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  /** Expired more than 30 days ago: hidden from the list unless asked for. */
  archived: boolean;
  /** What the invitations page may offer (per-status actions). */
  actions: InvitationActions;
}

export interface InvitationActions {
  resend: boolean;
  cancel: boolean;
  edit: boolean;
  delete: boolean;
}

/** What each status allows: pending — resend, edit, cancel; expired — resend, edit, delete; ended ones — delete. */
export function invitationActions(status: InvitationStatus): InvitationActions {
  const open = status === 'pending' || status === 'expired';
  return { resend: open, cancel: status === 'pending', edit: open, delete: status !== 'pending' };
}

export function effectiveStatus(row: Pick<InvitationAttributes, 'status' | 'expiresAt'>, now: Date): InvitationStatus {
  return row.status === 'pending' && row.expiresAt.getTime() <= now.getTime() ? 'expired' : row.status;
}

export function presentInvitation(row: InvitationAttributes, roles: Array<{ id: string; name: string }>, now: Date): InvitationView {
  const status = effectiveStatus(row, now);
  return {
    id: row.id,
    email: row.email,
    deliveryEmail: row.deliveryEmail,
    kind: row.kind,
    method: row.method,
    status,
    givenName: row.givenName,
    familyName: row.familyName,
    message: row.message,
    roles,
    inviter: { id: row.invitedBy, label: row.invitedByLabel },
    sentAt: row.sentAt ?? row.createdAt,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    acceptedAt: row.acceptedAt,
    acceptedUserId: row.acceptedUserId,
    archived: status === 'expired' && now.getTime() - row.expiresAt.getTime() > ARCHIVE_AFTER_MS,
    actions: invitationActions(status),
  };
}
