// The users list's actions on one row — an account or an invited address — each one
// service call, gated exactly as the account's own page gates it (account-gate.ts). The
// row menus and the bulk actions both run rows through here, one row at a time, so every
// row keeps its own transaction, seat check, dominance check and audit event, and a
// refusal of one row leaves the others to proceed.
import type { Request } from 'express';
import type { Services } from '../../../services.js';
import { DomainError } from '../../../errors.js';
import { can } from '../../../roles/authorize.js';
import { contextOf } from '../../request-context.js';
import { accountGate, gateRefusal } from './account-gate.js';
import { FORM_ACTION, type DetailForm } from './detail-view.js';

export const ROW_ACTIONS = ['deactivate', 'delete', 'resend', 'cancel', 'reactivate', 'reactivation-link', 'confirm'] as const;
export type RowAction = (typeof ROW_ACTIONS)[number];

/** Actions that end something: started from a menu or a selection, they ask first. */
export const CONFIRMED_ACTIONS: ReadonlySet<RowAction> = new Set(['deactivate', 'delete', 'cancel']);

/** The selection's actions (the row menus offer the rest). */
export const BULK_ACTIONS: readonly RowAction[] = ['deactivate', 'resend', 'delete'];

export const ACTION_TITLES: Record<RowAction, string> = {
  deactivate: 'Deactivate',
  delete: 'Delete',
  resend: 'Resend invitation',
  cancel: 'Cancel invitation',
  reactivate: 'Reactivate now',
  'reactivation-link': 'Send a reactivation link',
  confirm: 'Confirm manually',
};

export interface RowRef {
  type: 'account' | 'invitee';
  id: string;
}

export interface RowOutcome {
  ref: RowRef;
  label: string;
  done: boolean;
  /** What happened, or why not. */
  message: string;
  /** A new shareable invitation link, shown once. */
  link?: string | null;
}

const ID = /^(account|invitee):([0-9a-f-]{36})$/i;
const MAX_ROWS = 100;

/** The selected rows ("account:<id>" / "invitee:<id>"), unknown values dropped, duplicates once. */
export function rowRefsOf(value: unknown): RowRef[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const seen = new Set<string>();
  const refs: RowRef[] = [];
  for (const v of list) {
    const m = typeof v === 'string' ? ID.exec(v) : null;
    if (!m || seen.has(v as string)) continue;
    seen.add(v as string);
    refs.push({ type: m[1]!.toLowerCase() as RowRef['type'], id: m[2]!.toLowerCase() });
    if (refs.length === MAX_ROWS) break;
  }
  return refs;
}

export function rowRefText(ref: RowRef): string {
  return `${ref.type}:${ref.id}`;
}

export function rowActionOf(value: unknown): RowAction | null {
  return typeof value === 'string' && (ROW_ACTIONS as readonly string[]).includes(value) ? (value as RowAction) : null;
}

/** Which of the account page's forms an action on an account is; null: not for accounts. */
const ACCOUNT_FORMS: Record<RowAction, DetailForm | null> = {
  deactivate: 'deactivate',
  delete: 'delete',
  // An unconfirmed account has no invitation: its confirmation mail is what is resent.
  resend: 'confirmation',
  cancel: null,
  reactivate: 'reactivate',
  'reactivation-link': 'reactivation-link',
  confirm: 'confirm',
};

const ACCOUNT_DONE: Record<DetailForm, string> = {
  deactivate: 'Deactivated and signed out everywhere.',
  delete: 'Deleted.',
  confirmation: 'Confirmation email sent.',
  reactivate: 'Reactivated.',
  'reactivation-link': 'Reactivation link sent (valid 72 hours).',
  confirm: 'Confirmed.',
  profile: 'Saved.',
  roles: 'Roles saved.',
  'transfer-ownership': 'Ownership transferred.',
  'second-factor': 'Two-step verification reset.',
  'sign-out-everywhere': 'Signed out everywhere.',
  'access-end': 'Access end date saved.',
};

