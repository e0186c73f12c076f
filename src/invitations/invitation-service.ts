// Invitations: their own records, never shell users.
// The invite form's rows are taken address by address in input order, each in its own
// transaction that reserves the address's seat (src/batch.ts); the invitations page lists,
// resends, cancels, edits and deletes them. Reading lives in invitation-queries.ts,
// accepting in invitation-acceptance.ts and bulk CSV in invitation-bulk.ts; this class is
// the one face the pages call.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { InvalidTransition, NotFound, ValidationError, type FieldErrors } from '../errors.js';
import { applyInOrder } from '../batch.js';
import type { Logger } from '../logger.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from '../roles/authorize.js';
import { assertCanGrantPermissions, type RoleService } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserView } from '../users/user-presenter.js';
import type { InvitationAcceptance, AcceptInput, AcceptPreview } from './invitation-acceptance.js';
import type { ParsedPhone } from '../phones/phone-number.js';
import type { InvitationBulk } from './invitation-bulk.js';
import { splitAddresses, parseAddress } from './invitation-addresses.js';
import { InvitationCreator, type PreparedInvitation, type TxContext } from './invitation-creator.js';
import { AlreadyHasAccount } from './invitation-errors.js';
import type { InvitationAttributes } from './invitation-model.js';
import { effectiveStatus, type InvitationView } from './invitation-presenter.js';
import type { InvitationQueries, InvitationListFilter, Invitee, InviteeFilter } from './invitation-queries.js';

export type { InvitationListFilter, Invitee, InviteeFilter };
import type { Kind } from '../users/user-model.js';
import { accessEndOf } from '../users/access-ends.js';

/** One row of the invite form ("Add invite" adds another). */
export interface InviteRow {
  /** One or many addresses separated by ";", ",", spaces or new lines. */
  addresses: string;
  roleIds: string[];
  kind?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  message?: string | null;
  /** Where to send the invitation when it is not the account's address. */
  deliveryEmail?: string | null;
  method?: 'email' | 'link';
  /** When the account's access ends: an instant, or text read in the organization's time zone. */
  accessEndsAt?: Date | string | null;
}

export type InviteOutcomeStatus = 'sent' | 'link_created' | 'already_has_account' | 'invalid_address' | 'duplicate' | 'seat_limit_reached' | 'failed';

/** The outcome for one address, in input order. */
export interface InviteOutcome {
  row: number;
  address: string;
  status: InviteOutcomeStatus;
  message: string;
  invitationId?: string;
  /** The shareable link, for method "link" only: shown once, never stored. */
  link?: string;
  expiresAt?: Date;
}

export interface InvitationEdit {
  email?: string;
  deliveryEmail?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  roleIds?: string[];
  kind?: string;
}

export class InvitationService {
  constructor(
    private readonly models: Models,
    private readonly creator: InvitationCreator,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly logger: Logger,
    private readonly queries: InvitationQueries,
    /** Accepting by link (the public accept page). */
    readonly acceptance: InvitationAcceptance,
    /** Bulk CSV: template, review, send all. */
    readonly bulk: InvitationBulk,
  ) {}

  // ---- inviting ------------------------------------------------------------------------

