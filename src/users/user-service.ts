// Accounts: one creation path and one reactivation
// path for every source, each taking its seat in the same transaction; deactivation and
// deletion end access through the AccessRevoker inside theirs. Every change is audited.
import { Op, UniqueConstraintError } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import { insertInto, uniqueViolation, type Param } from '../db/sql.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Conflict, Forbidden, InvalidTransition, NotFound, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { RoleService } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import { authorize } from '../roles/authorize.js';
import { hashPassword } from '../passwords/password-hasher.js';
import { passwordProblem } from '../passwords/password-policy.js';
import type { AccessRevoker } from './access-revoker.js';
import { ACCESS_ENDED_REFUSAL, accessEndProblem } from './access-ends.js';
import type { AccountNotices, CredentialChange } from './account-notices.js';
import { missingPermissions, type GuardedChange } from '../roles/dominance.js';
import { externalIdOf, profileColumns, type ProfileColumns, type ProfileInput } from './user-input.js';
import { ExternalIds } from '../connections/external-ids.js';
import { displayNameOf, presentUser, type ClaimsProfile, type SignInAccount, type UserView } from './user-presenter.js';
import { DIRECTORY_FIELDS, DIRECTORY_SOURCES, type DirectoryField, type UserAttributes, type UserSource, type UserStatus } from './user-model.js';
import { normalize, textProblem, type Origin } from './user-validation.js';
import { UserSearchIndex } from './user-search-index.js';
import { UserValueStore } from './user-value-store.js';
import { checkValues, type MultiValued, type UserValue, type UserValues } from './user-values.js';
import { sortNameOf } from './user-search-terms.js';
import { newAccountRow, SEAT_HOLDING, searchableOf, withContact, type CreateUserOptions } from './new-account-row.js';

export type { CreateUserOptions };


export interface UpdateUserOptions {
  origin: Origin;
}

/**
 * Told, inside the change's transaction, when an account that had no email address is
 * given one (an activation waiting for an address can go out then).
 */
export type EmailAddedListener = (tx: TxContext, user: UserView) => Promise<void>;

/** The case-insensitive unique columns, in the order a clash is reported. */
const UNIQUE_COLUMNS = [
  { attribute: 'usernameNormalized', column: 'username_normalized', field: 'username' },
  { attribute: 'emailNormalized', column: 'email_normalized', field: 'email' },
] as const;

function uniqueConflict(field: (typeof UNIQUE_COLUMNS)[number]['field']): Conflict {
  const messages = {
    username: 'This username is already taken.',
    email: 'An account with this email address already exists.',
  };
  return new Conflict(messages[field], field);
}

/** Profile columns the users list searches or sorts by (user-search-terms.ts). */
const SEARCHED: ReadonlyArray<keyof ProfileColumns> = ['username', 'email', 'givenName', 'familyName', 'displayName', 'phone'];

/** Profile columns whose change the dominance rule guards. */
const GUARDED_COLUMNS: ReadonlyArray<[keyof ProfileColumns, GuardedChange]> = [['email', 'email'], ['username', 'username'], ['kind', 'kind']];
/** Fields a user may change on their own account page. */
const SELF_EDITABLE: ReadonlyArray<keyof ProfileInput> = ['givenName', 'familyName', 'displayName', 'phone', 'locale'];

export class UserService {
  constructor(
    private readonly models: Models,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly audit: AuditService,
    private readonly revoker: AccessRevoker,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly notices: AccountNotices,
  ) {
    this.searchIndex = new UserSearchIndex(models);
    this.externalIds = new ExternalIds(models);
    this.values = new UserValueStore(models.sql);
  }

  /** Each account's externalId per provisioning connection (not unique: RFC 7643 §3.1). */
  private readonly externalIds: ExternalIds;

  /** The multi-valued attributes directories keep on accounts. */
  private readonly values: UserValueStore;

  /** The users list's sort name and search terms, written with every profile change. */
  private readonly searchIndex: UserSearchIndex;
  private readonly emailAddedListeners: EmailAddedListener[] = [];

