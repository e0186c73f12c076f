// Turns profile input from any path into validated, normalised column values, collecting
// one message per bad field.
import { ValidationError, type FieldErrors } from '../errors.js';
import type { DirectoryField, Kind, UserAttributes } from './user-model.js';
import {
  birthdateProblem, controlCharacterProblem, emailProblem, kindProblem, localeProblem, normalize, phoneProblem, textProblem, usernameProblem, type Origin,
} from './user-validation.js';

export interface ProfileInput extends Partial<Record<DirectoryField, string | null>> {
  username?: string | null;
  email?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  displayName?: string | null;
  phone?: string | null;
  department?: string | null;
  title?: string | null;
  employeeNumber?: string | null;
  manager?: string | null;
  gender?: string | null;
  birthdate?: string | null;
  locale?: string | null;
  externalId?: string | null;
  kind?: string | null;
}

export type ProfileColumns = Partial<Pick<UserAttributes,
  'username' | 'usernameNormalized' | 'email' | 'emailNormalized' | 'givenName' | 'familyName' | 'displayName' | 'phone' | 'department' |
  'title' | 'employeeNumber' | 'manager' | 'gender' | 'birthdate' | 'locale' | 'kind' | DirectoryField>>;

const FREE_TEXT: Array<[keyof ProfileInput, string, number]> = [
  ['givenName', 'First name', 255],
  ['familyName', 'Last name', 255],
  ['displayName', 'Display name', 255],
  ['department', 'Department', 255],
  ['title', 'Title', 255],
  ['employeeNumber', 'Employee number', 64],
  ['manager', 'Manager', 255],
  ['gender', 'Gender', 32],
  ['nameFormatted', 'Formatted name', 255],
  ['middleName', 'Middle name', 255],
  ['honorificPrefix', 'Honorific prefix', 64],
  ['honorificSuffix', 'Honorific suffix', 64],
  ['nickName', 'Nickname', 255],
  ['profileUrl', 'Profile URL', 1024],
  ['timezone', 'Time zone', 64],
  ['preferredLanguage', 'Preferred language', 64],
  ['organization', 'Organization', 255],
  ['division', 'Division', 255],
  ['costCenter', 'Cost center', 255],
  ['managerDisplayName', 'Manager name', 255],
  ['managerRef', 'Manager reference', 1024],
];

const LABELS: Record<keyof ProfileInput, string> = {
  username: 'Username', email: 'Email', givenName: 'First name', familyName: 'Last name', displayName: 'Display name', phone: 'Phone',
  department: 'Department', title: 'Title', employeeNumber: 'Employee number', manager: 'Manager', gender: 'Gender', birthdate: 'Birthdate',
  locale: 'Locale', externalId: 'External id', kind: 'Kind',
  ...(Object.fromEntries(FREE_TEXT.map(([key, label]) => [key, label])) as Record<DirectoryField, string>),
};

/** Control characters are refused as sent: trimming must not quietly drop a leading tab or a trailing line break. */
function controlCharacterErrors(input: ProfileInput): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of Object.keys(LABELS) as Array<keyof ProfileInput>) {
    const value = input[key];
    const problem = typeof value === 'string' ? controlCharacterProblem(LABELS[key], value) : null;
    if (problem) errors[key] = problem;
  }
  return errors;
}

/** Empty strings mean "clear the field". Keys absent from `input` are left alone. */
function clean(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const v = String(value).trim();
  return v === '' ? null : v;
}

/** The externalId the input sets: a value, null to remove it, undefined to leave it. */
export function externalIdOf(input: ProfileInput): string | null | undefined {
  return clean(input.externalId);
}

/**
 * Which fields must be there: a new account needs a username (else its email) and an
 * email, except one a directory creates, which may have no email; a change needs nothing.
 */
export type Identity = 'new' | 'new-from-directory' | 'change';

export function profileColumns(input: ProfileInput, origin: Origin, today: Date, identity: Identity): ProfileColumns {
  const errors: FieldErrors = {};
  const out: ProfileColumns = {};
  const requireIdentity = identity !== 'change';

  const given = clean(input.email);
  const email = given === undefined && identity === 'new-from-directory' ? null : given;
  if (email === null && identity !== 'new') {
    // No address: stored as NULL, never as an empty string. Whether a change may remove
    // one is the users service's decision (only directories may).
    out.email = null;
    out.emailNormalized = null;
  } else if (email !== undefined || identity === 'new') {
    const problem = emailProblem(email ?? '');
    if (problem) errors.email = problem;
    else {
      out.email = email!;
      out.emailNormalized = normalize(email!);
    }
  }

  // Directory usernames keep surrounding spaces out but are otherwise taken as sent.
  const usernameRaw = input.username === undefined ? undefined : input.username === null ? null : String(input.username).trim();
  let username = usernameRaw;
  // A new account without a username takes its email as one; a bad email is reported once, on its own field.
  if (requireIdentity && !usernameRaw) username = errors.email ? undefined : out.email ?? null;
  if (username !== undefined) {
    if (!username) errors.username = 'Username is required.';
    else {
      // A username defaulted from the email follows directory rules: "@" is not a page character.
      const problem = usernameProblem(username, usernameRaw ? origin : 'directory');
      if (problem) errors.username = problem;
      else {
        out.username = username;
        out.usernameNormalized = normalize(username);
      }
    }
  }

  for (const [key, label, max] of FREE_TEXT) {
    const v = clean(input[key]);
    if (v === undefined) continue;
    const problem = v === null ? null : textProblem(label, v, max);
    if (problem) errors[key] = problem;
    else (out as Record<string, unknown>)[key] = v;
  }

  const phone = clean(input.phone);
  if (phone !== undefined) {
    const problem = phone === null ? null : phoneProblem(phone, origin);
    if (problem) errors.phone = problem;
    else out.phone = phone;
  }

  const birthdate = clean(input.birthdate);
  if (birthdate !== undefined) {
    const problem = birthdate === null ? null : birthdateProblem(birthdate, today);
    if (problem) errors.birthdate = problem;
    else out.birthdate = birthdate;
  }

  const locale = clean(input.locale);
  if (locale !== undefined) {
    const problem = locale === null ? null : localeProblem(locale);
    if (problem) errors.locale = problem;
    else out.locale = locale;
  }

  // Checked with the rest; kept per provisioning connection, not on the account's row.
  const externalId = externalIdOf(input);
  const externalIdProblem = typeof externalId === 'string' ? textProblem('External id', externalId, 255) : null;
  if (externalIdProblem) errors.externalId = externalIdProblem;

  const kind = clean(input.kind);
  if (kind !== undefined && kind !== null) {
    const problem = kindProblem(kind);
    if (problem) errors.kind = problem;
    else out.kind = kind as Kind;
  } else if (requireIdentity) {
    out.kind = 'user';
  }

  Object.assign(errors, controlCharacterErrors(input));
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return out;
}
