// What every path that writes an invitation shares (the invite form, bulk CSV, resend and
// edit): checking roles against the grant rule, the seat reservation, the 256-bit token
// stored as a hash, and the invitation email. One invitation is written by `createOne`
// inside the caller's transaction; its refusals (an existing account, a full pool) are
// thrown before anything is written, so a caller may catch them and carry on in the same
// transaction.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, type Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { Forbidden, SeatLimitReached, ValidationError, type FieldErrors } from '../errors.js';
import { hashToken, newId, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { MailMessage } from '../mail/mail-message.js';
import type { Outbox } from '../mail/outbox.js';
import { assertCanGrantPermissions, type RoleService, type RoleView } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { Kind } from '../users/user-model.js';
import { displayNameOf } from '../users/user-presenter.js';
import { emailProblem, kindProblem, normalize, textProblem } from '../users/user-validation.js';
import { AlreadyHasAccount } from './invitation-errors.js';
import { invitationMail } from './invitation-mail.js';
import type { InvitationAttributes } from './invitation-model.js';
import { PUBLIC_PATHS } from '../registration/public-paths.js';

export type TxContext = Context & { transaction: NonNullable<Context['transaction']> };
export type InvitationMethod = 'email' | 'link';

/** One invitation to write: validated, roles resolved. */
export interface PreparedInvitation {
  email: string;
  emailNormalized: string;
  kind: Kind;
  method: InvitationMethod;
  roles: RoleView[];
  givenName: string | null;
  familyName: string | null;
  message: string | null;
  deliveryEmail: string | null;
  /** The account's access end date, carried to it on acceptance. */
  accessEndsAt?: Date | null;
}

export interface Inviter {
  userId: string | null;
  /** The name shown in the mail and on the invitations page. */
  name: string;
}

/** Read once per request: the organization's name and the expiry setting. */
export interface InviteEnvironment {
  organizationName: string;
  expiryHours: number;
}

export interface CreatedInvitation {
  id: string;
  email: string;
  method: InvitationMethod;
  /** The accept URL for a shareable link (shown once, never stored); null when mailed. */
  link: string | null;
  expiresAt: Date;
}

export type CreateResult = { ok: true; created: CreatedInvitation } | { ok: false; error: AlreadyHasAccount | SeatLimitReached };

type InvitationCreation = Omit<InvitationAttributes, 'acceptedAt' | 'acceptedUserId'>;

export const MESSAGE_MAX = 2000;

export class InvitationCreator {
  constructor(
    private readonly models: Models,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  acceptUrl(token: string): string {
    return `${this.publicUrl}${PUBLIC_PATHS.acceptInvitation}?token=${encodeURIComponent(token)}`;
  }

  async environment(ctx?: Context): Promise<InviteEnvironment> {
    const [organizationName, expiryHours] = await Promise.all([this.settings.get('organizationName', ctx), this.settings.get('invitationExpiryHours', ctx)]);
    return { organizationName, expiryHours: expiryHours > 0 ? expiryHours : 168 };
  }

  /** The organization's time zone, in which typed end dates are read. */
  timeZone(ctx?: Context): Promise<string> {
    return this.settings.get('timeZone', ctx);
  }

  async inviterOf(ctx: Context): Promise<Inviter> {
    if (!ctx.actor.userId) return { userId: null, name: ctx.actor.label };
    const user = await this.models.User.findByPk(ctx.actor.userId, { transaction: ctx.transaction });
    return { userId: ctx.actor.userId, name: user ? displayNameOf(user) : ctx.actor.label };
  }

  /**
   * Roles an invitation may carry: they exist, none is the owner role, and the actor holds
   * every permission in them (nobody may grant a role or permission they do not hold).
   */
  async grantableRoles(ctx: Context, roleIds: readonly string[]): Promise<RoleView[]> {
    const ids = [...new Set(roleIds.filter(Boolean))];
    if (ids.length === 0) throw new ValidationError({ roles: 'Choose at least one role.' });
    const all = await this.roles.list(ctx);
    const chosen = ids.map((id) => all.find((r) => r.id === id));
    if (chosen.some((r) => !r)) throw new ValidationError({ roles: 'One of the chosen roles does not exist (any more).' });
    for (const role of chosen as RoleView[]) {
      if (role.builtin === 'owner') throw new Forbidden('The owner role is only given by transferring ownership; it cannot be given by invitation.');
      assertCanGrantPermissions(ctx.actor, role.permissions, role.name);
    }
    return chosen as RoleView[];
  }

  /** Checks the per-invitation fields (not the address); returns cleaned values or field errors. */
  checkDetails(input: { kind?: string | null; givenName?: string | null; familyName?: string | null; message?: string | null; deliveryEmail?: string | null; method?: string | null }): {
    values: Pick<PreparedInvitation, 'kind' | 'givenName' | 'familyName' | 'message' | 'deliveryEmail' | 'method'>;
    errors: FieldErrors;
  } {
    const errors: FieldErrors = {};
    const clean = (v: string | null | undefined) => (v === undefined || v === null ? null : String(v).trim() || null);
    const kind = clean(input.kind) ?? 'user';
    const kindError = kindProblem(kind);
    if (kindError) errors.kind = kindError;
    const method = clean(input.method) ?? 'email';
    if (method !== 'email' && method !== 'link') errors.method = 'Choose how to invite: by email or with a shareable link.';
    const givenName = clean(input.givenName);
    const familyName = clean(input.familyName);
    const message = clean(input.message);
    const deliveryEmail = clean(input.deliveryEmail);
    const problems: Array<[string, string | null]> = [
      ['givenName', givenName && textProblem('First name', givenName, 255)],
      ['familyName', familyName && textProblem('Last name', familyName, 255)],
      ['message', message && textProblem('Message', message, MESSAGE_MAX, 'multi')],
      ['deliveryEmail', deliveryEmail && emailProblem(deliveryEmail)],
    ];
    for (const [key, problem] of problems) if (problem) errors[key] = problem;
    return { values: { kind: kind as Kind, method: method as InvitationMethod, givenName, familyName, message, deliveryEmail }, errors };
  }

  async accountExists(ctx: Context, emailNormalized: string): Promise<boolean> {
    return !!(await this.models.User.findOne({ attributes: ['id'], where: { emailNormalized }, transaction: ctx.transaction }));
  }

  /**
   * Whether the address already holds a seat in the pool through another live invitation:
   * an invited address holds one seat however many invitations it has, so a second invitation to
   * the same address in the same pool takes none.
   */
  async seatHeldByAnother(ctx: Context, emailNormalized: string, kind: Kind, exceptId?: string): Promise<boolean> {
    const other = await this.models.Invitation.findOne({
      attributes: ['id'],
      where: {
        emailNormalized,
        kind,
        status: 'pending',
        expiresAt: { [Op.gt]: this.clock.now() },
        ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}),
      },
      transaction: ctx.transaction,
    });
    return !!other;
  }

  /**
   * Writes one invitation in `tx`. Throws AlreadyHasAccount or SeatLimitReached before
   * writing anything.
   */
  async createOne(tx: TxContext, p: PreparedInvitation, inviter: Inviter, env: InviteEnvironment): Promise<CreatedInvitation> {
    const [result] = await this.createMany(tx, [p], inviter, env);
    if (!result!.ok) throw result!.error;
    return result!.created;
  }

  /**
   * Writes invitations in input order in `tx` (bulk CSV: a chunk per transaction). A row
   * whose address has an account or whose pool is full is refused before anything of it is
   * written; the others go on. Every row that needs a seat calls `seats.take`. Rows are
   * inserted in batches, flushed before any take that may count the pool's rows: the first
   * take of each pool in this transaction (it may find a limit just set), and every take
   * of a limited pool. After its first take the pool's limit cannot change until commit
   * (take holds the pool row's lock, shared or exclusive), so an unlimited pool needs no
   * further take in this transaction and the batch keeps growing.
   */
  async createMany(tx: TxContext, items: PreparedInvitation[], inviter: Inviter, env: InviteEnvironment): Promise<CreateResult[]> {
    const emails = [...new Set(items.map((p) => p.emailNormalized))];
    const now = this.clock.now();
    const [accounts, held] = await Promise.all([this.accountsAmong(tx, emails), this.liveInvitationKeys(tx, emails, now)]);
    /** Per pool, once taken from in this transaction: whether it has a limit. */
    const limited = new Map<Kind, boolean>();
    const expiresAt = addMs(now, env.expiryHours * HOUR_MS);
    const results: CreateResult[] = [];
    const pending: Array<{ row: InvitationCreation; p: PreparedInvitation; token: string }> = [];
    const flush = async () => {
      if (!pending.length) return;
      const batch = pending.splice(0);
      await this.models.Invitation.bulkCreate(batch.map((b) => b.row), { transaction: tx.transaction });
      await this.models.InvitationRole.bulkCreate(batch.flatMap((b) => b.p.roles.map((r) => ({ invitationId: b.row.id, roleId: r.id }))), { transaction: tx.transaction });
      // Mail and audit events as multi-row inserts too: one round trip each per batch
      // rather than two per invitation (a 10,000-row bulk send).
      const mails = batch.filter((b) => b.p.method === 'email').map((b) => this.mailOf(b.p, b.p.roles.map((r) => r.name), b.token, expiresAt, inviter.name, env));
      await this.outbox.enqueueMany(tx, mails);
      await this.audit.recordMany(
        tx,
        batch.map(({ row, p }) => ({
          action: 'invitation.created' as const,
          details: { kind: p.kind, method: p.method, roles: p.roles.map((r) => r.name), deliveryEmail: p.deliveryEmail, expiresAt: expiresAt.toISOString() },
          target: { type: 'invitation' as const, id: row.id, label: p.email },
        })),
      );
    };
    for (const p of items) {
      if (accounts.has(p.emailNormalized)) {
        results.push({ ok: false, error: new AlreadyHasAccount(p.email) });
        continue;
      }
      const key = `${p.emailNormalized} ${p.kind}`;
      // An unlimited pool already taken from here holds its row's lock until commit, so a
      // limit cannot appear before then and a further take would return at once: skip it.
      if (!held.has(key) && limited.get(p.kind) !== false) {
        await flush();
        try {
          await this.seats.take(tx, p.kind);
        } catch (err) {
          if (err instanceof SeatLimitReached) {
            results.push({ ok: false, error: err });
            continue;
          }
          throw err;
        }
        if (!limited.has(p.kind) && items.length > 1) limited.set(p.kind, (await this.seats.usage(p.kind, tx)).limit !== null);
      }
      held.add(key);
      const token = newToken();
      const row: InvitationCreation = {
        id: newId(),
        email: p.email,
        emailNormalized: p.emailNormalized,
        deliveryEmail: p.deliveryEmail,
        kind: p.kind,
        status: 'pending',
        method: p.method,
        tokenHash: hashToken(token),
        givenName: p.givenName,
        familyName: p.familyName,
        message: p.message,
        invitedBy: inviter.userId,
        accessEndsAt: p.accessEndsAt ?? null,
        invitedByLabel: inviter.name.slice(0, 255),
        expiresAt,
        sentAt: now,
        createdAt: now,
        updatedAt: now,
      };
      pending.push({ row, p, token });
      results.push({ ok: true, created: { id: row.id, email: p.email, method: p.method, link: p.method === 'link' ? this.acceptUrl(token) : null, expiresAt } });
    }
    await flush();
    return results;
  }

  private async accountsAmong(ctx: Context, emails: string[]): Promise<Set<string>> {
    if (!emails.length) return new Set();
    const rows = await this.models.User.findAll({ attributes: ['emailNormalized'], where: { emailNormalized: { [Op.in]: emails } }, transaction: ctx.transaction });
    return new Set(rows.flatMap((r) => (r.emailNormalized ? [r.emailNormalized] : [])));
  }

  /** "address kind" of live invitations to these addresses: those already hold a seat. */
  private async liveInvitationKeys(ctx: Context, emails: string[], now: Date): Promise<Set<string>> {
    if (!emails.length) return new Set();
    const rows = await this.models.Invitation.findAll({
      attributes: ['emailNormalized', 'kind'],
      where: { emailNormalized: { [Op.in]: emails }, status: 'pending', expiresAt: { [Op.gt]: now } },
      transaction: ctx.transaction,
    });
    return new Set(rows.map((r) => `${r.emailNormalized} ${r.kind}`));
  }

  /** A fresh token and expiry for an existing invitation (resend, address edit): the old link dies. */
  async reissue(tx: TxContext, row: InvitationAttributes, roleNames: string[], inviterName: string, env: InviteEnvironment): Promise<{ link: string | null; expiresAt: Date }> {
    const now = this.clock.now();
    const token = newToken();
    const expiresAt = addMs(now, env.expiryHours * HOUR_MS);
    await this.models.Invitation.update(
      { tokenHash: hashToken(token), status: 'pending', expiresAt, sentAt: now, updatedAt: now },
      { where: { id: row.id }, transaction: tx.transaction },
    );
    const link = await this.deliver(tx, row, roleNames, token, expiresAt, inviterName, env);
    return { link, expiresAt };
  }

  /** Mails the invitation (method email) or returns the link to show once (method link). */
  private async deliver(
    tx: TxContext,
    row: Pick<InvitationAttributes, 'email' | 'deliveryEmail' | 'method' | 'givenName' | 'message'>,
    roleNames: string[],
    token: string,
    expiresAt: Date,
    inviterName: string,
    env: InviteEnvironment,
  ): Promise<string | null> {
    if (row.method === 'link') return this.acceptUrl(token);
    const { to, message } = this.mailOf(row, roleNames, token, expiresAt, inviterName, env);
    await this.outbox.enqueue(tx, to, message);
    return null;
  }

  /** The invitation email, to the delivery address when there is one. */
  private mailOf(
    row: Pick<InvitationAttributes, 'email' | 'deliveryEmail' | 'givenName' | 'message'>,
    roleNames: string[],
    token: string,
    expiresAt: Date,
    inviterName: string,
    env: InviteEnvironment,
  ): { to: string; message: MailMessage } {
    const acceptUrl = this.acceptUrl(token);
    return {
      to: row.deliveryEmail ?? row.email,
      message: invitationMail({ organizationName: env.organizationName, inviterName, roleNames, message: row.message, acceptUrl, expiresAt, givenName: row.givenName }),
    };
  }

  /** Role names of invitations, by invitation id. */
  async rolesOfInvitations(ids: string[], ctx?: Context): Promise<Map<string, Array<{ id: string; name: string }>>> {
    const result = new Map<string, Array<{ id: string; name: string }>>(ids.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const rows = await this.models.sequelizeQuery<{ invitation_id: string; id: string; name: string }>(
      'SELECT ir.invitation_id, r.id, r.name FROM invitation_roles ir JOIN roles r ON r.id = ir.role_id WHERE ir.invitation_id IN (:ids) ORDER BY r.name',
      { ids },
      ctx,
    );
    for (const r of rows) result.get(r.invitation_id)?.push({ id: r.id, name: r.name });
    return result;
  }

  normalizeEmail(email: string): string {
    return normalize(email);
  }
}