  /**
   * Invites every address of every row, in input order. Form-level mistakes (no address, no
   * role, a role the actor may not give, a bad name) refuse the whole form before anything
   * is sent; per-address results (sent, link created, already has an account, invalid
   * address, seat limit reached) are reported one by one.
   */
  async invite(ctx: Context, rows: InviteRow[]): Promise<InviteOutcome[]> {
    authorize(ctx.actor, 'users.invite');
    if (!rows.length) throw new ValidationError({ 'rows.0.addresses': 'Enter at least one email address.' });
    const errors: FieldErrors = {};
    const entries: Array<{ row: number; address: string; prepared?: PreparedInvitation; problem?: { status: InviteOutcomeStatus; message: string } }> = [];
    const seen = new Set<string>();
    const timeZone = await this.creator.timeZone(ctx);
    for (const [i, row] of rows.entries()) {
      const addresses = splitAddresses(row.addresses);
      const { values, errors: rowErrors } = this.creator.checkDetails(row);
      const ends = accessEndOf(row.accessEndsAt, timeZone, this.clock.now());
      if ('problem' in ends) rowErrors.accessEndsAt = ends.problem;
      if (!addresses.length) rowErrors.addresses = 'Enter at least one email address.';
      if (addresses.length > 1 && (values.deliveryEmail || values.givenName || values.familyName)) {
        rowErrors.addresses = 'Names and a delivery address apply to one person: put each address with names on its own row.';
      }
      let roles: PreparedInvitation['roles'] = [];
      try {
        roles = await this.creator.grantableRoles(ctx, row.roleIds ?? []);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        Object.assign(rowErrors, err.fields);
      }
      for (const [key, message] of Object.entries(rowErrors)) errors[`rows.${i}.${key}`] = message;
      for (const address of addresses) {
        const parsed = parseAddress(address);
        if (parsed.problem) entries.push({ row: i, address, problem: { status: 'invalid_address', message: `${address}: ${parsed.problem}` } });
        else if (seen.has(parsed.normalized)) entries.push({ row: i, address, problem: { status: 'duplicate', message: `${address} appears more than once in this form; it was invited once.` } });
        else {
          seen.add(parsed.normalized);
          entries.push({ row: i, address, prepared: { ...values, email: address, emailNormalized: parsed.normalized, roles, accessEndsAt: 'at' in ends ? ends.at : null } });
        }
      }
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);

    const [inviter, env] = await Promise.all([this.creator.inviterOf(ctx), this.creator.environment(ctx)]);
    const outcomes = await applyInOrder(entries, async (entry) => {
      if (!entry.prepared) return null;
      const p = entry.prepared;
      return this.seats.runTakingSeat(ctx, (tx) => this.creator.createOne(tx, p, inviter, env), { type: 'invitation', label: p.email });
    });
    return outcomes.map((o, i): InviteOutcome => {
      const entry = entries[i]!;
      const base = { row: entry.row, address: entry.address };
      if (entry.problem) return { ...base, ...entry.problem };
      if (o.ok && o.value) {
        return o.value.link
          ? { ...base, status: 'link_created', message: `Shareable link created for ${entry.address}. Copy it now: it is shown only once.`, invitationId: o.value.id, link: o.value.link, expiresAt: o.value.expiresAt }
          : { ...base, status: 'sent', message: `Invitation sent to ${entry.prepared?.deliveryEmail ?? entry.address}.`, invitationId: o.value.id, expiresAt: o.value.expiresAt };
      }
      if (o.ok) return { ...base, status: 'failed', message: 'Not invited.' };
      if (o.error) this.logger.error({ err: o.error, address: entry.address }, 'invitation failed');
      return { ...base, status: outcomeStatus(o.code), message: o.code === 'validation_failed' ? `${entry.address}: ${o.message}` : o.message };
    });
  }

  /** Role ids the invite form pre-selects (setting "default roles for invitations"). */
  async defaultRoleIds(ctx?: Context): Promise<string[]> {
    const names = await this.settings.get('invitationDefaultRoles', ctx);
    const found = await Promise.all(names.map((n) => this.roles.findByName(n, ctx)));
    return found.filter((r) => r && r.builtin !== 'owner').map((r) => r!.id);
  }

  // ---- the invitations page ---------------------------------------------------------------

  async list(ctx: Context, filter: InvitationListFilter = {}): Promise<{ items: InvitationView[]; total: number }> {
    authorize(ctx.actor, 'users.invite');
    return this.queries.list(filter);
  }

  /** Invited addresses without an account, merged into the users list as Pending or Expired. */
  async invitees(ctx: Context, filter: InviteeFilter = {}): Promise<Invitee[]> {
    authorize(ctx.actor, 'users.view');
    return this.queries.invitees(filter);
  }

  /** The admin navigation badge: live pending invitations. */
  pendingCount(): Promise<number> {
    return this.queries.pendingCount();
  }

  async get(ctx: Context, id: string): Promise<InvitationView> {
    authorize(ctx.actor, 'users.invite');
    return this.queries.view(id, ctx);
  }

