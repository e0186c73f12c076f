// The rows of user_values (migrations/014-user-values.ts): an account's multi-valued
// attributes, one row per value in the order sent. Writes replace an attribute's rows whole,
// and only for attributes whose values changed.
import type { Context, TxContext } from '../context.js';
import type { Param, Sql, Statement } from '../db/sql.js';
import { normalize } from './user-validation.js';
import { ADDRESS_PARTS, accountEmailOf, accountPhoneOf, sameValues, type MultiValued, type UserValue, type UserValues } from './user-values.js';

/** The lower-cased prefix the equality index holds (migrations/014-user-values.ts). */
const VALUE_KEY_LENGTH = 191;

interface ValueRow {
  user_id: string;
  attribute: MultiValued;
  type: string | null;
  is_primary: number | boolean | null;
  display: string | null;
  value: string | null;
  formatted: string | null;
  street_address: string | null;
  locality: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}

const COLUMNS = 'user_id, attribute, position, type, is_primary, display, value, value_normalized, value_key, formatted, street_address, locality, region, postal_code, country';
const PART_COLUMNS: Record<(typeof ADDRESS_PARTS)[number], keyof ValueRow> = {
  formatted: 'formatted', streetAddress: 'street_address', locality: 'locality', region: 'region', postalCode: 'postal_code', country: 'country',
};

function fromRow(r: ValueRow): UserValue {
  const v: UserValue = {};
  if (r.value !== null) v.value = r.value;
  if (r.display !== null) v.display = r.display;
  if (r.type !== null) v.type = r.type;
  if (r.is_primary !== null) v.primary = !!r.is_primary;
  for (const part of ADDRESS_PARTS) {
    const text = r[PART_COLUMNS[part]] as string | null;
    if (text !== null) v[part] = text;
  }
  return v;
}

function params(userId: string, attribute: MultiValued, position: number, v: UserValue): Param[] {
  const value = v.value ?? null;
  const normalized = value === null ? null : normalize(value);
  return [
    userId, attribute, position, v.type ?? null, v.primary ?? null, v.display ?? null, value, normalized, normalized?.slice(0, VALUE_KEY_LENGTH) ?? null,
    ...ADDRESS_PARTS.map((p) => v[p] ?? null),
  ];
}

/** Does this value hold the account's email or phone `text` (compared as the account compares them)? */
function holds(v: UserValue, text: string): boolean {
  return typeof v.value === 'string' && normalize(v.value) === normalize(text);
}

export class UserValueStore {
  constructor(private readonly sql: Sql) {}

  /** Each account's values by attribute (accounts without any are absent from the map). */
  async read(userIds: readonly string[], ctx?: Context): Promise<Map<string, UserValues>> {
    const out = new Map<string, UserValues>();
    if (userIds.length === 0) return out;
    const rows = await this.sql.select<ValueRow>(
      `SELECT user_id, attribute, type, is_primary, display, value, formatted, street_address, locality, region, postal_code, country
       FROM user_values WHERE user_id IN (${userIds.map(() => '?').join(',')}) ORDER BY user_id, attribute, position`,
      [...userIds],
      ctx,
    );
    for (const r of rows) {
      const values = out.get(r.user_id) ?? {};
      (values[r.attribute] ??= []).push(fromRow(r));
      out.set(r.user_id, values);
    }
    return out;
  }

  /** Replaces the attributes of `values` whose values differ; returns their names. */
  async write(tx: TxContext, userId: string, values: UserValues, known?: UserValues): Promise<MultiValued[]> {
    const current = known ?? (await this.read([userId], tx)).get(userId) ?? {};
    const changed = (Object.keys(values) as MultiValued[]).filter((a) => !sameValues(current[a] ?? [], values[a] ?? []));
    if (changed.length === 0) return [];
    if (changed.some((a) => (current[a] ?? []).length > 0)) {
      await this.sql.write(`DELETE FROM user_values WHERE user_id = ? AND attribute IN (${changed.map(() => '?').join(',')})`, [userId, ...changed], tx);
    }
    await this.sql.writeAll(this.insertStatements(userId, values, changed), tx);
    return changed;
  }

  /** The INSERT of the attributes' values (all of `values` by default) for an account that has none of them stored. */
  insertStatements(userId: string, values: UserValues, attributes = Object.keys(values) as MultiValued[]): Statement[] {
    const rows = attributes.flatMap((a) => (values[a] ?? []).map((v, i) => params(userId, a, i, v)));
    if (rows.length === 0) return [];
    const tuple = `(${COLUMNS.split(',').map(() => '?').join(',')})`;
    return [{ sql: `INSERT INTO user_values (${COLUMNS}) VALUES ${rows.map(() => tuple).join(',')}`, params: rows.flat() }];
  }

  /**
   * The account's email or phone changed outside the directory's values (a page, a reset of
   * the address): the value that held the old one takes the new one, so the stored values
   * keep containing the account's email and phone, and it stays the one chosen from them.
   */
  async follow(tx: TxContext, userId: string, attribute: 'emails' | 'phoneNumbers', from: string | null, to: string | null): Promise<void> {
    const list = ((await this.read([userId], tx)).get(userId) ?? {})[attribute] ?? [];
    const choose = attribute === 'emails' ? accountEmailOf : accountPhoneOf;
    let next = list.map((v) => ({ ...v }));
    const old = from === null ? -1 : next.findIndex((v) => holds(v, from));
    if (to === null) {
      if (old !== -1) next.splice(old, 1);
    } else {
      if (old !== -1 && !next.some((v) => holds(v, to))) next[old]!.value = to;
      else if (!next.some((v) => holds(v, to))) next.push({ value: to, type: 'work' });
      if (choose(next) === null || !holds({ value: choose(next) }, to)) {
        next = next.map((v) => ({ ...v, primary: holds(v, to) ? true : v.primary === true ? false : v.primary }));
      }
    }
    await this.write(tx, userId, { [attribute]: next }, { [attribute]: list });
  }
}
