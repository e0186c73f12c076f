// The admin users list: accounts and, merged in,
// invited addresses without an account (Pending / Expired); search by name, email or
// phone; filter by status, role and kind; group by department or role; sort; cursor
// paging (next/previous) with the total. Reads only: pages render what this returns.
//
// Paging is by keyset (user-directory-sql.ts), so a page deep in the list costs what the
// first does. Grouped lists are read group after group in the groups' order (a few
// queries per page, each an index walk), because ordering every row by its group and
// then by the sort key in one query would sort the whole table.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import type { Models } from '../db/models.js';
import { ValidationError } from '../errors.js';
import { authorize } from '../roles/authorize.js';
import { decodeCursor, encodeCursor, type Cursor, type SortValue } from './directory-cursor.js';
import { KINDS, type Kind } from './user-model.js';
import { displayNameOf } from './user-presenter.js';
import { parseSearch } from './user-search-terms.js';
import {
  DEFAULT_ORDER, DirectorySql, GROUP_BYS, LIST_STATUSES, SORT_KEYS,
  type Filters, type GroupBy, type GroupFilter, type ListStatus, type Order, type RawRow, type SortKey,
} from './user-directory-sql.js';

export { LIST_STATUSES, SORT_KEYS, GROUP_BYS, DEFAULT_ORDER, type ListStatus, type SortKey, type GroupBy, type Order };

/** Expired invitations older than 30 days are archived. */
const ARCHIVE_AFTER_MS = 30 * 24 * 3_600_000;
export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;
/** The "ending within" filter's choices, in days. */
export const ENDING_WITHIN_DAYS = [7, 30] as const;

export interface DirectoryQuery {
  search?: string | null;
  status?: ListStatus | null;
  roleId?: string | null;
  kind?: Kind | null;
  /** Only accounts whose access ends within this many days (ENDING_WITHIN_DAYS). */
  endingWithinDays?: number | null;
  groupBy?: GroupBy | null;
  sort?: SortKey | null;
  order?: Order | null;
  cursor?: string | null;
  limit?: number | null;
}

export interface DirectoryRow {
  /** An account, or an invited address without one (its id is the invitation's). */
  type: 'account' | 'invitee';
  id: string;
  username: string | null;
  name: string;
  /** Null: an account a directory made without an address (invitees always have one). */
  email: string | null;
  phone: string | null;
  department: string | null;
  title: string | null;
  kind: Kind;
  status: ListStatus;
  roles: Array<{ id: string; name: string }>;
  /** Registration date; for an invitee, when they were invited. */
  createdAt: Date;
  lastActivityAt: Date | null;
  /** Invitees only: when their latest invitation expires (or expired). */
  invitationExpiresAt: Date | null;
  /** When access ends (for an invitee: the end date its account will get). */
  accessEndsAt: Date | null;
  /** The group the row is listed under (grouped lists only). */
  group?: string | null;
}

export interface DirectoryGroup {
  key: string | null;
  label: string;
  count: number;
}

export interface DirectoryPage {
  rows: DirectoryRow[];
  /** People (accounts and invited addresses) matching the filters. */
  total: number;
  /** Grouped lists: every group with its count, in order. */
  groups: DirectoryGroup[] | null;
  next: string | null;
  previous: string | null;
  /** The query as applied (defaults filled in). */
  applied: Required<Omit<DirectoryQuery, 'cursor'>> & { sort: SortKey; order: Order; limit: number };
}

export interface RoleChoice {
  id: string;
  name: string;
  builtin: string | null;
}

export class UserDirectory {
  constructor(
    private readonly models: Models,
    private readonly db: Pick<Database, 'dialect'>,
    private readonly clock: Clock,
  ) {}