  /** Registers a listener for an address given to an account that had none (services.ts). */
  whenEmailAdded(listener: EmailAddedListener): void {
    this.emailAddedListeners.push(listener);
  }

  // ---- reads -------------------------------------------------------------------------

  async get(id: string, ctx?: Context): Promise<UserView> {
    const row = await this.models.User.findByPk(id, { transaction: ctx?.transaction });
    if (!row) throw new NotFound('No such user.');
    return this.present(row.get({ plain: true }), ctx);
  }

  async findByLogin(login: string, ctx?: Context): Promise<UserView | null> {
    const key = normalize(login.trim());
    const row = await this.models.User.findOne({ where: { [Op.or]: [{ usernameNormalized: key }, { emailNormalized: key }] }, transaction: ctx?.transaction });
    return row ? this.present(row.get({ plain: true }), ctx) : null;
  }

  /**
   * What a password sign-in needs of the account a login names (its username, else its
   * email), with the stored hash, in one read. The hash goes to the sign-in service only.
   */
  async findForSignIn(login: string): Promise<{ account: SignInAccount; passwordHash: string | null } | null> {
    const key = normalize(login.trim());
    const [row] = await this.models.sql.select<{ id: string; username: string; status: UserStatus; source: UserSource; password_hash: string | null; totp_enabled_at: unknown }>(
      'SELECT id, username, status, source, password_hash, totp_enabled_at FROM users WHERE username_normalized = ? OR email_normalized = ? ORDER BY CASE WHEN username_normalized = ? THEN 0 ELSE 1 END LIMIT 1',
      [key, key, key],
    );
    if (!row) return null;
    return { account: { id: row.id, username: row.username, status: row.status, source: row.source, totpEnabled: row.totp_enabled_at !== null }, passwordHash: row.password_hash };
  }

  /**
   * The profile an OIDC token's claims are made of, in one read, for active accounts only
   * (oidc-provider asks at every grant, refresh included); null for any other status.
   */
  async findActiveForClaims(id: string): Promise<ClaimsProfile | null> {
    const [row] = await this.models.sql.select<{ id: string; username: string; status: UserStatus; email: string | null; email_verified: number | boolean; given_name: string | null; family_name: string | null; display_name: string | null; locale: string | null; phone: string | null; verified_phone: string | null }>(
      'SELECT id, username, status, email, email_verified, given_name, family_name, display_name, locale, phone, verified_phone FROM users WHERE id = ?',
      [id],
    );
    if (!row || row.status !== 'active') return null;
    return {
      id: row.id,
      email: row.email,
      emailVerified: !!row.email_verified,
      name: displayNameOf({ displayName: row.display_name, givenName: row.given_name, familyName: row.family_name, username: row.username }),
      givenName: row.given_name,
      familyName: row.family_name,
      locale: row.locale,
      phone: row.phone,
      phoneVerified: row.phone !== null && row.verified_phone === row.phone,
    };
  }

  /** The stored argon2id hash, for sign-in only; never presented. */
  async passwordHashOf(userId: string): Promise<string | null> {
    const row = await this.models.User.findByPk(userId, { attributes: ['passwordHash'] });
    return row?.passwordHash ?? null;
  }

  async list(options: { limit?: number; status?: UserStatus } = {}): Promise<UserView[]> {
    const rows = await this.models.User.findAll({
      where: options.status ? { status: options.status } : {},
      order: [['createdAt', 'ASC'], ['id', 'ASC']],
      limit: Math.min(options.limit ?? 100, 1000),
    });
    const roles = await this.roles.roleRefsOfUsers(rows.map((r) => r.id));
    const externalIds = await this.externalIds.ofUsers(rows.map((r) => r.id));
    return rows.map((r) => presentUser(r.get({ plain: true }), roles.get(r.id)!, externalIds.get(r.id)));
  }

