// Applies one prepared CSV row in its own transaction through the users service: a new
// account (source 'csv'; active takes a seat, inactive none), or an existing one updated,
// deactivated or reactivated (which takes a seat), with its roles set to those the row
// names. A refusal rolls the row back whole and later rows carry on.
import { Op } from 'sequelize';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { Conflict, ValidationError } from '../errors.js';
import type { RoleService } from '../roles/role-service.js';
import type { UserService } from '../users/user-service.js';
import type { Kind, UserAttributes, UserStatus } from '../users/user-model.js';
import type { PreparedRow } from './csv-import-row.js';
import { normalize } from '../users/user-validation.js';
import { changedProfile, sameIds, type DirectoryStateWriter } from '../users/directory-state.js';
import { ambiguityMessage, ExternalIds, type ExternalIdRef } from '../connections/external-ids.js';
import { BUILTIN_CONNECTIONS, type ConnectionService } from '../connections/connection-service.js';

/** Every CSV import writes and matches externalIds under one connection. */
const CSV = BUILTIN_CONNECTIONS.csv;

export interface ExistingAccount {
  id: string;
  status: UserStatus;
  kind: Kind;
  /** The account as the batch's lookup saw it: a row equal to it is skipped without a transaction. */
  snapshot: { profile: UserAttributes & { externalIds: ExternalIdRef[] }; roleIds: string[]; ownerRoleId: string | null } | null;
}

/**
 * Accounts a batch of rows refers to, by email, by the CSV connection's external id
 * (normalised; every account carrying it, as several may) and, for rows with neither, by username.
 */
export interface AccountIndex {
  byExternalId: Map<string, ExistingAccount[]>;
  byEmail: Map<string, ExistingAccount>;
  byUsername: Map<string, ExistingAccount>;
}

export interface RowResult {
  outcome: 'created' | 'updated' | 'reactivated' | 'deactivated' | 'unchanged';
  userId: string;
  message: string | null;
}

export const CSV_DEACTIVATION_REASON = 'Deactivated by a CSV import.';