  /**
   * `strictCursor`: a cursor that is not this list's (edited, or from other filters) is
   * refused instead of read as the first page — for API callers, who should hear of it.
   */
  async page(ctx: Context, query: DirectoryQuery = {}, options: { strictCursor?: boolean } = {}): Promise<DirectoryPage> {
    authorize(ctx.actor, 'users.view');
    const applied = normalize(query);
    const now = this.clock.now();
    const endsBefore = applied.endingWithinDays ? new Date(now.getTime() + applied.endingWithinDays * 86_400_000) : null;
    const filters: Filters = { search: parseSearch(applied.search), status: applied.status, roleId: applied.roleId, kind: applied.kind, endsBefore };
    const sql = new DirectorySql(this.db.dialect, now, new Date(now.getTime() - ARCHIVE_AFTER_MS));
    const signature = signatureOf(applied);
    const cursor = decodeCursor(signature, query.cursor);
    if (options.strictCursor && query.cursor && !cursor) throw new ValidationError({ cursor: 'This cursor is not valid for this list and these filters; start again without one.' });

    // The total runs beside the rows; a grouped list needs its groups before it can read.
    const total = this.total(sql, filters, ctx);
    total.catch(() => undefined); // awaited below; not "unhandled" if it fails while the groups load
    const groups = applied.groupBy ? await this.groups(sql, applied.groupBy, filters, ctx) : null;
    const sequence: GroupFilter[] = groups ? groups.map((g) => ({ by: applied.groupBy!, key: g.key })) : [null];
    const [{ rows, more }, count] = await Promise.all([this.read(sql, filters, sequence, applied.sort, applied.order, cursor, applied.limit, ctx), total]);

    if (rows.length === 0 && cursor?.direction === 'before') return this.page(ctx, { ...query, cursor: null });
    const first = rows[0];
    const last = rows[rows.length - 1];
    const at = (r: PageRow, direction: 'after' | 'before') =>
      encodeCursor(signature, { direction, value: r.sortValue, id: r.row.id, ...(applied.groupBy ? { group: r.row.group ?? null } : {}) });
    const backwards = cursor?.direction === 'before';
    const next = last && (backwards ? true : more) ? at(last, 'after') : null;
    const previous = first && (backwards ? more : !!cursor) ? at(first, 'before') : null;
    return { rows: rows.map((r) => r.row), total: count, groups, next, previous, applied };
  }

  /** Every role, for the filter and grouping (names only; no holder counts to compute). */
  async roleChoices(ctx?: Context): Promise<RoleChoice[]> {
    const roles = await this.models.Role.findAll({ attributes: ['id', 'name', 'builtin'], order: [['name', 'ASC']], transaction: ctx?.transaction });
    return roles.map((r) => ({ id: r.id, name: r.name, builtin: r.builtin }));
  }

  // ---- reading ----------------------------------------------------------------------------

  /**
   * Reads up to `limit` rows from the cursor through the groups in order (backwards
   * through them before a cursor), plus one to learn whether more follow.
   */
  private async read(
    sql: DirectorySql, f: Filters, sequence: GroupFilter[], sortKey: SortKey, order: Order, cursor: Cursor | null, limit: number, ctx: Context,
  ): Promise<{ rows: PageRow[]; more: boolean }> {
    const backwards = cursor?.direction === 'before';
    const keyOf = (g: GroupFilter) => (g ? g.key : undefined);
    let start = 0;
    if (cursor && sequence[0]) {
      start = sequence.findIndex((g) => keyOf(g) === (cursor.group ?? null));
      if (start < 0) return this.read(sql, f, sequence, sortKey, order, null, limit, ctx);
    }
    const step = backwards ? -1 : 1;
    const loaded: LoadedRow[] = [];
    const sort = sql.sort(sortKey);
    for (let gi = start; gi >= 0 && gi < sequence.length && loaded.length <= limit; gi += step) {
      const group = sequence[gi]!;
      const p: Record<string, unknown> = {};
      const text = sql.page(f, group, sortKey, order, backwards, gi === start ? cursor : null, limit + 1 - loaded.length, p);
      if (!text) continue;
      const raw = await this.models.sequelizeQuery<RawRow>(text, p, ctx);
      for (const r of raw) loaded.push({ raw: r, sortValue: sortValueOf(r.sort_value, sort.date), group: group ? group.key : undefined });
    }
    const more = loaded.length > limit;
    const page = loaded.slice(0, limit);
    if (backwards) page.reverse();
    const roles = await this.rolesOf(page.map((l) => l.raw), ctx);
    return { rows: page.map((l) => ({ sortValue: l.sortValue, row: present(l.raw, roles.get(l.raw.id) ?? [], l.group) })), more };
  }

  private async total(sql: DirectorySql, f: Filters, ctx: Context): Promise<number> {
    const counts = await Promise.all(
      [sql.accountCount.bind(sql), sql.inviteeCount.bind(sql)].map(async (build) => {
        const p: Record<string, unknown> = {};
        const text = build(f, p);
        if (!text) return 0;
        const [row] = await this.models.sequelizeQuery<{ n: number | string }>(text, p, ctx);
        return Number(row?.n ?? 0);
      }),
    );
    return counts[0]! + counts[1]!;
  }

