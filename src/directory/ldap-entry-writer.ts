// Applies one directory entry to its account, each in its own transaction through the users
// service's creation, update, reactivation and deactivation paths (seats, audit and the
// AccessRevoker are theirs), together with the account's link row (DN, fingerprint). A
// refusal or failure rolls the whole entry back: no account is ever half-applied, and an
// interrupted run leaves every entry either applied whole or not at all.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Conflict, ValidationError } from '../errors.js';
import type { SeatService } from '../seats/seat-service.js';
import type { UserService } from '../users/user-service.js';
import type { UserStatus } from '../users/user-model.js';
import { normalize } from '../users/user-validation.js';
import type { MappedEntry } from './ldap-mapping.js';
import type { DirectoryStateWriter } from '../users/directory-state.js';
import { ambiguityMessage } from '../connections/external-ids.js';
import { BUILTIN_CONNECTIONS, type ConnectionService } from '../connections/connection-service.js';

/** The sync writes and matches externalIds under the LDAP connection only. */
const LDAP = BUILTIN_CONNECTIONS.ldap;

/** What the run knows of an account synced before (loaded once per run). */
export interface KnownAccount {
  id: string;
  status: UserStatus;
  version: number;
  externalId: string | null;
  /** Normalised; null for an account without an address. */
  email: string | null;
  fingerprint: string | null;
  userVersion: number | null;
  missingSince: boolean;
}

export interface KnownAccounts {
  all: KnownAccount[];
  /** Every account carrying each external id (several may: it is not unique). */
  byExternalId: Map<string, KnownAccount[]>;
  byEmail: Map<string, KnownAccount>;
  /** Accounts an ambiguous entry named: in the directory, so never deactivated as missing. */
  ambiguous: Set<string>;
}

export interface EntryResult {
  outcome: 'created' | 'updated' | 'reactivated' | 'unchanged' | 'deactivated';
  userId: string;
  label: string;
  message: string | null;
}

export const MISSING_REASON = 'Not in the directory any more (LDAP sync).';

