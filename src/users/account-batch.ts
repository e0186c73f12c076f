// Many new accounts at once (a CSV import, a directory's first sync, SCIM Bulk), through the
// same rules as UserService.create: the same validation, the same rows (new-account-row.ts),
// seats decided in input order (the rows within the limit created, the rest refused one by
// one and each refusal audited), roles checked by rolesForCreate, one audit event per account.
//
// What changes is the cost: accounts that validate cleanly are written a chunk at a time in
// one transaction, with one multi-row INSERT per table and the chunk's seats taken under one
// pool-row lock, instead of one transaction (one fsync) per account. Anything the batch
// cannot decide exactly as the single path would — a validation error, an address or
// username already taken or repeated in the batch, a password, a chunk the database refuses —
// goes through UserService.create itself, in its place in the order, so its outcome and
// message are the single path's by construction. Each chunk commits whole or not at all, and
// the event loop is yielded between chunks so interactive requests are served meanwhile.
import type { Context, TxContext } from '../context.js';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import { insertInto, type Param, type Statement } from '../db/sql.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { SeatLimitReached } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { RoleService, RoleView } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import { authorize } from '../roles/authorize.js';
import { ExternalIds } from '../connections/external-ids.js';
import { accessEndProblem } from './access-ends.js';
import { profileColumns, type ProfileColumns, type ProfileInput } from './user-input.js';
import { DIRECTORY_SOURCES, type Kind, type UserStatus } from './user-model.js';
import { presentUser, type UserView } from './user-presenter.js';
import { UserSearchIndex } from './user-search-index.js';
import type { CreateUserOptions, UserService } from './user-service.js';
import { UserValueStore } from './user-value-store.js';
import { normalize } from './user-validation.js';
import { newAccountRow, SEAT_HOLDING, searchableOf, withContact } from './new-account-row.js';
import { coalesceInserts } from '../db/coalesce-inserts.js';

/** Accounts per transaction: long enough to spread a commit's cost, short enough not to hold the write lock for long. */
export const ACCOUNT_CHUNK = 250;

export interface NewAccount {
  input: ProfileInput;
  options: CreateUserOptions;
}

export type NewAccountResult = { ok: true; user: UserView } | { ok: false; error: unknown };

/** An account checked for the batch: everything the single path would compute before its transaction. */
interface Prepared {
  position: number;
  columns: ProfileColumns;
  options: CreateUserOptions & { status: UserStatus };
  externalId: string | null | undefined;
  passwordHash: string | null;
}

/** A chunk the database refused (a race on a unique index, a role removed meanwhile): its accounts go one by one. */
class ChunkRefused extends Error {}

export class AccountBatchCreator {
  private readonly searchIndex: UserSearchIndex;
  private readonly externalIds: ExternalIds;
  private readonly values: UserValueStore;
  /** Accounts per transaction; 0 creates every account alone through UserService.create (the path the batch must equal). */
  chunkSize = ACCOUNT_CHUNK;

  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {
    this.searchIndex = new UserSearchIndex(models);
    this.externalIds = new ExternalIds(models);
    this.values = new UserValueStore(models.sql);
  }

