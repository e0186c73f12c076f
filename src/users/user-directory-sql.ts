// The SQL of the users list, for SQLite and MySQL/MariaDB alike: only portable types and statements.
// Two branches: accounts (users) and invited addresses without an account (one row per
// address: its open invitation with the latest expiry). Each branch is filtered, ordered
// and limited on its own — walking an index in the chosen order from the cursor's
// keyset — and the page is the merge of both, ordered again by the same keys.
//
// NULLs sort first ascending and last descending on both dialects; the keyset predicates
// below rely on it.
import type { Dialect } from '../db/database.js';
import type { Kind } from './user-model.js';
import type { SearchQuery } from './user-search-terms.js';
import type { Cursor, SortValue } from './directory-cursor.js';

export const ACCOUNT_STATUSES = ['active', 'unconfirmed', 'inactive'] as const;
export const INVITEE_STATUSES = ['pending', 'expired'] as const;
export const LIST_STATUSES = [...ACCOUNT_STATUSES, ...INVITEE_STATUSES] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const SORT_KEYS = ['name', 'username', 'email', 'created', 'lastActivity'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Order = 'asc' | 'desc';
export const GROUP_BYS = ['department', 'role'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Newest first for dates, A–Z for names. */
export const DEFAULT_ORDER: Record<SortKey, Order> = { name: 'asc', username: 'asc', email: 'asc', created: 'desc', lastActivity: 'desc' };

export interface Filters {
  search: SearchQuery | null;
  status: ListStatus | null;
  roleId: string | null;
  kind: Kind | null;
  /** Only active accounts whose access ends after now and by this instant ("ending within N days"). */
  endsBefore?: Date | null;
}

/** Which group a branch query is limited to (a department or role; null = none). */
export type GroupFilter = { by: GroupBy; key: string | null } | null;

export interface RawRow {
  row_type: 'account' | 'invitee';
  id: string;
  username: string | null;
  email: string | null;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  phone: string | null;
  department: string | null;
  title: string | null;
  kind: Kind;
  status: ListStatus;
  created_at: Date | string;
  last_activity_at: Date | string | null;
  expires_at: Date | string | null;
  access_ends_at: Date | string | null;
  sort_value: SortValue | number;
}

type Params = Record<string, unknown>;

interface SortSql {
  account: string;
  invitee: string;
  /** Some rows have no value (invitees have no username or sign-in). */
  nullable: boolean;
  date: boolean;
}

export class DirectorySql {
  /** Expired invitations older than this are archived and not listed. */
  constructor(
    private readonly dialect: Dialect,
    private readonly now: Date,
    private readonly archiveBefore: Date,
  ) {}

  sort(key: SortKey): SortSql {
    switch (key) {
      case 'name':
        return { account: 'u.sort_name', invitee: this.inviteeName(), nullable: false, date: false };
      case 'username':
        return { account: 'u.username_normalized', invitee: 'NULL', nullable: true, date: false };
      case 'email':
        // Accounts a directory made without an address have none.
        return { account: 'u.email_normalized', invitee: 'i.email_normalized', nullable: true, date: false };
      case 'created':
        return { account: 'u.created_at', invitee: 'i.created_at', nullable: false, date: true };
      case 'lastActivity':
        return { account: 'u.last_sign_in_at', invitee: 'NULL', nullable: true, date: true };
    }
  }

  /** An invitee sorts by their name as invited, else their address (lower-cased). */
  private inviteeName(): string {
    const joined = this.dialect === 'mysql' ? "CONCAT(COALESCE(i.given_name, ''), ' ', COALESCE(i.family_name, ''))" : "COALESCE(i.given_name, '') || ' ' || COALESCE(i.family_name, '')";
    return `LOWER(COALESCE(NULLIF(TRIM(${joined}), ''), i.email))`;
  }

  // ---- which branches a query reads ---------------------------------------------------

  readsAccounts(f: Filters): boolean {
    return !f.status || (ACCOUNT_STATUSES as readonly string[]).includes(f.status);
  }

  readsInvitees(f: Filters, group: GroupFilter): boolean {
    if (f.status && !(INVITEE_STATUSES as readonly string[]).includes(f.status)) return false;
    // An end date starts counting once the account exists.
    if (f.endsBefore) return false;
    // Invitees have no department: they are all in the "no department" group.
    return !(group?.by === 'department' && group.key !== null);
  }

  // ---- WHERE clauses ------------------------------------------------------------------

  accountWhere(f: Filters, group: GroupFilter, p: Params): string[] {
    const where: string[] = [];
    if (f.status) where.push(`u.status = ${bind(p, f.status)}`);
    if (f.kind) where.push(`u.kind = ${bind(p, f.kind)}`);
    if (f.endsBefore) where.push(`u.status = 'active' AND u.access_ends_at > ${bind(p, this.now)} AND u.access_ends_at <= ${bind(p, f.endsBefore)}`);
    if (f.roleId) where.push(`EXISTS (SELECT 1 FROM user_roles fr WHERE fr.user_id = u.id AND fr.role_id = ${bind(p, f.roleId)})`);
    for (const word of f.search?.words ?? []) {
      where.push(`u.id IN (SELECT t.user_id FROM user_search_terms t WHERE ${this.termPrefix('t.term', word, p)})`);
    }
    if (group?.by === 'department') where.push(group.key === null ? 'u.department IS NULL' : `u.department = ${bind(p, group.key)}`);
    if (group?.by === 'role') {
      where.push(
        group.key === null
          ? 'NOT EXISTS (SELECT 1 FROM user_roles gr WHERE gr.user_id = u.id)'
          : `EXISTS (SELECT 1 FROM user_roles gr WHERE gr.user_id = u.id AND gr.role_id = ${bind(p, group.key)})`,
      );
    }
    return where;
  }

  /**
   * Invited addresses without an account: each address once, through its open (pending or
   * expired, not archived) invitation with the latest expiry — so it is Pending while any
   * of its invitations is live and Expired when only expired ones remain.
   * Bounded by the open invitations (index invitations_status_expires).
   */
  inviteeWhere(f: Filters, group: GroupFilter, p: Params): string[] {
    const archive = bind(p, this.archiveBefore);
    const where = [
      `i.status IN ('pending', 'expired') AND i.expires_at > ${archive}`,
      'NOT EXISTS (SELECT 1 FROM users ua WHERE ua.email_normalized = i.email_normalized)',
      `NOT EXISTS (SELECT 1 FROM invitations j WHERE j.email_normalized = i.email_normalized AND j.status IN ('pending', 'expired') AND j.expires_at > ${archive}
         AND (j.expires_at > i.expires_at OR (j.expires_at = i.expires_at AND j.id > i.id)))`,
    ];
    if (f.status === 'pending') where.push(this.live());
    if (f.status === 'expired') where.push(`NOT (${this.live()})`);
    if (f.kind) where.push(`i.kind = ${bind(p, f.kind)}`);
    if (f.roleId) where.push(`EXISTS (SELECT 1 FROM invitation_roles fr WHERE fr.invitation_id = i.id AND fr.role_id = ${bind(p, f.roleId)})`);
    // Like an account's terms: the address, its domain, the names as invited, by prefix.
    for (const word of f.search?.words ?? []) {
      const prefix = bind(p, likeEscape(word) + '%');
      const domain = bind(p, '%@' + likeEscape(word) + '%');
      where.push(
        `(i.email_normalized LIKE ${prefix} ESCAPE '!' OR i.email_normalized LIKE ${domain} ESCAPE '!' OR LOWER(i.given_name) LIKE ${prefix} ESCAPE '!' OR LOWER(i.family_name) LIKE ${prefix} ESCAPE '!')`,
      );
    }
    if (group?.by === 'role') {
      where.push(
        group.key === null
          ? 'NOT EXISTS (SELECT 1 FROM invitation_roles gr WHERE gr.invitation_id = i.id)'
          : `EXISTS (SELECT 1 FROM invitation_roles gr WHERE gr.invitation_id = i.id AND gr.role_id = ${bind(p, group.key)})`,
      );
    }
    return where;
  }

  private live(): string {
    return "i.status = 'pending' AND i.expires_at > :now";
  }

  /**
   * A prefix match that is an index range on both dialects: MySQL ranges over LIKE 'x%'
   * (and its collation also ignores case and accents); SQLite's LIKE only uses an index
   * on NOCASE columns, so it gets the equivalent range of binary strings.
   */
  private termPrefix(column: string, word: string, p: Params): string {
    if (this.dialect === 'mysql') return `${column} LIKE ${bind(p, likeEscape(word) + '%')} ESCAPE '!'`;
    return `${column} >= ${bind(p, word)} AND ${column} < ${bind(p, word + '\u{10FFFF}')}`;
  }

  // ---- page queries ---------------------------------------------------------------------

  /**
   * One branch's rows from the cursor on (exclusive; from the start or end without one),
   * in reading order: `order` itself forwards, reversed backwards (the caller turns those back).
   */
  branch(kind: 'account' | 'invitee', f: Filters, group: GroupFilter, sortKey: SortKey, order: Order, backwards: boolean, cursor: Cursor | null, take: number, p: Params): string {
    const sort = this.sort(sortKey);
    const expr = kind === 'account' ? sort.account : sort.invitee;
    const id = kind === 'account' ? 'u.id' : 'i.id';
    const dir = readingOrder(order, backwards);
    const where = kind === 'account' ? this.accountWhere(f, group, p) : this.inviteeWhere(f, group, p);
    if (cursor) where.push(keysetAfter([{ expr, dir, nullable: sort.nullable, value: cursor.value }], { expr: id, dir, value: cursor.id }, p));
    const columns =
      kind === 'account'
        ? `'account' AS row_type, u.id AS id, u.username AS username, u.email AS email, u.given_name AS given_name, u.family_name AS family_name,
           u.display_name AS display_name, u.phone AS phone, u.department AS department, u.title AS title, u.kind AS kind, u.status AS status,
           u.created_at AS created_at, u.last_sign_in_at AS last_activity_at, NULL AS expires_at, u.access_ends_at AS access_ends_at`
        : `'invitee' AS row_type, i.id AS id, NULL AS username, i.email AS email, i.given_name AS given_name, i.family_name AS family_name,
           NULL AS display_name, NULL AS phone, NULL AS department, NULL AS title, i.kind AS kind,
           CASE WHEN ${this.live()} THEN 'pending' ELSE 'expired' END AS status,
           i.created_at AS created_at, NULL AS last_activity_at, i.expires_at AS expires_at, i.access_ends_at AS access_ends_at`;
    const upper = dir.toUpperCase();
    return `SELECT ${columns}, ${expr} AS sort_value FROM ${kind === 'account' ? 'users u' : 'invitations i'}
      WHERE ${where.length ? where.join(' AND ') : '1 = 1'} ORDER BY ${expr} ${upper}, ${id} ${upper} LIMIT ${Number(take)}`;
  }

  /** Both branches merged in reading order (each limited first, so each walks its index). */
  page(f: Filters, group: GroupFilter, sortKey: SortKey, order: Order, backwards: boolean, cursor: Cursor | null, take: number, p: Params): string | null {
    p.now = this.now;
    const parts: string[] = [];
    if (this.readsAccounts(f)) parts.push(this.branch('account', f, group, sortKey, order, backwards, cursor, take, p));
    if (this.readsInvitees(f, group)) parts.push(this.branch('invitee', f, group, sortKey, order, backwards, cursor, take, p));
    if (parts.length === 0) return null;
    if (parts.length === 1) return parts[0]!;
    const upper = readingOrder(order, backwards).toUpperCase();
    return `SELECT * FROM (${parts.map((sql, n) => `SELECT * FROM (${sql}) b${n}`).join(' UNION ALL ')}) m
      ORDER BY m.sort_value ${upper}, m.id ${upper} LIMIT ${Number(take)}`;
  }

  // ---- counts ---------------------------------------------------------------------------

  accountCount(f: Filters, p: Params): string | null {
    if (!this.readsAccounts(f)) return null;
    const where = this.accountWhere(f, null, p);
    return `SELECT COUNT(*) AS n FROM users u${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  }

  inviteeCount(f: Filters, p: Params): string | null {
    if (!this.readsInvitees(f, null)) return null;
    p.now = this.now;
    return `SELECT COUNT(*) AS n FROM invitations i WHERE ${this.inviteeWhere(f, null, p).join(' AND ')}`;
  }

  /** Rows per group: `g` is the department or role id, NULL for none. */
  groupCounts(by: GroupBy, f: Filters, p: Params): string[] {
    p.now = this.now;
    const out: string[] = [];
    if (this.readsAccounts(f)) {
      const where = this.accountWhere(f, null, p);
      const and = where.length ? ` AND ${where.join(' AND ')}` : '';
      if (by === 'department') out.push(`SELECT u.department AS g, COUNT(*) AS n FROM users u WHERE 1 = 1${and} GROUP BY u.department`);
      else {
        out.push(`SELECT ur.role_id AS g, COUNT(*) AS n FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE 1 = 1${and} GROUP BY ur.role_id`);
        out.push(`SELECT NULL AS g, COUNT(*) AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_roles nr WHERE nr.user_id = u.id)${and}`);
      }
    }
    if (this.readsInvitees(f, null)) {
      const and = ` AND ${this.inviteeWhere(f, null, p).join(' AND ')}`;
      if (by === 'department') out.push(`SELECT NULL AS g, COUNT(*) AS n FROM invitations i WHERE 1 = 1${and}`);
      else {
        out.push(`SELECT ir.role_id AS g, COUNT(*) AS n FROM invitation_roles ir JOIN invitations i ON i.id = ir.invitation_id WHERE 1 = 1${and} GROUP BY ir.role_id`);
        out.push(`SELECT NULL AS g, COUNT(*) AS n FROM invitations i WHERE NOT EXISTS (SELECT 1 FROM invitation_roles nr WHERE nr.invitation_id = i.id)${and}`);
      }
    }
    return out;
  }
}

/** The order rows are read in: the page's order after a cursor, the reverse before it. */
export function readingOrder(order: Order, backwards: boolean): Order {
  if (!backwards) return order;
  return order === 'asc' ? 'desc' : 'asc';
}

interface Key {
  expr: string;
  dir: Order;
  nullable: boolean;
  value: SortValue;
}

/**
 * "Comes after (value, id) in this order", written so the leading key is a range the
 * database can seek to: x >= v AND (x > v OR (x = v AND id > i)).
 */
export function keysetAfter(keys: Key[], last: { expr: string; dir: Order; value: string }, p: Params): string {
  const tail = `${last.expr} ${last.dir === 'asc' ? '>' : '<'} ${bind(p, last.value)}`;
  return keys.reduceRight((rest, k) => {
    if (k.value === null) {
      // NULLs first ascending: after a NULL come the other NULLs (by the rest) and every value.
      return k.dir === 'asc' ? `((${k.expr} IS NULL AND ${rest}) OR ${k.expr} IS NOT NULL)` : `(${k.expr} IS NULL AND ${rest})`;
    }
    const v = bind(p, k.value);
    if (k.dir === 'asc') return `(${k.expr} >= ${v} AND (${k.expr} > ${v} OR (${k.expr} = ${v} AND ${rest})))`;
    // Descending, NULLs come last: after any value.
    return k.nullable
      ? `(${k.expr} IS NULL OR (${k.expr} <= ${v} AND (${k.expr} < ${v} OR (${k.expr} = ${v} AND ${rest}))))`
      : `(${k.expr} <= ${v} AND (${k.expr} < ${v} OR (${k.expr} = ${v} AND ${rest})))`;
  }, tail);
}

/** Adds a named replacement and returns its placeholder. */
export function bind(p: Params, value: unknown): string {
  const name = `p${Object.keys(p).length}`;
  p[name] = value;
  return `:${name}`;
}

/** LIKE with ESCAPE '!': the value's own wildcards match literally. */
export function likeEscape(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}