  private async groups(sql: DirectorySql, by: GroupBy, f: Filters, ctx: Context): Promise<DirectoryGroup[]> {
    const p: Record<string, unknown> = {};
    const texts = sql.groupCounts(by, f, p);
    const counts = new Map<string | null, number>();
    for (const text of texts) {
      for (const row of await this.models.sequelizeQuery<{ g: string | null; n: number | string }>(text, p, ctx)) {
        const n = Number(row.n);
        if (n > 0) counts.set(row.g ?? null, (counts.get(row.g ?? null) ?? 0) + n);
      }
    }
    const names = by === 'role' ? new Map((await this.roleChoices(ctx)).map((r) => [r.id, r.name])) : null;
    const labelOf = (key: string | null) => (key === null ? (by === 'role' ? 'No role' : 'No department') : (names?.get(key) ?? key));
    const groups = [...counts.entries()].map(([key, count]) => ({ key, label: labelOf(key), count }));
    // Named groups alphabetically, the "none" group last.
    return groups.sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }) || a.key.localeCompare(b.key)));
  }

  private async rolesOf(rows: RawRow[], ctx: Context): Promise<Map<string, Array<{ id: string; name: string }>>> {
    const out = new Map<string, Array<{ id: string; name: string }>>();
    const accounts = rows.filter((r) => r.row_type === 'account').map((r) => r.id);
    const invitees = rows.filter((r) => r.row_type === 'invitee').map((r) => r.id);
    const queries: Array<Promise<Array<{ owner: string; id: string; name: string }>>> = [];
    if (accounts.length) {
      queries.push(this.models.sequelizeQuery('SELECT ur.user_id AS owner, r.id AS id, r.name AS name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN (:ids)', { ids: accounts }, ctx));
    }
    if (invitees.length) {
      queries.push(
        this.models.sequelizeQuery('SELECT ir.invitation_id AS owner, r.id AS id, r.name AS name FROM invitation_roles ir JOIN roles r ON r.id = ir.role_id WHERE ir.invitation_id IN (:ids)', { ids: invitees }, ctx),
      );
    }
    for (const link of (await Promise.all(queries)).flat()) out.set(link.owner, [...(out.get(link.owner) ?? []), { id: link.id, name: link.name }]);
    for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    return out;
  }
}

interface PageRow {
  sortValue: SortValue;
  row: DirectoryRow;
}

interface LoadedRow {
  raw: RawRow;
  sortValue: SortValue;
  group: string | null | undefined;
}

/** What a cursor is valid for: the order and grouping it was made in. */
function signatureOf(applied: Pick<DirectoryPage['applied'], 'sort' | 'order' | 'groupBy'>): string {
  return [applied.sort, applied.order, applied.groupBy ?? '-'].join('.');
}

/**
 * A cursor to the row with this sort value and id in the query's order — for callers that
 * know a row's keys already (the benchmark jumps deep into the list with it).
 */
export function cursorAt(query: DirectoryQuery, row: { value: string | Date | null; id: string; group?: string | null }, direction: 'after' | 'before' = 'after'): string {
  return encodeCursor(signatureOf(normalize(query)), { direction, value: row.value, id: row.id, ...(row.group !== undefined ? { group: row.group } : {}) });
}

function normalize(q: DirectoryQuery): DirectoryPage['applied'] {
  const errors: Record<string, string> = {};
  const pick = <T extends string>(field: string, value: string | null | undefined, allowed: readonly T[]): T | null => {
    if (value === undefined || value === null || value === '') return null;
    if (!(allowed as readonly string[]).includes(value)) {
      errors[field] = `Choose one of ${allowed.join(', ')}.`;
      return null;
    }
    return value as T;
  };
  const status = pick('status', q.status, LIST_STATUSES);
  const kind = pick('kind', q.kind, KINDS);
  const groupBy = pick('groupBy', q.groupBy, GROUP_BYS);
  const sort = pick('sort', q.sort, SORT_KEYS) ?? 'name';
  const order = pick('order', q.order, ['asc', 'desc'] as const) ?? DEFAULT_ORDER[sort];
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.limit = 'Show between 1 and 100 rows per page.';
  const search = (q.search ?? '').trim();
  if (search.length > 200) errors.search = 'Search for at most 200 characters.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const endingWithinDays = (ENDING_WITHIN_DAYS as readonly number[]).includes(q.endingWithinDays ?? NaN) ? q.endingWithinDays! : null;
  return { search, status, roleId: q.roleId || null, kind, endingWithinDays, groupBy, sort, order, limit };
}

function toDate(v: Date | string | null): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(v);
}

function sortValueOf(v: SortValue | number, date: boolean): SortValue {
  if (v === null || v === undefined) return null;
  if (date) return toDate(v as Date | string);
  return String(v);
}

function present(r: RawRow, roles: Array<{ id: string; name: string }>, group: string | null | undefined): DirectoryRow {
  const name =
    r.row_type === 'account'
      ? displayNameOf({ displayName: r.display_name, givenName: r.given_name, familyName: r.family_name, username: r.username ?? '' })
      : [r.given_name, r.family_name].filter(Boolean).join(' ') || (r.email ?? '');
  return {
    type: r.row_type,
    id: r.id,
    username: r.username,
    name,
    email: r.email,
    phone: r.phone,
    department: r.department,
    title: r.title,
    kind: r.kind,
    status: r.status,
    roles,
    createdAt: toDate(r.created_at)!,
    lastActivityAt: toDate(r.last_activity_at),
    invitationExpiresAt: toDate(r.expires_at),
    accessEndsAt: toDate(r.access_ends_at),
    ...(group !== undefined ? { group } : {}),
  };
}