  /**
   * Creates the accounts in order; one result per account, in the same order. `onResult`
   * hears each account's result as soon as it is committed (progress).
   */
  async createMany(ctx: Context, accounts: readonly NewAccount[], onResult?: (position: number, result: NewAccountResult) => void): Promise<NewAccountResult[]> {
    authorize(ctx.actor, 'users.manage');
    const results: NewAccountResult[] = new Array(accounts.length);
    const settle = (position: number, result: NewAccountResult) => {
      results[position] = result;
      onResult?.(position, result);
    };
    const single = async (position: number) => {
      const { input, options } = accounts[position]!;
      try {
        settle(position, { ok: true, user: await this.users.create(ctx, input, options) });
      } catch (error) {
        settle(position, { ok: false, error });
      }
    };
    // Inside a caller's transaction there is no chunk to commit: the single path.
    if (ctx.transaction || this.chunkSize <= 0) {
      for (let i = 0; i < accounts.length; i++) await single(i);
      return results;
    }
    const taken = await this.takenKeys(ctx, accounts);
    const seen = new Set<string>();
    let chunk: Prepared[] = [];
    const flush = async () => {
      if (!chunk.length) return;
      const written = chunk;
      chunk = [];
      try {
        const outcomes = await this.writeChunk(ctx, written);
        outcomes.forEach((result, k) => settle(written[k]!.position, result));
      } catch (err) {
        if (!(err instanceof ChunkRefused)) throw err;
        for (const p of written) await single(p.position);
      }
      // Interactive requests (sign-ins) get their turn between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    for (let i = 0; i < accounts.length; i++) {
      const prepared = await this.prepare(ctx, i, accounts[i]!);
      const keys = prepared ? keysOf(prepared.columns) : [];
      // A clash is the single path's to word (which index answers first is the database's).
      const clean = prepared && keys.every((k) => !taken.has(k) && !seen.has(k));
      for (const k of keys) seen.add(k);
      if (clean) {
        chunk.push(prepared);
        if (chunk.length >= this.chunkSize) await flush();
        continue;
      }
      await flush();
      // Its own keys are unknown when it did not validate: later accounts clash through the database then.
      await single(i);
      if (!prepared) for (const k of keysOfInput(accounts[i]!.input)) seen.add(k);
    }
    await flush();
    return results;
  }

  /** What UserService.create checks before its transaction; null when the single path must answer. */
  private async prepare(ctx: Context, position: number, account: NewAccount): Promise<Prepared | null> {
    const { input, options } = account;
    if (options.seatReserved) return null;
    try {
      const now = this.clock.now();
      const columns = profileColumns(input, options.origin, now, DIRECTORY_SOURCES.includes(options.source) ? 'new-from-directory' : 'new');
      if (options.accessEndsAt && accessEndProblem(options.accessEndsAt, now)) return null;
      const accessEndSetBy = options.accessEndsAt && options.accessEndSetBy === undefined ? ctx.actor.userId : options.accessEndSetBy;
      const externalId = this.users.externalIdFor(ctx, input);
      const passwordHash = await this.users.hashIfGiven(options.password, columns);
      return { position, columns, options: { ...options, accessEndSetBy, status: options.status ?? 'active' }, externalId, passwordHash };
    } catch {
      return null;
    }
  }

