// Applies one prepared CSV row in its own transaction through the users service: a new
// account (source 'csv'; active takes a seat, inactive none), or an existing one updated,
// deactivated or reactivated (which takes a seat), with its roles set to those the row
// names. A refusal rolls the row back whole and later rows carry on.
import { Op } from 'sequelize';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { Conflict, ValidationError } from '../errors.js';
import type { RoleService } from '../roles/role-service.js';
import type { CreateUserOptions, UserService } from '../users/user-service.js';
import type { Kind, UserAttributes, UserStatus } from '../users/user-model.js';
import type { PreparedRow } from './csv-import-row.js';
import type { CsvRow } from './csv-reader.js';
import { normalize } from '../users/user-validation.js';
import { changedProfile, sameIds, type DirectoryStateWriter } from '../users/directory-state.js';
import { ambiguityMessage, ExternalIds, type ExternalIdRef } from '../connections/external-ids.js';
import { BUILTIN_CONNECTIONS, type ConnectionService } from '../connections/connection-service.js';
import type { AccountBatchCreator, NewAccountResult } from '../users/account-batch.js';
import { failedOutcome, type RowOutcome } from '../batch.js';
import type { UserView } from '../users/user-presenter.js';

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
 * (normalised; every account carrying it, as several may) and, for rows with neither, by
 * username among the accounts CSV imports created.
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

type RowKeys = Pick<PreparedRow, 'emailKey' | 'externalIdKey' | 'usernameKey'>;

/** How a row that names no account creates one: active unless the file says inactive (which takes no seat). */
function createOptions(row: PreparedRow): CreateUserOptions {
  return { source: 'csv', origin: 'directory', status: row.status === 'inactive' ? 'inactive' : 'active', roleIds: row.roleIds ?? [], accessEndsAt: row.accessEndsAt ?? null };
}

export const CSV_DEACTIVATION_REASON = 'Deactivated by a CSV import.';

export class CsvRowWriter {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly directoryState: DirectoryStateWriter,
    private readonly connections: ConnectionService,
    private readonly batch: AccountBatchCreator,
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
      // By username only accounts the CSV connection created: a row never takes over another directory's or a page's account by its name.
      this.remember(index, account, u.emailNormalized, null, u.source === 'csv' ? u.usernameNormalized : null);
    }
    for (const [key, ids] of matching) index.byExternalId.set(key, ids.map((id) => accounts.get(id)).filter((a): a is ExistingAccount => !!a));
    return index;
  }

  /**
   * The row's account: by the CSV connection's external id, then by email (so
   * re-importing a file updates), then (a row with neither) by the username of an account a
   * CSV import created. An external id that
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
    if (!existing) return this.created(index, row, await this.users.create(ctx, row.input, createOptions(row)));
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

  /**
   * Applies a batch of rows in order, as `apply` one by one would, with the same outcome per
   * row; runs of rows that create accounts are created together by the batch creator (a
   * chunk per transaction). A row that may concern an account a pending creation makes, or
   * that changes an existing account, first lets the pending creations commit, so every
   * row sees the rows before it and seats are taken in file order.
   */
  async applyAll(ctx: Context, rows: readonly CsvRow[], prepare: (raw: CsvRow, isNew: boolean) => PreparedRow, keys: (raw: CsvRow) => RowKeys, index: AccountIndex, onRow: () => void): Promise<{ outcomes: RowOutcome<RowResult>[]; prepared: PreparedRow[] }> {
    const outcomes: RowOutcome<RowResult>[] = new Array(rows.length);
    const prepared: PreparedRow[] = [];
    let pending: Array<{ position: number; row: PreparedRow }> = [];
    const pendingKeys = new Set<string>();
    let pendingWithoutUsername = false;
    const settle = (position: number, outcome: RowOutcome<RowResult>) => {
      outcomes[position] = outcome;
      onRow();
    };
    const flush = async () => {
      if (!pending.length) return;
      const creating = pending;
      pending = [];
      pendingKeys.clear();
      pendingWithoutUsername = false;
      await this.batch.createMany(ctx, creating.map((p) => ({ input: p.row.input, options: createOptions(p.row) })), (k, result: NewAccountResult) => {
        const { position, row } = creating[k]!;
        settle(position, result.ok ? { index: position, ok: true, value: this.created(index, row, result.user) } : failedOutcome(position, result.error));
      });
    };
    for (let position = 0; position < rows.length; position++) {
      const raw = rows[position]!;
      const rowKeys = keys(raw);
      const named = [rowKeys.emailKey && `e:${rowKeys.emailKey}`, rowKeys.externalIdKey && `x:${rowKeys.externalIdKey}`, rowKeys.usernameKey && `u:${rowKeys.usernameKey}`].filter((k): k is string => !!k);
      if (named.some((k) => pendingKeys.has(k)) || (rowKeys.usernameKey && pendingWithoutUsername)) await flush();
      let row: PreparedRow;
      let existing: ExistingAccount | undefined;
      try {
        existing = this.match(index, rowKeys);
        row = prepare(raw, !existing);
      } catch (err) {
        settle(position, failedOutcome(position, err));
        continue;
      }
      prepared[position] = row;
      if (!existing && !Object.keys(row.problems).length) {
        pending.push({ position, row });
        for (const k of named) pendingKeys.add(k);
        const username = raw.values.username?.trim();
        if (username) pendingKeys.add(`u:${normalize(username)}`);
        else pendingWithoutUsername = true;
        continue;
      }
      if (existing) await flush();
      try {
        settle(position, { index: position, ok: true, value: await this.apply(ctx, row, index) });
      } catch (err) {
        settle(position, failedOutcome(position, err));
      }
    }
    await flush();
    return { outcomes, prepared };
  }

  private created(index: AccountIndex, row: PreparedRow, user: UserView): RowResult {
    this.remember(index, { id: user.id, status: user.status, kind: user.kind, snapshot: null }, row.emailKey, row.externalIdKey, normalize(user.username));
    return { outcome: 'created', userId: user.id, message: user.status === 'inactive' ? 'created inactive' : null };
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

  private remember(index: AccountIndex, account: ExistingAccount, email: string | null, externalId: string | null, username: string | null): void {
    if (email) index.byEmail.set(email, account);
    if (username) index.byUsername.set(username, account);
    if (externalId) index.byExternalId.set(externalId, [account]);
  }
}
