// The multi-valued attributes a directory keeps on an account (RFC 7643 §4.1.2: emails,
// phoneNumbers, ims, photos, addresses, entitlements, roles, x509Certificates), as sent:
// each value with its type, primary flag, display and, for addresses, their parts.
// They are data: `roles` and `entitlements` grant nothing (only Groups carry roles).
// The account's own email and phone are chosen from them: the primary value, else the
// first "work" one (then "mobile" for phones), else the first.
import { ValidationError } from '../errors.js';
import { controlCharacterProblem } from './user-validation.js';

export const MULTI_VALUED = ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates'] as const;
export type MultiValued = (typeof MULTI_VALUED)[number];

export const ADDRESS_PARTS = ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export interface UserValue extends Partial<Record<AddressPart, string | null>> {
  value?: string | null;
  type?: string | null;
  display?: string | null;
  /** Absent (null) when the directory did not say. */
  primary?: boolean | null;
}

/** Attributes given are replaced whole; attributes absent are left as they are. */
export type UserValues = Partial<Record<MultiValued, UserValue[]>>;

/** Longest text per field, as the columns hold it; `multi`: line breaks allowed. */
const LIMITS: Record<keyof UserValue, [number, 'single' | 'multi']> = {
  value: [16000, 'single'], type: [255, 'single'], display: [1024, 'single'], primary: [0, 'single'],
  formatted: [4000, 'multi'], streetAddress: [4000, 'multi'], locality: [255, 'single'], region: [255, 'single'], postalCode: [255, 'single'], country: [255, 'single'],
};

/**
 * Refuses what the columns cannot hold and, per RFC 7643 §2.4, a "primary" given to more
 * than one value of an attribute (a client error: which one it meant cannot be guessed).
 */
export function checkValues(values: UserValues): void {
  const errors: Record<string, string> = {};
  for (const [attribute, list] of Object.entries(values) as Array<[MultiValued, UserValue[]]>) {
    if (list.filter((v) => v.primary === true).length > 1) errors[attribute] = `At most one of the ${attribute} may be primary.`;
    list.forEach((v, i) => {
      for (const [field, [max, lines]] of Object.entries(LIMITS) as Array<[keyof UserValue, [number, 'single' | 'multi']]>) {
        const text = v[field];
        if (typeof text !== 'string') continue;
        const label = `${attribute}[${i}].${field}`;
        const problem = text.length > max ? `${label} must be at most ${max} characters.` : controlCharacterProblem(label, text, lines);
        if (problem) errors[label] = problem;
      }
    });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

function chosen(list: readonly UserValue[] | undefined, preferredTypes: readonly string[]): UserValue | undefined {
  const values = (list ?? []).filter((v) => typeof v.value === 'string' && v.value.trim() !== '');
  const typed = (t: string) => values.find((v) => (v.type ?? '').toLowerCase() === t);
  return values.find((v) => v.primary === true) ?? preferredTypes.map(typed).find((v) => v) ?? values[0];
}

/** The account's email among the emails: null when there is none. */
export function accountEmailOf(emails: readonly UserValue[] | undefined): string | null {
  return chosen(emails, ['work'])?.value ?? null;
}

/** The account's phone among the phoneNumbers: null when there is none. */
export function accountPhoneOf(phones: readonly UserValue[] | undefined): string | null {
  return chosen(phones, ['work', 'mobile'])?.value ?? null;
}

/** The same values, field by field (text compared as stored). */
export function sameValues(a: readonly UserValue[], b: readonly UserValue[]): boolean {
  const fields: Array<keyof UserValue> = ['value', 'type', 'display', 'primary', ...ADDRESS_PARTS];
  return a.length === b.length && a.every((v, i) => fields.every((f) => (v[f] ?? null) === (b[i]![f] ?? null)));
}