  /** Usernames and addresses the batch names that accounts already hold (one query per few hundred). */
  private async takenKeys(ctx: Context, accounts: readonly NewAccount[]): Promise<Set<string>> {
    const keys = [...new Set(accounts.flatMap((a) => keysOfInput(a.input)))];
    const taken = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      const marks = part.map(() => '?').join(',');
      const rows = await this.models.sql.select<{ username_normalized: string; email_normalized: string | null }>(
        `SELECT username_normalized, email_normalized FROM users WHERE username_normalized IN (${marks}) OR email_normalized IN (${marks})`,
        [...part, ...part],
        ctx,
      );
      for (const r of rows) {
        taken.add(r.username_normalized);
        if (r.email_normalized) taken.add(r.email_normalized);
      }
    }
    return taken;
  }

  /** One transaction: the chunk's seats, then every table's rows in one statement each. */
  private async writeChunk(ctx: Context, chunk: readonly Prepared[]): Promise<NewAccountResult[]> {
    try {
      return await this.transactions.run(ctx, async (tx) => {
        const roleSets = new Map<string, RoleView[]>();
        for (const p of chunk) {
          const key = roleKey(p.options.roleIds);
          if (!roleSets.has(key)) roleSets.set(key, await this.roles.rolesForCreate(tx, p.options.roleIds ?? []));
        }
        const refusals = await this.decideSeats(tx, chunk);
        const now = this.clock.now();
        const statements: Statement[] = [];
        const grants: Array<{ userId: string; roleId: string; createdAt: Date }> = [];
        const observed: Array<() => Promise<void>> = [];
        const results: NewAccountResult[] = [];
        for (const p of chunk) {
          const refusal = refusals.get(p.position);
          if (refusal) {
            // As the single path does after its rollback: the refusal is audited and survives.
            const audit = this.audit.prepare(tx, 'seats.limit_reached', { pool: refusal.pool, used: refusal.used, limit: refusal.limit, attempted: p.columns.username ?? p.columns.email ?? '' });
            statements.push(audit.statement);
            observed.push(audit.written);
            results.push({ ok: false, error: refusal });
            continue;
          }
          const row = newAccountRow(p.columns, p.options, p.passwordHash, now);
          const roles = roleSets.get(roleKey(p.options.roleIds))!;
          const external = p.externalId ? await this.externalIds.forNewAccount(tx, row.id, tx.connectionId!, p.externalId) : null;
          const created = this.audit.prepare(
            tx,
            'user.created',
            { source: p.options.source, status: p.options.status, kind: p.columns.kind, roles: roles.map((r) => r.name) },
            { type: 'user', id: row.id, label: p.columns.username },
          );
          const insert = insertInto(this.models.User, [row as unknown as Record<string, Param>]);
          statements.push(
            { sql: insert.statement, params: insert.params },
            ...this.searchIndex.insertStatements(row.id, searchableOf(p.columns)),
            ...(external ? [external.statement] : []),
            ...this.values.insertStatements(row.id, withContact(p.options.values ?? {}, p.columns)),
            created.statement,
          );
          observed.push(created.written);
          for (const role of roles) grants.push({ userId: row.id, roleId: role.id, createdAt: now });
          results.push({ ok: true, user: presentUser(row, roles, external ? [external.ref] : []) });
        }
        if (grants.length) {
          const insert = insertInto(this.models.UserRole, grants);
          statements.push({ sql: insert.statement, params: insert.params });
        }
        await this.models.sql.writeAll(coalesceInserts(statements), tx);
        // The roles that gained holders change version (their SCIM Groups), once per chunk.
        await this.roles.touch(tx, [...new Set(grants.map((g) => g.roleId))]);
        for (const written of observed) await written();
        return results;
      });
    } catch (err) {
      throw new ChunkRefused(err instanceof Error ? err.message : String(err));
    }
  }

  /** Seats for the chunk, pool by pool under one lock each; the accounts past the free seats, in order, are refused. */
  private async decideSeats(tx: TxContext, chunk: readonly Prepared[]): Promise<Map<number, SeatLimitReached>> {
    const wanting = new Map<Kind, Prepared[]>();
    for (const p of chunk) {
      if (!SEAT_HOLDING.includes(p.options.status)) continue;
      const pool = p.columns.kind!;
      wanting.set(pool, [...(wanting.get(pool) ?? []), p]);
    }
    const refusals = new Map<number, SeatLimitReached>();
    for (const [pool, want] of wanting) {
      const { granted, used, limit } = await this.seats.takeMany(tx, pool, want.length);
      for (const p of want.slice(granted)) refusals.set(p.position, new SeatLimitReached(pool, used, limit!));
    }
    return refusals;
  }
}

function roleKey(roleIds: readonly string[] | undefined): string {
  return [...new Set(roleIds ?? [])].sort().join(',');
}

/** The unique keys a validated account will hold. */
function keysOf(columns: ProfileColumns): string[] {
  return [columns.usernameNormalized, columns.emailNormalized].filter((k): k is string => !!k);
}

/** The unique keys an account's input names, before validation (for the batch's look-up). */
function keysOfInput(input: ProfileInput): string[] {
  return [input.username, input.email].filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => normalize(v.trim()));
}