  /**
   * New token (the old link dies), fresh expiry, mailed again or a new shareable link.
   * An expired invitation takes its seat again.
   */
  async resend(ctx: Context, id: string): Promise<{ invitation: InvitationView; link: string | null }> {
    authorize(ctx.actor, 'users.invite');
    const [inviter, env] = await Promise.all([this.creator.inviterOf(ctx), this.creator.environment(ctx)]);
    return this.seats.runTakingSeat(ctx, async (tx) => {
      const row = await this.lock(tx, id);
      const status = effectiveStatus(row, this.clock.now());
      if (status !== 'pending' && status !== 'expired') throw new InvalidTransition(`Only pending or expired invitations can be resent; this one is ${status}.`);
      const roles = (await this.creator.rolesOfInvitations([id], tx)).get(id) ?? [];
      await this.assertCanGrantRoles(tx, roles.map((r) => r.id));
      if (await this.creator.accountExists(tx, row.emailNormalized)) throw new AlreadyHasAccount(row.email);
      if (status === 'expired' && !(await this.creator.seatHeldByAnother(tx, row.emailNormalized, row.kind, id))) await this.seats.take(tx, row.kind);
      const { link } = await this.creator.reissue(tx, row, roles.map((r) => r.name), inviter.name, env);
      await this.audit.record(tx, 'invitation.resent', { wasExpired: status === 'expired', method: row.method }, { type: 'invitation', id, label: row.email });
      return { invitation: await this.queries.view(id, tx), link };
    }, { type: 'invitation', label: `resend ${id}` });
  }

