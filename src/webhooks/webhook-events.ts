// The catalogue of lifecycle events an application may subscribe to, and which audited
// change each one reports. Events are taken from the audit trail because every change to
// an account is audited exactly once, in its transaction, by the one operation that makes
// it — whatever path asked (pages, SCIM, LDAP, CSV, invitations, later ones too).
import type { AuditAction } from '../audit/audit-actions.js';

export const WEBHOOK_EVENTS = [
  'user.created',
  'user.updated',
  'user.roles_changed',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'invitation.accepted',
  'seats.limit_reached',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'user.created': 'An account was created (any path: page, invitation, registration, SCIM, LDAP, CSV).',
  'user.updated': 'An account’s profile, email, kind or confirmation changed.',
  'user.roles_changed': 'Roles were granted to or taken from an account.',
  'user.deactivated': 'An account was deactivated; it can no longer sign in.',
  'user.reactivated': 'A deactivated account became active again.',
  'user.deleted': 'An account was deleted.',
  'invitation.accepted': 'An invitation was accepted and its account created.',
  'seats.limit_reached': 'A new account or invitation was refused because a seat pool is full.',
};

/** The audited actions each event reports; several profile actions are one `user.updated`. */
const BY_AUDIT_ACTION: Partial<Record<AuditAction, WebhookEventType>> = {
  'user.created': 'user.created',
  'user.updated': 'user.updated',
  'user.kind_changed': 'user.updated',
  'user.confirmed': 'user.updated',
  'user.email_verified': 'user.updated',
  'user.email_changed': 'user.updated',
  'user.email_restored': 'user.updated',
  'user.roles_changed': 'user.roles_changed',
  'user.deactivated': 'user.deactivated',
  'user.reactivated': 'user.reactivated',
  'user.deleted': 'user.deleted',
  'invitation.accepted': 'invitation.accepted',
  'seats.limit_reached': 'seats.limit_reached',
};

export function webhookEventOf(action: AuditAction): WebhookEventType | null {
  return BY_AUDIT_ACTION[action] ?? null;
}

export function isWebhookEvent(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}