export class CsvRowWriter {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly directoryState: DirectoryStateWriter,
    private readonly connections: ConnectionService,
  ) {
    this.externalIds = new ExternalIds(models);
  }

  private readonly externalIds: ExternalIds;

  /** A few queries for a whole batch of rows: the accounts it names, their roles and external ids. */
  async index(rows: ReadonlyArray<Pick<PreparedRow, 'emailKey' | 'externalIdKey' | 'usernameKey'>>): Promise<AccountIndex> {
    await this.connections.ensureBuiltin('csv');
    const emails = [...new Set(rows.map((r) => r.emailKey).filter((v): v is string => !!v))];
    const externalIds = [...new Set(rows.map((r) => r.externalIdKey).filter((v): v is string => !!v))];
    const usernames = [...new Set(rows.map((r) => r.usernameKey).filter((v): v is string => !!v))];
    const index: AccountIndex = { byExternalId: new Map(), byEmail: new Map(), byUsername: new Map() };
    if (!emails.length && !externalIds.length && !usernames.length) return index;
    const matching = await this.externalIds.accountsMatching(CSV.id, externalIds);
    const matchedIds = [...matching.values()].flat();
    const found = await this.models.User.findAll({
      where: {
        [Op.or]: [
          ...(emails.length ? [{ emailNormalized: { [Op.in]: emails } }] : []),
          ...(matchedIds.length ? [{ id: { [Op.in]: matchedIds } }] : []),
          ...(usernames.length ? [{ usernameNormalized: { [Op.in]: usernames } }] : []),
        ],
      },
    });
    const refs = await this.externalIds.ofUsers(found.map((u) => u.id));
    const links = found.length ? await this.models.UserRole.findAll({ attributes: ['userId', 'roleId'], where: { userId: { [Op.in]: found.map((u) => u.id) } } }) : [];
    const roleIds = new Map<string, string[]>(found.map((u) => [u.id, []]));
    for (const l of links) roleIds.get(l.userId)!.push(l.roleId);
    const owner = await this.roles.builtin('owner');
    const accounts = new Map<string, ExistingAccount>();
    for (const u of found) {
      const held = roleIds.get(u.id)!;
      const snapshot = { profile: { ...u.get({ plain: true }), externalIds: refs.get(u.id) ?? [] }, roleIds: held, ownerRoleId: held.includes(owner.id) ? owner.id : null };
      const account = { id: u.id, status: u.status, kind: u.kind, snapshot };
      accounts.set(u.id, account);
      this.remember(index, account, u.emailNormalized, null, u.usernameNormalized);
    }
    for (const [key, ids] of matching) index.byExternalId.set(key, ids.map((id) => accounts.get(id)).filter((a): a is ExistingAccount => !!a));
    return index;
  }

  /**
   * The row's account: by the CSV connection's external id, then by email (so
   * re-importing a file updates), then (a row with neither) by username. An external id that
   * several accounts carry is refused, never guessed.
   */
  match(index: AccountIndex, row: Pick<PreparedRow, 'emailKey' | 'externalIdKey' | 'usernameKey'>): ExistingAccount | undefined {
    const byExternalId = row.externalIdKey ? index.byExternalId.get(row.externalIdKey) ?? [] : [];
    if (byExternalId.length > 1) throw new Conflict(ambiguityMessage(row.externalIdKey!, CSV.name, byExternalId.length), 'externalId');
    return byExternalId[0] ?? (row.emailKey ? index.byEmail.get(row.emailKey) : undefined) ?? (row.usernameKey ? index.byUsername.get(row.usernameKey) : undefined);
  }

  async apply(ctx: Context, row: PreparedRow, index: AccountIndex): Promise<RowResult> {
    if (Object.keys(row.problems).length) throw new ValidationError(row.problems);
    const existing = this.match(index, row);
    if (!existing) {
      const status = row.status === 'inactive' ? 'inactive' : 'active';
      const user = await this.users.create(ctx, row.input, { source: 'csv', origin: 'directory', status, roleIds: row.roleIds ?? [], accessEndsAt: row.accessEndsAt ?? null });
      this.remember(index, { id: user.id, status: user.status, kind: user.kind, snapshot: null }, row.emailKey, row.externalIdKey, normalize(user.username));
      return { outcome: 'created', userId: user.id, message: status === 'inactive' ? 'created inactive' : null };
    }
    if (this.unchanged(row, existing)) return { outcome: 'unchanged', userId: existing.id, message: null };
    const applied = await this.directoryState.setState(ctx, existing.id, () => ({
      active: row.status === 'inactive' ? false : row.status === 'active' ? true : undefined,
      profile: row.input,
      roleIds: row.roleIds ?? undefined,
      rolesReason: 'CSV import',
      deactivationReason: CSV_DEACTIVATION_REASON,
      accessEndsAt: row.accessEndsAt,
    }));
    existing.status = applied.user.status;
    existing.kind = applied.user.kind;
    existing.snapshot = null;
    return { outcome: applied.outcome, userId: existing.id, message: applied.notes.length ? applied.notes.join('; ') : null };
  }

  /** The row asks for nothing the account does not already have (re-importing a file). */
  private unchanged(row: PreparedRow, existing: ExistingAccount): boolean {
    const snap = existing.snapshot;
    if (!snap || row.accessEndsAt !== undefined) return false;
    if (Object.keys(changedProfile(snap.profile, row.input, CSV.id)).length) return false;
    const status = snap.profile.status;
    if ((row.status === 'inactive' && status === 'active') || (row.status === 'active' && status === 'inactive')) return false;
    return !row.roleIds || sameIds(snap.roleIds, [...row.roleIds, ...(snap.ownerRoleId ? [snap.ownerRoleId] : [])]);
  }

  private remember(index: AccountIndex, account: ExistingAccount, email: string | null, externalId: string | null, username: string): void {
    if (email) index.byEmail.set(email, account);
    index.byUsername.set(username, account);
    if (externalId) index.byExternalId.set(externalId, [account]);
  }
}
