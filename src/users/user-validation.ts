// Field rules for accounts, with one message per field for beside the form input.
// Usernames typed in Gatehouse's pages are 1–64 letters, digits, periods, dashes and
// underscores with at least one letter (usernameProblem below); directories (SCIM, LDAP,
// CSV) may send any RFC 7643 string such as Entra's UPNs.
import { KINDS, type Kind } from './user-model.js';

export type Origin = 'page' | 'directory';

const PAGE_USERNAME = /^[A-Za-z0-9_-]([A-Za-z0-9._-]*[A-Za-z0-9_-])?$/;
// Control characters: C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F; U+0085 is a line
// break to some readers). None belongs in an identifier or a one-line value, where they
// hide, split log lines or headers, or make two names look alike; multi-line text keeps
// only line feeds and carriage returns.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_CHARS_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export type Lines = 'single' | 'multi';

/** The one control-character rule every field follows, with the field's label in the message. */
export function controlCharacterProblem(label: string, value: string, lines: Lines = 'single'): string | null {
  if (lines === 'multi') return CONTROL_CHARS_BUT_LINE_BREAKS.test(value) ? `${label} must not contain control characters other than line breaks.` : null;
  return CONTROL_CHARS.test(value) ? `${label} must not contain control characters.` : null;
}

// Practical addr-spec: no spaces or specials in the local part; a dotted domain of LDH labels.
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function usernameProblem(username: string, origin: Origin): string | null {
  if (origin === 'directory') {
    if (username.length < 1 || username.length > 255) return 'Username must be 1 to 255 characters.';
    const control = controlCharacterProblem('Username', username);
    if (control) return control;
    if (username.trim() !== username) return 'Username must not start or end with spaces.';
    return null;
  }
  if (username.length < 1 || username.length > 64) return 'Username must be 1 to 64 characters.';
  const control = controlCharacterProblem('Username', username);
  if (control) return control;
  if (username.startsWith('.') || username.endsWith('.')) return 'Username cannot start or end with a period.';
  if (!PAGE_USERNAME.test(username)) return 'Username may contain only letters, digits, periods, dashes and underscores.';
  if (!/[A-Za-z]/.test(username)) return 'Username must contain at least one letter.';
  return null;
}

export function emailProblem(email: string): string | null {
  if (!email) return 'Email is required.';
  const control = controlCharacterProblem('Email', email);
  if (control) return control;
  if (email.length > 320 || !EMAIL.test(email)) return 'Enter a valid email address, such as name@example.com.';
  return null;
}

/** Pages compose "+<country code><number>" and must yield E.164; directories keep their value. */
export function phoneProblem(phone: string, origin: Origin): string | null {
  if (origin === 'page') return E164.test(phone) ? null : 'Enter the phone number with its country code, such as +44 20 7946 0958.';
  if (phone.length > 64) return 'Phone must be at most 64 characters.';
  return controlCharacterProblem('Phone', phone);
}

/** Joins a country code and a local number from a page form into E.164 (digits only). */
export function composePhone(countryCode: string, number: string): string {
  const cc = countryCode.replace(/[^\d]/g, '');
  let local = number.replace(/[^\d]/g, '');
  if (number.trim().startsWith('+')) return '+' + local;
  local = local.replace(/^0+/, '');
  return `+${cc}${local}`;
}

export function kindProblem(kind: string): string | null {
  return (KINDS as readonly string[]).includes(kind) ? null : `Kind must be one of ${KINDS.join(', ')}.`;
}

export function isKind(kind: string): kind is Kind {
  return kindProblem(kind) === null;
}

/** Free text: one line unless `lines` is 'multi' (a message, a reason typed in a text area). */
export function textProblem(label: string, value: string, max: number, lines: Lines = 'single'): string | null {
  if (value.length > max) return `${label} must be at most ${max} characters.`;
  return controlCharacterProblem(label, value, lines);
}

export function birthdateProblem(value: string, today: Date): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'Birthdate must be a date such as 1990-04-30.';
  const d = new Date(value + 'T00:00:00Z');
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return 'Birthdate must be a real date.';
  if (d > today || d.getUTCFullYear() < 1900) return 'Birthdate must be between 1900 and today.';
  return null;
}

export function localeProblem(value: string): string | null {
  // The pattern admits no control character; the shared rule keeps the message the same everywhere.
  const control = controlCharacterProblem('Locale', value);
  if (control) return control;
  return /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(value) ? null : 'Locale must be a language tag such as en-GB.';
}

export function normalize(value: string): string {
  return value.normalize('NFC').toLowerCase();
}
