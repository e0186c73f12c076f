// Checks each organization setting a page (or any caller) wants to change, key by key,
// with a message per field. Values are
// normalised on the way (trimmed names, lower-case domains without "@", role names spelled
// as the role is). Role lookups are given, so this file needs no database.
import type { FieldErrors } from '../errors.js';
import { textProblem } from '../users/user-validation.js';
import { knownRegions } from '../phones/phone-number.js';
import { PASSKEY_POLICIES, type Settings } from './settings.js';

export const REGISTRATION_MODES = ['off', 'open', 'domains'] as const;
export const TOTP_MODES = ['off', 'all', 'roles'] as const;
export const CREDENTIAL_MODES = ['upstream', 'activation_email', 'scim_password'] as const;
export const PHONE_AT_ACCEPTANCE = ['off', 'optional', 'verified'] as const;

/** Bounds a careful admin would expect; the page shows them as hints. */
export const LIMITS = {
  invitationExpiryHours: { min: 1, max: 720 },
  sessionIdleMinutes: { min: 1, max: 1440 },
  sessionLifetimeHours: { min: 1, max: 720 },
  accessEndReminderDays: { min: 0, max: 90 },
} as const;

export interface RoleFacts {
  id: string;
  name: string;
  builtin: string | null;
}

export interface SettingsLookups {
  /** Every role, to resolve default-role names and TOTP role ids. */
  roles: RoleFacts[];
}

// RFC 1035 labels: letters, digits and inner hyphens, 1–63 characters, at least two labels.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

type Checker<K extends keyof Settings> = (value: unknown, lookups: SettingsLookups) => { value: Settings[K] } | { error: string };

function wholeNumber(label: string, bounds: { min: number; max: number }) {
  return (value: unknown): { value: number } | { error: string } => {
    const text = typeof value === 'number' ? String(value) : String(value ?? '').trim();
    if (!/^\d+$/.test(text)) return { error: `${label} must be a whole number from ${bounds.min} to ${bounds.max}.` };
    const n = Number(text);
    if (n < bounds.min || n > bounds.max) return { error: `${label} must be from ${bounds.min} to ${bounds.max}.` };
    return { value: n };
  };
}

function oneOf<T extends string>(label: string, allowed: readonly T[]) {
  return (value: unknown): { value: T } | { error: string } =>
    typeof value === 'string' && (allowed as readonly string[]).includes(value) ? { value: value as T } : { error: `${label} must be one of ${allowed.join(', ')}.` };
}

function stringList(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.every((v) => typeof v === 'string') ? value.map((v: string) => v.trim()).filter(Boolean) : null;
}

/** Default roles are stored by name (registration and invitations look them up by name). */
function roleNames(label: string) {
  return (value: unknown, lookups: SettingsLookups): { value: string[] } | { error: string } => {
    const names = stringList(value);
    if (!names) return { error: `${label} must be a list of role names.` };
    const out: string[] = [];
    for (const name of names) {
      const role = lookups.roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
      if (!role) return { error: `There is no role named "${name}".` };
      if (role.builtin === 'owner') return { error: 'The owner role cannot be a default role: ownership only moves by transfer.' };
      if (!out.includes(role.name)) out.push(role.name);
    }
    return { value: out };
  };
}

/** The zone's canonical spelling as Intl knows it ("europe/berlin" -> "Europe/Berlin"), or null. */
export function canonicalTimeZone(value: unknown): string | null {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name || name.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const CHECKS: { [K in keyof Settings]: Checker<K> } = {
  organizationName: (value) => {
    const name = typeof value === 'string' ? value.trim() : '';
    if (!name) return { error: 'Organization name is required.' };
    const problem = textProblem('Organization name', name, 100);
    return problem ? { error: problem } : { value: name };
  },
  invitationExpiryHours: wholeNumber('Invitation expiry', LIMITS.invitationExpiryHours),
  registrationMode: oneOf('Registration', REGISTRATION_MODES),
  registrationDomains: (value) => {
    const list = stringList(value);
    if (!list) return { error: 'Allowed domains must be a list of domain names.' };
    const domains = [...new Set(list.map((d) => d.replace(/^@/, '').toLowerCase()))];
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad !== undefined) return { error: `"${bad}" is not a domain name such as example.com.` };
    if (domains.length > 100) return { error: 'At most 100 allowed domains.' };
    return { value: domains };
  },
  registrationDefaultRoles: roleNames('Default roles for registration'),
  invitationDefaultRoles: roleNames('Default roles for invitations'),
  requireEmailConfirmation: (value) => (typeof value === 'boolean' ? { value } : { error: 'Email confirmation must be on or off.' }),
  sessionIdleMinutes: wholeNumber('Idle timeout', LIMITS.sessionIdleMinutes),
  sessionLifetimeHours: wholeNumber('Session lifetime', LIMITS.sessionLifetimeHours),
  totpRequired: oneOf('Two-step verification requirement', TOTP_MODES),
  totpRequiredRoleIds: roleIds('Roles requiring two-step verification'),
  passkeyPolicy: oneOf('Passkey requirement', PASSKEY_POLICIES),
  passkeyPolicyRoleIds: roleIds('Roles the passkey requirement applies to'),
  provisionedCredentialMode: oneOf('Provisioned users sign in with', CREDENTIAL_MODES),
  timeZone: (value) => {
    const zone = canonicalTimeZone(value);
    return zone ? { value: zone } : { error: 'Time zone must be a time zone name such as UTC or Europe/Berlin.' };
  },
  accessEndFirstReminderDays: wholeNumber('First reminder', LIMITS.accessEndReminderDays),
  accessEndLastReminderDays: wholeNumber('Last reminder', LIMITS.accessEndReminderDays),
  accessEndRemindPerson: (value) => (typeof value === 'boolean' ? { value } : { error: 'Reminding the person must be on or off.' }),
  phoneAtAcceptance: oneOf('Phone number at invitation acceptance', PHONE_AT_ACCEPTANCE),
  phoneCodeCountries: (value) => {
    const list = stringList(value);
    if (!list) return { error: 'Countries for phone codes must be a list of two-letter country codes.' };
    const regions = new Set(knownRegions());
    const codes = [...new Set(list.map((c) => c.toUpperCase()))].sort();
    const bad = codes.find((c) => !regions.has(c));
    if (bad !== undefined) return { error: `"${bad}" is not a two-letter country code with phone numbers, such as GB or US.` };
    return { value: codes };
  },
};