export class LdapEntryWriter {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly directoryState: DirectoryStateWriter,
    private readonly seats: SeatService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly connections: ConnectionService,
  ) {}

  /** Accounts the directory manages (source 'ldap'), with what the last run applied and their LDAP external id. */
  async loadKnown(): Promise<KnownAccounts> {
    await this.connections.ensureBuiltin('ldap');
    const rows = await this.models.sequelizeQuery<{
      id: string; status: UserStatus; version: number | string; external_id_normalized: string | null; email_normalized: string | null;
      fingerprint: string | null; user_version: number | string | null; missing_since: unknown;
    }>(
      `SELECT u.id, u.status, u.version, x.external_id_normalized, u.email_normalized, la.fingerprint, la.user_version, la.missing_since
         FROM users u LEFT JOIN ldap_accounts la ON la.user_id = u.id
         LEFT JOIN user_external_ids x ON x.user_id = u.id AND x.connection_id = :connection
        WHERE u.source = 'ldap'`,
      { connection: LDAP.id },
    );
    const known: KnownAccounts = { all: [], byExternalId: new Map(), byEmail: new Map(), ambiguous: new Set() };
    for (const r of rows) {
      const account: KnownAccount = {
        id: r.id,
        status: r.status,
        version: Number(r.version),
        externalId: r.external_id_normalized,
        email: r.email_normalized,
        fingerprint: r.fingerprint,
        userVersion: r.user_version === null ? null : Number(r.user_version),
        missingSince: r.missing_since !== null && r.missing_since !== undefined,
      };
      this.remember(known, account);
    }
    return known;
  }

  /**
   * Applies one entry. Matches its account by external id, then by email, among accounts the
   * directory manages (an entry never takes over an account made elsewhere: its email clash
   * fails the row). Throws the users service's refusals (SeatLimitReached, ValidationError,
   * Conflict) for the run to report.
   */
  async apply(ctx: Context, mapped: MappedEntry, managedRoleIds: ReadonlySet<string>, known: KnownAccounts, seen: Set<string>): Promise<EntryResult> {
    const byExternal = mapped.externalId ? known.byExternalId.get(normalize(mapped.externalId)) ?? [] : [];
    if (byExternal.length > 1) {
      for (const a of byExternal) known.ambiguous.add(a.id);
      throw new Conflict(ambiguityMessage(mapped.externalId!, LDAP.name, byExternal.length), 'externalId');
    }
    const account = byExternal[0] ?? (mapped.profile.email ? known.byEmail.get(normalize(mapped.profile.email)) : undefined);
    if (account) {
      if (seen.has(account.id)) throw new Conflict('An earlier entry in this run matched the same account (same external id or email); this one was skipped.');
      seen.add(account.id);
    }
    if (!mapped.externalId) throw new ValidationError({ externalId: 'The entry has no value for the external id attribute, so it cannot be matched to an account.' });
    if (!account) {
      const created = await this.create(ctx, mapped);
      seen.add(created.id);
      this.remember(known, created);
      return { outcome: 'created', userId: created.id, label: mapped.label, message: null };
    }
    const reactivate = account.status === 'inactive' && account.missingSince;
    // Unchanged only while the account still carries the entry's external id: one found by
    // email gets it written back.
    const sameExternalId = account.externalId === normalize(mapped.externalId);
    if (!reactivate && sameExternalId && account.fingerprint === mapped.fingerprint && account.userVersion === account.version) {
      return { outcome: 'unchanged', userId: account.id, label: mapped.label, message: null };
    }
    return this.update(ctx, account, mapped, managedRoleIds, reactivate);
  }

  /** Deactivates an account whose entry is gone, remembering why (so its return reactivates it). */
  async deactivateMissing(ctx: Context, account: KnownAccount, label: string): Promise<EntryResult> {
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.users.deactivate(tx, account.id, MISSING_REASON);
      const now = this.clock.now();
      const link = await this.models.LdapAccount.findByPk(account.id, { transaction: tx.transaction });
      if (!link) throw new Error(`LDAP account ${account.id} has no link row`);
      await link.update({ missingSince: now, userVersion: user.version, syncedAt: now }, { transaction: tx.transaction });
      return { outcome: 'deactivated' as const, userId: account.id, label: user.username || label, message: MISSING_REASON };
    });
  }

  private async create(ctx: Context, mapped: MappedEntry): Promise<KnownAccount> {
    return this.seats.runTakingSeat(
      ctx,
      async (tx) => {
        const user = await this.users.create(tx, mapped.profile, { source: 'ldap', origin: 'directory', roleIds: mapped.roleIds });
        const now = this.clock.now();
        await this.models.LdapAccount.create({ userId: user.id, dn: mapped.dn, fingerprint: mapped.fingerprint, userVersion: user.version, missingSince: null, syncedAt: now }, { transaction: tx.transaction });
        return { id: user.id, status: user.status, version: user.version, externalId: normalize(mapped.externalId!), email: user.email === null ? null : normalize(user.email), fingerprint: mapped.fingerprint, userVersion: user.version, missingSince: false };
      },
      { type: 'user', label: mapped.label },
    );
  }

  private async update(ctx: Context, account: KnownAccount, mapped: MappedEntry, managedRoleIds: ReadonlySet<string>, reactivate: boolean): Promise<EntryResult> {
    return this.seats.runTakingSeat(
      ctx,
      async (tx) => {
        const current = await this.users.getForUpdate(tx, account.id);
        // Roles the mapping manages follow the groups; roles given by hand stay.
        const held = current.roles.map((r) => r.id);
        const roleIds = [...new Set([...held.filter((id) => !managedRoleIds.has(id)), ...mapped.roleIds])];
        const applied = await this.directoryState.apply(tx, current, {
          active: reactivate ? true : undefined,
          profile: mapped.profile,
          roleIds,
          rolesReason: 'LDAP group mapping',
          deactivationReason: MISSING_REASON,
        });
        const notes = reactivate ? [...applied.notes, 'back in the directory'] : applied.notes;
        const now = this.clock.now();
        await this.models.LdapAccount.upsert({ userId: account.id, dn: mapped.dn, fingerprint: mapped.fingerprint, userVersion: applied.user.version, missingSince: null, syncedAt: now }, { transaction: tx.transaction });
        const outcome: EntryResult['outcome'] = reactivate ? 'reactivated' : notes.length ? 'updated' : 'unchanged';
        return { outcome, userId: account.id, label: mapped.label, message: notes.length ? notes.join('; ') : null };
      },
      { type: 'user', label: mapped.label },
    );
  }

  private remember(known: KnownAccounts, account: KnownAccount): void {
    known.all.push(account);
    if (account.externalId) known.byExternalId.set(account.externalId, [...(known.byExternalId.get(account.externalId) ?? []), account]);
    if (account.email) known.byEmail.set(account.email, account);
  }
}