  /** Accounts by id, in the order asked (a page a query chose); unknown ids are left out. */
  async getMany(ids: readonly string[], ctx?: Context): Promise<UserView[]> {
    if (ids.length === 0) return [];
    const rows = await this.models.User.findAll({ where: { id: { [Op.in]: [...ids] } }, transaction: ctx?.transaction });
    const roles = await this.roles.roleRefsOfUsers(rows.map((r) => r.id), ctx);
    const externalIds = await this.externalIds.ofUsers(rows.map((r) => r.id), ctx);
    const byId = new Map(rows.map((r) => [r.id, presentUser(r.get({ plain: true }), roles.get(r.id)!, externalIds.get(r.id))]));
    return ids.map((id) => byId.get(id)).filter((v): v is UserView => !!v);
  }

  /** The account, its row locked for the rest of the transaction (edges check versions under it). */
  async getForUpdate(ctx: TxContext, id: string): Promise<UserView> {
    return this.present(await this.lockUser(ctx, id), ctx);
  }

  // ---- creation ----------------------------------------------------------------------

  /** The one creation path for every source. Takes a seat unless created inactive. */
  async create(ctx: Context, input: ProfileInput, options: CreateUserOptions): Promise<UserView> {
    authorize(ctx.actor, 'users.manage');
    if (options.seatReserved && !ctx.transaction) throw new Error('seatReserved is only valid inside the transaction that ends the reservation');
    const status = options.status ?? 'active';
    const columns = profileColumns(input, options.origin, this.clock.now(), DIRECTORY_SOURCES.includes(options.source) ? 'new-from-directory' : 'new');
    const accessEndProblemText = options.accessEndsAt ? accessEndProblem(options.accessEndsAt, this.clock.now()) : null;
    if (accessEndProblemText) throw new ValidationError({ accessEndsAt: accessEndProblemText });
    if (options.accessEndsAt && options.accessEndSetBy === undefined) options = { ...options, accessEndSetBy: ctx.actor.userId };
    const externalId = this.externalIdFor(ctx, input);
    const passwordHash = await this.hashIfGiven(options.password, columns);
    return this.seats.runTakingSeat(
      ctx,
      (tx) => this.insert(tx, columns, { ...options, status }, passwordHash, false, externalId),
      { type: 'user', label: columns.username ?? columns.email ?? '' },
    );
  }

  /** First-start setup and `create-owner`: the one account that may receive the owner role. */
  async createOwner(ctx: Context, input: ProfileInput, password: string): Promise<UserView> {
    const columns = profileColumns(input, 'page', this.clock.now(), 'new');
    const passwordHash = await this.hashIfGiven(password, columns);
    return this.seats.runTakingSeat(ctx, async (tx) => {
      if (await this.roles.ownerId(tx)) throw new Conflict('An owner already exists.');
      const owner = await this.roles.builtin('owner', tx);
      return this.insert(tx, columns, { source: 'setup', origin: 'page', status: 'active', emailVerified: false, roleIds: [owner.id] }, passwordHash, true);
    });
  }