  /** A pending invitation's link dies; its seat is released. */
  async cancel(ctx: Context, id: string): Promise<InvitationView> {
    authorize(ctx.actor, 'users.invite');
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.lock(tx, id);
      const status = effectiveStatus(row, this.clock.now());
      if (status !== 'pending') throw new InvalidTransition(status === 'expired' ? 'This invitation has already expired; delete it or resend it.' : `Only pending invitations can be cancelled; this one is ${status}.`);
      await this.models.Invitation.update({ status: 'cancelled', updatedAt: this.clock.now() }, { where: { id }, transaction: tx.transaction });
      await this.audit.record(tx, 'invitation.cancelled', {}, { type: 'invitation', id, label: row.email });
      return this.queries.view(id, tx);
    });
  }

  /** Removes an invitation that is no longer pending (expired, cancelled, accepted, superseded). */
  async remove(ctx: Context, id: string): Promise<void> {
    authorize(ctx.actor, 'users.invite');
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.lock(tx, id);
      const status = effectiveStatus(row, this.clock.now());
      if (status === 'pending') throw new InvalidTransition('Cancel a pending invitation before deleting it.');
      await this.models.InvitationRole.destroy({ where: { invitationId: id }, transaction: tx.transaction });
      await this.models.Invitation.destroy({ where: { id }, transaction: tx.transaction });
      await this.audit.record(tx, 'invitation.deleted', { status }, { type: 'invitation', id, label: row.email });
    });
  }

  /**
   * Edits names, address, delivery address, roles and kind while pending or expired. A
   * changed address kills the old link (it went to the old address): a live invitation is
   * sent again to the new one, an expired one waits for a resend. Seats follow the
   * reservation: a new pool, or an address that starts holding a seat, takes one.
   */
  async edit(ctx: Context, id: string, input: InvitationEdit): Promise<{ invitation: InvitationView; link: string | null }> {
    authorize(ctx.actor, 'users.invite');
    const { values, errors } = this.creator.checkDetails({ kind: input.kind, givenName: input.givenName, familyName: input.familyName, deliveryEmail: input.deliveryEmail });
    let email: ReturnType<typeof parseAddress> | null = null;
    if (input.email !== undefined) {
      email = parseAddress(String(input.email).trim());
      if (email.problem) errors.email = email.problem;
    }
    let roles: PreparedInvitation['roles'] | null = null;
    if (input.roleIds !== undefined) {
      try {
        roles = await this.creator.grantableRoles(ctx, input.roleIds);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        Object.assign(errors, err.fields);
      }
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const [inviter, env] = await Promise.all([this.creator.inviterOf(ctx), this.creator.environment(ctx)]);

    return this.seats.runTakingSeat(ctx, async (tx) => {
      const row = await this.lock(tx, id);
      const now = this.clock.now();
      const status = effectiveStatus(row, now);
      if (status !== 'pending' && status !== 'expired') throw new InvalidTransition(`Only pending or expired invitations can be edited; this one is ${status}.`);
      const next = {
        email: email?.address ?? row.email,
        emailNormalized: email?.normalized ?? row.emailNormalized,
        kind: input.kind !== undefined ? values.kind : row.kind,
        givenName: input.givenName !== undefined ? values.givenName : row.givenName,
        familyName: input.familyName !== undefined ? values.familyName : row.familyName,
        deliveryEmail: input.deliveryEmail !== undefined ? values.deliveryEmail : row.deliveryEmail,
      };
      const emailChanged = next.emailNormalized !== row.emailNormalized;
      const kindChanged = next.kind !== row.kind;
      const addressChanged = emailChanged || (next.deliveryEmail ?? '').toLowerCase() !== (row.deliveryEmail ?? '').toLowerCase();
      if (emailChanged && (await this.creator.accountExists(tx, next.emailNormalized))) throw new AlreadyHasAccount(next.email);
      if (status === 'pending' && (emailChanged || kindChanged)) await this.moveSeat(tx, row, next.emailNormalized, next.kind);

      const changed = (Object.keys(next) as Array<keyof typeof next>).filter((k) => k !== 'emailNormalized' && next[k] !== row[k]);
      if (roles) {
        const before = ((await this.creator.rolesOfInvitations([id], tx)).get(id) ?? []).map((r) => r.id).sort();
        const after = roles.map((r) => r.id).sort();
        if (before.join() !== after.join()) {
          changed.push('roles' as never);
          await this.models.InvitationRole.destroy({ where: { invitationId: id }, transaction: tx.transaction });
          await this.models.InvitationRole.bulkCreate(after.map((roleId) => ({ invitationId: id, roleId })), { transaction: tx.transaction });
        }
      }
      await this.models.Invitation.update({ ...next, ...(addressChanged && status === 'expired' ? { tokenHash: null } : {}), updatedAt: now }, { where: { id }, transaction: tx.transaction });
      let link: string | null = null;
      if (addressChanged && status === 'pending') {
        const updated = (await this.models.Invitation.findByPk(id, { transaction: tx.transaction }))!.get({ plain: true });
        const roleNames = ((await this.creator.rolesOfInvitations([id], tx)).get(id) ?? []).map((r) => r.name);
        link = (await this.creator.reissue(tx, updated, roleNames, inviter.name, env)).link;
      }
      if (changed.length) await this.audit.record(tx, 'invitation.edited', { fields: changed, resent: addressChanged && status === 'pending' }, { type: 'invitation', id, label: next.email });
      return { invitation: await this.queries.view(id, tx), link };
    }, { type: 'invitation', label: `edit ${id}` });
  }

  // ---- accepting (public pages) -----------------------------------------------------------

  /** What the accept page shows; throws the distinct link errors. */
  check(token: string): Promise<AcceptPreview> {
    return this.acceptance.check(token);
  }

  accept(ctx: Context, token: string, input: AcceptInput): Promise<{ user: UserView; invitation: InvitationView }> {
    return this.acceptance.accept(ctx, token, input);
  }

  /** Sends the invitee a code proving their phone (when the settings ask for one). */
  sendPhoneCode(ctx: Context, token: string, phone: ParsedPhone): Promise<void> {
    return this.acceptance.sendPhoneCode(ctx, token, phone);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private async lock(tx: TxContext, id: string): Promise<InvitationAttributes> {
    const row = await this.models.Invitation.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
    if (!row) throw new NotFound('No such invitation.');
    return row.get({ plain: true });
  }

  private async assertCanGrantRoles(ctx: Context, roleIds: string[]): Promise<void> {
    for (const id of roleIds) {
      const role = await this.roles.get(id, ctx);
      assertCanGrantPermissions(ctx.actor, role.permissions, role.name);
    }
  }

  /**
   * A live invitation moving to another address or pool: the new (address, pool) takes a
   * seat unless another live invitation already holds it, and unless the move frees the
   * old one in the same pool (net zero).
   */
  private async moveSeat(tx: TxContext, row: InvitationAttributes, emailNormalized: string, kind: Kind): Promise<void> {
    if (await this.creator.seatHeldByAnother(tx, emailNormalized, kind, row.id)) return;
    const oldStillHeld = await this.creator.seatHeldByAnother(tx, row.emailNormalized, row.kind, row.id);
    if (kind !== row.kind || oldStillHeld) await this.seats.take(tx, kind);
  }

}

function outcomeStatus(code: string): InviteOutcomeStatus {
  switch (code) {
    case 'already_has_account':
      return 'already_has_account';
    case 'seat_limit_reached':
      return 'seat_limit_reached';
    case 'validation_failed':
      return 'invalid_address';
    default:
      return 'failed';
  }
}