/** The one service call behind each account action (the account's page runs the same ones). */
export async function runAccountForm(services: Services, req: Request, form: DetailForm, userId: string, input: { reason?: string | null } = {}): Promise<void> {
  const ctx = contextOf(req, 'admin');
  switch (form) {
    case 'deactivate': await services.users.deactivate(ctx, userId, input.reason ?? null); return;
    case 'delete': await services.users.delete(ctx, userId); return;
    case 'confirmation': await services.userOnboarding.resendConfirmation(ctx, userId); return;
    case 'reactivate': await services.users.reactivate(ctx, userId); return;
    case 'reactivation-link': await services.reactivationLinks.send(ctx, userId); return;
    case 'confirm': await services.users.confirm(ctx, userId, { emailVerified: false }); return;
    default: throw new Error(`No row operation for ${form}`);
  }
}

async function onAccount(services: Services, req: Request, action: RowAction, id: string, reason: string | null): Promise<RowOutcome> {
  const ref: RowRef = { type: 'account', id };
  const gate = await accountGate(services, { actor: req.actor!, userId: req.user!.id }, id);
  const label = gate.user.username;
  const form = ACCOUNT_FORMS[action];
  if (!form) return { ref, label, done: false, message: 'This is an account, not an invitation: there is nothing to cancel.' };
  if (!can(req.actor!, 'users.manage')) return { ref, label, done: false, message: 'Only people who may manage users can do this.' };
  if (action === 'resend' && gate.user.status !== 'unconfirmed') return { ref, label, done: false, message: `This is an ${gate.user.status} account: there is no invitation to resend.` };
  if (!gate.allowed[FORM_ACTION[form]]) return { ref, label, done: false, message: gateRefusal(form, gate) };
  await runAccountForm(services, req, form, id, { reason });
  return { ref, label, done: true, message: ACCOUNT_DONE[form] };
}

async function onInvitee(services: Services, req: Request, action: RowAction, id: string): Promise<RowOutcome> {
  const ref: RowRef = { type: 'invitee', id };
  const ctx = contextOf(req, 'admin');
  const invitation = await services.invitations.get(ctx, id);
  const label = invitation.email;
  switch (action) {
    case 'resend': {
      const { link } = await services.invitations.resend(ctx, id);
      return { ref, label, done: true, message: link ? 'A new shareable link was made; the old one no longer works.' : 'Invitation sent again with a fresh expiry.', link };
    }
    case 'cancel':
      await services.invitations.cancel(ctx, id);
      return { ref, label, done: true, message: 'Invitation cancelled; its link no longer works.' };
    case 'delete':
      await services.invitations.remove(ctx, id);
      return { ref, label, done: true, message: 'Invitation deleted.' };
    default:
      return { ref, label, done: false, message: 'This is an invitation, not an account: cancel or delete it instead.' };
  }
}

/** One row's outcome; a refusal (an exposed domain error) is an outcome, not a failure. */
export async function runRow(services: Services, req: Request, action: RowAction, ref: RowRef, reason: string | null): Promise<RowOutcome> {
  try {
    return ref.type === 'account' ? await onAccount(services, req, action, ref.id, reason) : await onInvitee(services, req, action, ref.id);
  } catch (err) {
    if (err instanceof DomainError && err.expose) return { ref, label: await labelOf(services, req, ref), done: false, message: err.message };
    throw err;
  }
}

/** A row's name for the confirmation and the report (its address or username, else its kind). */
export async function labelOf(services: Services, req: Request, ref: RowRef): Promise<string> {
  try {
    if (ref.type === 'account') return (await services.users.get(ref.id)).username;
    return (await services.invitations.get(contextOf(req, 'admin'), ref.id)).email;
  } catch (err) {
    if (err instanceof DomainError && err.expose) return ref.type === 'account' ? 'an account that no longer exists' : 'an invitation you cannot see';
    throw err;
  }
}