function roleIds(label: string) {
  return (value: unknown, lookups: SettingsLookups): { value: string[] } | { error: string } => {
    const ids = stringList(value);
    if (!ids) return { error: `${label} must be a list of roles.` };
    const unknown = ids.find((id) => !lookups.roles.some((r) => r.id === id));
    if (unknown !== undefined) return { error: 'One of the chosen roles does not exist (any more).' };
    return { value: [...new Set(ids)] };
  };
}

export const SETTING_KEYS = Object.keys(CHECKS) as Array<keyof Settings>;

/**
 * A stored value as the checks would normalise it now ("member" -> "Member"), so a save
 * that changes nothing is recognised as such; a value the checks refuse stays as stored.
 */
export function normalisedSetting<K extends keyof Settings>(key: K, stored: Settings[K], lookups: SettingsLookups): Settings[K] {
  const result = (CHECKS[key] as Checker<K>)(stored, lookups);
  return 'error' in result ? stored : result.value;
}

/**
 * Validates every given key; returns the normalised values or the per-field errors.
 * `merged` (current settings with the change applied) decides the rules across keys.
 */
export function validateSettings(partial: Partial<Record<keyof Settings, unknown>>, current: Settings, lookups: SettingsLookups): { values: Partial<Settings>; errors: FieldErrors } {
  const values: Partial<Settings> = {};
  const errors: FieldErrors = {};
  for (const [key, raw] of Object.entries(partial) as Array<[keyof Settings, unknown]>) {
    // Own keys only: a submitted name such as "constructor" is no setting.
    const check = (Object.hasOwn(CHECKS, key) ? CHECKS[key] : undefined) as Checker<keyof Settings> | undefined;
    if (!check) {
      errors[key] = `There is no setting named ${key}.`;
      continue;
    }
    const result = check(raw, lookups);
    if ('error' in result) errors[key] = result.error;
    else (values as Record<string, unknown>)[key] = result.value;
  }
  const merged = { ...current, ...values };
  // A domain allow-list with no domains would open registration to nobody while looking open.
  if (merged.registrationMode === 'domains' && merged.registrationDomains.length === 0 && !errors.registrationDomains && !errors.registrationMode) {
    errors.registrationDomains = 'List at least one domain, or choose another registration mode.';
  }
  if (merged.totpRequired === 'roles' && merged.totpRequiredRoleIds.length === 0 && !errors.totpRequiredRoleIds && !errors.totpRequired) {
    errors.totpRequiredRoleIds = 'Choose at least one role, or require two-step verification for nobody or everyone.';
  }
  if ((merged.passkeyPolicy === 'second_factor' || merged.passkeyPolicy === 'passkey_only') && merged.passkeyPolicyRoleIds.length === 0 && !errors.passkeyPolicyRoleIds && !errors.passkeyPolicy) {
    errors.passkeyPolicyRoleIds = 'Choose the roles that must use passkeys, or leave passkeys allowed for everyone.';
  }
  // Two reminders on the same day would be one: the last comes after the first.
  const { accessEndFirstReminderDays: first, accessEndLastReminderDays: last } = merged;
  if (first > 0 && last > 0 && last >= first && !errors.accessEndFirstReminderDays && !errors.accessEndLastReminderDays) {
    errors.accessEndLastReminderDays = 'The last reminder must come fewer days before the end date than the first (or set it to 0).';
  }
  return { values, errors };
}