  private async insert(tx: TxContext, columns: ProfileColumns, options: CreateUserOptions & { status: UserStatus }, passwordHash: string | null, allowOwner: boolean, externalId?: string | null): Promise<UserView> {
    const now = this.clock.now();
    const row = newAccountRow(columns, options, passwordHash, now);
    const roles = await this.roles.rolesForCreate(tx, options.roleIds ?? [], allowOwner);
    const external = externalId ? await this.externalIds.forNewAccount(tx, row.id, tx.connectionId!, externalId) : null;
    const view = presentUser(row, roles, external ? [external.ref] : []);
    const created = this.audit.prepare(
      tx,
      'user.created',
      { source: options.source, status: options.status, kind: columns.kind, roles: roles.map((r) => r.name) },
      { type: 'user', id: row.id, label: columns.username },
      view,
    );
    const takesSeat = SEAT_HOLDING.includes(options.status) && !options.seatReserved;
    const unlimited = takesSeat ? this.seats.unlimitedCondition(columns.kind!) : null;
    let seatTaken = false;
    // The account's rows as plain INSERTs (Sql.writeAll: every directory push and import
    // creates through here). No look-up first: the unique indexes answer, and their
    // refusal becomes the same friendly Conflict the look-up gives on updates.
    try {
      if (unlimited) {
        const conditional = insertInto(this.models.User, [row as unknown as Record<string, Param>], unlimited);
        seatTaken = (await this.models.sql.write(conditional.statement, conditional.params, tx)).affectedRows === 1;
        if (!seatTaken) this.seats.unlimitedRefuted(columns.kind!);
      }
      const insert = insertInto(this.models.User, [row as unknown as Record<string, Param>]);
      await this.models.sql.writeAll(
        [
          ...(seatTaken ? [] : [{ sql: insert.statement, params: insert.params }]),
          ...this.searchIndex.insertStatements(row.id, searchableOf(columns)),
          ...(external ? [external.statement] : []),
          ...this.values.insertStatements(row.id, withContact(options.values ?? {}, columns)),
          created.statement,
        ],
        tx,
      );
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === null) throw err;
      throw uniqueConflict(UNIQUE_COLUMNS.find((u) => index.includes(u.column))?.field ?? 'username');
    }
    await this.roles.grantOnCreate(tx, row.id, roles);
    await created.written();
    // Unless the conditional INSERT above took it, the seat is taken last, naming the row
    // just written: the pool row's lock is then held only until commit, so parallel
    // creations queue for milliseconds, not for the whole creation (bench:seats). A refusal
    // still rolls everything above back.
    if (takesSeat && !seatTaken) await this.seats.take(tx, columns.kind!, { writtenUserId: row.id });
    return view;
  }

  // ---- profile -----------------------------------------------------------------------

  /**
   * Updates profile fields. Admins (users.manage) may change everything including kind
   * (which takes a seat in the new pool); a user may change their own names, phone, locale.
   */
  async update(ctx: Context, id: string, input: ProfileInput, options: UpdateUserOptions): Promise<UserView> {
    const self = ctx.actor.userId === id;
    const keys = Object.keys(input).filter((k) => input[k as keyof ProfileInput] !== undefined) as Array<keyof ProfileInput>;
    if (!self || keys.some((k) => !SELF_EDITABLE.includes(k))) authorize(ctx.actor, 'users.manage');
    const columns = profileColumns(input, options.origin, this.clock.now(), 'change');
    const externalId = this.externalIdFor(ctx, input);
    return this.seats.runTakingSeat(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      const changed = (Object.keys(columns) as Array<keyof ProfileColumns>).filter((k) => columns[k] !== user[k]);
      const externalIdChange = externalId === undefined ? null : await this.setExternalId(tx, user, externalId);
      if (changed.length === 0 && !externalIdChange) return this.present(user, tx);
      // Only a directory, which owns its people's data, may take an address away: on every
      // other path an account keeps one once it has one.
      if (columns.email === null && user.email !== null && options.origin !== 'directory') throw new ValidationError({ email: 'Email is required.' });
      for (const [column, change] of GUARDED_COLUMNS) if (changed.includes(column)) await this.assertMayChange(tx, user, change);
      await this.assertUnique(tx, columns, id);
      const kindChanged = columns.kind !== undefined && columns.kind !== user.kind;
      if (kindChanged && SEAT_HOLDING.includes(user.status)) await this.seats.take(tx, columns.kind!);
      const searchable = searchableOf({ ...user, ...columns });
      const searchChanged = SEARCHED.some((k) => changed.includes(k));
      const emailChanged = columns.emailNormalized !== undefined && columns.emailNormalized !== user.emailNormalized;
      // A new address is not proven until confirmed, whoever set it; when someone else set
      // it, whoever holds the account's sessions is signed out too.
      const byOther = emailChanged && !self;
      const now = this.clock.now();
      await this.translateUniqueErrors(() =>
        this.models.User.update(
          { ...columns, ...(searchChanged ? { sortName: sortNameOf(searchable) } : {}), ...(emailChanged ? { emailVerified: false } : {}), version: user.version + 1, updatedAt: now },
          { where: { id }, transaction: tx.transaction },
        ),
      );
      if (searchChanged) await this.searchIndex.replace(tx, id, searchable);
      if (emailChanged) await this.values.follow(tx, id, 'emails', user.email, columns.email ?? null);
      if (columns.phone !== undefined && columns.phone !== user.phone) await this.values.follow(tx, id, 'phoneNumbers', user.phone, columns.phone);
      if (emailChanged && user.emailNormalized) await this.seats.addressReleased(tx, user.emailNormalized);
      const visible: string[] = changed.filter((k) => !k.endsWith('Normalized'));
      if (externalIdChange) visible.push('externalId');
      const updated = await this.get(id, tx);
      await this.audit.record(tx, 'user.updated', { fields: visible, ...(externalIdChange ? { externalId: externalIdChange } : {}) }, { type: 'user', id, label: columns.username ?? user.username }, updated);
      if (kindChanged) await this.audit.record(tx, 'user.kind_changed', { from: user.kind, to: columns.kind }, { type: 'user', id, label: user.username }, updated);
      if (emailChanged) {
        // The old address hears of every change, one's own included: a hijacked session
        // must not move the account's mail silently.
        await this.notices.emailChanged(tx, user, columns.email ?? null, now);
        if (byOther) await this.revoker.revokeAll(tx, id, 'email_changed');
        await this.audit.record(tx, 'user.email_changed', { from: user.email, to: columns.email }, { type: 'user', id, label: columns.username ?? user.username }, updated);
      }
      if (emailChanged && user.email === null) for (const listener of this.emailAddedListeners) await listener(tx, updated);
      return updated;
    });
  }

  /** Sets a password (admin reset, invitation accept, self-service). */
  async setPassword(ctx: Context, id: string, password: string): Promise<void> {
    if (ctx.actor.userId !== id) authorize(ctx.actor, 'users.manage');
    const current = await this.get(id, ctx);
    const problem = passwordProblem(password, { email: current.email, username: current.username });
    if (problem) throw new ValidationError({ password: problem });
    const passwordHash = await hashPassword(password);
    await this.transactions.run(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      await this.assertMayChange(tx, user, 'password');
      await this.models.User.update({ passwordHash, version: user.version + 1, updatedAt: this.clock.now() }, { where: { id }, transaction: tx.transaction });
      await this.audit.record(tx, 'user.password_set', {}, { type: 'user', id, label: user.username });
      // A password someone else chose: whoever held the old one is signed out, and the owner hears.
      // Changed by the person: every session ends, so one opened with the old password
      // cannot stay (the page that made the change opens itself a fresh one).
      if (tx.actor.userId !== id) await this.credentialChangedByOther(tx, user, 'password');
      else await this.revoker.revokeAll(tx, id, 'password_changed');
    });
  }

  /**
   * Someone else changed a credential (the password, the second factor): every session and
   * refresh token ends, and the account's verified address is told. Inside the change's
   * transaction, which holds the account's row lock.
   */
  async credentialChangedByOther(tx: TxContext, user: Pick<UserAttributes, 'id' | 'username' | 'email' | 'emailVerified'>, change: CredentialChange): Promise<void> {
    await this.revoker.revokeAll(tx, user.id, change === 'password' ? 'password_set' : 'second_factor_reset');
    await this.notices.credentialChanged(tx, user, change);
  }

  /**
   * Puts back an address someone else replaced ("it wasn't me", email-restore-links.ts):
   * the old mailbox followed a link only it received, so the address is verified again;
   * every session, token and pending reset link ends, as they may belong to whoever made
   * the change.
   */
  async restoreEmail(tx: TxContext, id: string, oldEmail: string): Promise<UserView> {
    const user = await this.lockUser(tx, id);
    const columns = profileColumns({ email: oldEmail }, 'directory', this.clock.now(), 'change');
    const now = this.clock.now();
    if (columns.emailNormalized !== user.emailNormalized) {
      await this.assertUnique(tx, columns, id);
      const searchable = searchableOf({ ...user, ...columns });
      await this.translateUniqueErrors(() =>
        this.models.User.update(
          { email: columns.email, emailNormalized: columns.emailNormalized, sortName: sortNameOf(searchable), emailVerified: true, version: user.version + 1, updatedAt: now },
          { where: { id }, transaction: tx.transaction },
        ),
      );
      await this.searchIndex.replace(tx, id, searchable);
      await this.values.follow(tx, id, 'emails', user.email, columns.email ?? null);
      if (user.emailNormalized) await this.seats.addressReleased(tx, user.emailNormalized);
    } else {
      await this.models.User.update({ emailVerified: true, version: user.version + 1, updatedAt: now }, { where: { id }, transaction: tx.transaction });
    }
    await this.models.PasswordReset.update({ usedAt: now }, { where: { userId: id, usedAt: null }, transaction: tx.transaction });
    await this.revoker.revokeAll(tx, id, 'email_restored');
    const view = await this.get(id, tx);
    await this.audit.record(tx, 'user.email_restored', { from: user.email, to: columns.email }, { type: 'user', id, label: user.username }, view);
    return view;
  }

  async recordSignIn(id: string): Promise<void> {
    await this.models.sql.write('UPDATE users SET last_sign_in_at = ? WHERE id = ?', [this.clock.now(), id]);
  }

  // ---- multi-valued attributes -----------------------------------------------------

  /** Each account's multi-valued attributes (accounts with none are absent). */
  async valuesOf(ids: readonly string[], ctx?: Context): Promise<Map<string, UserValues>> {
    return this.values.read(ids, ctx);
  }

  /** The value an account marks primary, else its first (an OIDC address or phone claim). */
  async primaryValue(id: string, attribute: 'addresses' | 'phoneNumbers'): Promise<UserValue | null> {
    const list = (await this.values.read([id])).get(id)?.[attribute] ?? [];
    return list.find((v) => v.primary === true) ?? list[0] ?? null;
  }

  /**
   * Replaces the given attributes' values (a directory's write) on an account the caller
   * locked in `tx`. The caller keeps the account's email and phone among them (it chose the
   * account's email and phone from the same values).
   */
  async updateValues(tx: TxContext, id: string, values: UserValues): Promise<MultiValued[]> {
    authorize(tx.actor, 'users.manage');
    checkValues(values);
    const changed = await this.values.write(tx, id, values);
    if (changed.length === 0) return changed;
    await this.models.sql.write('UPDATE users SET version = version + 1, updated_at = ? WHERE id = ?', [this.clock.now(), id], tx);
    const user = await this.models.User.findByPk(id, { attributes: ['username'], transaction: tx.transaction });
    await this.audit.record(tx, 'user.updated', { fields: changed }, { type: 'user', id, label: user?.username ?? id });
    return changed;
  }

  // ---- status transitions -------------------------------------------------------------

  /** Marks the address proven (a confirmation link followed) without changing the status. */
  async markEmailVerified(ctx: Context, id: string): Promise<UserView> {
    if (ctx.actor.userId !== id) authorize(ctx.actor, 'users.manage');
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      if (user.emailVerified) return this.present(user, tx);
      await this.models.User.update({ emailVerified: true, version: user.version + 1, updatedAt: this.clock.now() }, { where: { id }, transaction: tx.transaction });
      const view = await this.get(id, tx);
      await this.audit.record(tx, 'user.email_verified', {}, { type: 'user', id, label: user.username }, view);
      return view;
    });
  }

  /** unconfirmed → active (email link or an admin's manual confirmation). */
  async confirm(ctx: Context, id: string, options: { emailVerified: boolean }): Promise<UserView> {
    if (ctx.actor.userId !== id) authorize(ctx.actor, 'users.manage');
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      if (user.status !== 'unconfirmed') throw new InvalidTransition(`Only unconfirmed accounts can be confirmed; this one is ${user.status}.`);
      await this.assertMayChange(tx, user, 'status');
      await this.models.User.update(
        { status: 'active', emailVerified: options.emailVerified || user.emailVerified, version: user.version + 1, updatedAt: this.clock.now() },
        { where: { id }, transaction: tx.transaction },
      );
      const view = await this.get(id, tx);
      await this.audit.record(tx, 'user.confirmed', { emailVerified: options.emailVerified }, { type: 'user', id, label: user.username }, view);
      return view;
    });
  }

  /** active → inactive; ends every session and token in the same transaction. */
  async deactivate(ctx: Context, id: string, reason?: string | null): Promise<UserView> {
    authorize(ctx.actor, 'users.manage');
    const cleanReason = reason?.trim() || null;
    if (cleanReason) {
      const problem = textProblem('Reason', cleanReason, 500, 'multi');
      if (problem) throw new ValidationError({ reason: problem });
    }
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      if (user.status !== 'active') throw new InvalidTransition(`Only active accounts can be deactivated; this one is ${user.status}.`);
      const ownerId = await this.roles.ownerId(tx);
      if (ownerId === id) throw new Forbidden('The owner cannot be deactivated. Transfer ownership first.');
      // Deactivation is not power: users.manage suffices, so offboarding never fails; the
      // owner hears when the account held more than its actor.
      const missing = missingPermissions(tx.actor, await this.roles.effectivePermissionsOf(id, tx));
      if (missing.length && ownerId && ownerId !== tx.actor.userId) await this.notices.deactivatedByWeakerActor(tx, ownerId, user, missing);
      const now = this.clock.now();
      await this.models.User.update(
        { status: 'inactive', deactivatedAt: now, deactivationReason: cleanReason, version: user.version + 1, updatedAt: now },
        { where: { id }, transaction: tx.transaction },
      );
      await this.revoker.revokeAll(tx, id, 'deactivated');
      const view = await this.get(id, tx);
      await this.audit.record(tx, 'user.deactivated', { reason: cleanReason }, { type: 'user', id, label: user.username }, view);
      return view;
    });
  }

  /** The one reactivation path for every source: inactive → active, taking a seat. */
  async reactivate(ctx: Context, id: string): Promise<UserView> {
    authorize(ctx.actor, 'users.manage');
    return this.seats.runTakingSeat(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      if (user.status !== 'inactive') throw new InvalidTransition(`Only inactive accounts can be reactivated; this one is ${user.status}.`);
      // An end date that has passed would end the access again at once: the same request
      // moves or clears it first (AccessEnds.reactivateWith, a directory's state).
      if (user.accessEndsAt && user.accessEndsAt.getTime() <= this.clock.now().getTime()) throw new InvalidTransition(ACCESS_ENDED_REFUSAL);
      await this.assertMayChange(tx, user, 'status');
      await this.seats.take(tx, user.kind);
      await this.models.User.update(
        { status: 'active', deactivatedAt: null, deactivationReason: null, version: user.version + 1, updatedAt: this.clock.now() },
        { where: { id }, transaction: tx.transaction },
      );
      const view = await this.get(id, tx);
      await this.audit.record(tx, 'user.reactivated', {}, { type: 'user', id, label: user.username }, view);
      return view;
    });
  }

  /** Removes the account; the audit trail keeps its id and labels ("deleted user"). */
  async delete(ctx: Context, id: string): Promise<void> {
    authorize(ctx.actor, 'users.manage');
    await this.transactions.run(ctx, async (tx) => {
      const user = await this.lockUser(tx, id);
      if (await this.roles.isOwner(id, tx)) throw new Forbidden('The owner cannot be deleted. Transfer ownership first.');
      await this.assertMayChange(tx, user, 'delete');
      await this.revoker.revokeAll(tx, id, 'deleted');
      // The roles it held lose a holder: their SCIM Groups change version.
      const held = await this.models.UserRole.findAll({ attributes: ['roleId'], where: { userId: id }, transaction: tx.transaction });
      await this.roles.touch(tx, held.map((l) => l.roleId));
      await this.models.UserRole.destroy({ where: { userId: id }, transaction: tx.transaction });
      await this.externalIds.removeAll(tx, id);
      await this.models.User.destroy({ where: { id }, transaction: tx.transaction });
      if (user.emailNormalized) await this.seats.addressReleased(tx, user.emailNormalized);
      await this.audit.record(tx, 'user.deleted', { username: user.username, email: user.email, status: user.status }, { type: 'user', id, label: user.username });
    });
  }

  // ---- helpers -----------------------------------------------------------------------

  /**
   * The externalId the input sets (undefined: none), refused outside a provisioning
   * connection: the value is the connection's identifier for the account, so only a
   * directory acting for one may write it.
   */
  externalIdFor(ctx: Context, input: ProfileInput): string | null | undefined {
    const value = externalIdOf(input);
    if (value === undefined || ctx.connectionId) return value;
    if (value === null) return undefined;
    throw new ValidationError({ externalId: 'An external id belongs to a provisioning connection (a SCIM token, the LDAP sync, a CSV import); it cannot be set here.' });
  }

  /** Writes the connection's value when it differs; what changed, for the audit trail. */
  private async setExternalId(tx: TxContext, user: Pick<UserAttributes, 'id'>, value: string | null): Promise<{ connection: string; from: string | null; to: string | null } | null> {
    const connectionId = tx.connectionId!;
    const before = await this.externalIds.set(tx, user.id, connectionId, value);
    if (before === value) return null;
    const connection = await this.models.ProvisioningConnection.findByPk(connectionId, { attributes: ['name'], transaction: tx.transaction });
    return { connection: connection?.name ?? connectionId, from: before, to: value };
  }

  async hashIfGiven(password: string | null | undefined, columns: ProfileColumns): Promise<string | null> {
    if (password === undefined || password === null || password === '') return null;
    const problem = passwordProblem(password, { email: columns.email, username: columns.username });
    if (problem) throw new ValidationError({ password: problem });
    return hashPassword(password);
  }

  /** The dominance rule on a locked account (role-service.ts, dominance.ts). */
  async assertMayChange(tx: TxContext, user: Pick<UserAttributes, 'id' | 'username'>, change: GuardedChange): Promise<void> {
    await this.roles.assertMayChange(tx, { id: user.id, label: user.username }, change);
  }

  private async lockUser(tx: TxContext, id: string): Promise<UserAttributes> {
    const row = await this.models.User.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
    if (!row) throw new NotFound('No such user.');
    return row.get({ plain: true });
  }

  /** Friendly uniqueness messages; the unique indexes remain the guarantee under races. */
  private async assertUnique(ctx: Context, columns: ProfileColumns, exceptId?: string): Promise<void> {
    for (const { attribute, field } of UNIQUE_COLUMNS) {
      const value = columns[attribute];
      if (value === undefined || value === null) continue;
      const clash = await this.models.User.findOne({ attributes: ['id'], where: { [attribute]: value }, transaction: ctx.transaction });
      if (clash && clash.id !== exceptId) throw uniqueConflict(field);
    }
  }

  private async translateUniqueErrors<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (err instanceof UniqueConstraintError) {
        // Only the constraint's column or index names, never the duplicate value: a username
        // such as "email.admin" must not be reported as an email clash. SQLite gives column
        // names as an array, MySQL an object keyed by the index name.
        const fields = err.fields as unknown;
        const text = (Array.isArray(fields) ? fields : Object.keys((fields as object | undefined) ?? {})).join(' ');
        throw uniqueConflict(UNIQUE_COLUMNS.find((u) => text.includes(u.column))?.field ?? 'username');
      }
      throw err;
    }
  }

  private async present(row: UserAttributes, ctx?: Context): Promise<UserView> {
    return presentUser(row, await this.roles.roleRefsOf(row.id, ctx), (await this.externalIds.ofUsers([row.id], ctx)).get(row.id));
  }
}
