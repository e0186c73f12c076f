// The Settings page: organization name, invitation expiry, self-registration (mode,
// allowed domains, default roles, email confirmation), default roles for invitations, the
// TOTP and passkey requirements, page-session timeouts and how provisioned users sign in.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { RoleView } from '../../../roles/role-service.js';
import { LIMITS } from '../../../settings/settings-validation.js';
import { csrfField, field } from '../../layout.js';
import { checkbox, checkboxes, select, textarea } from '../../form-controls.js';

/** The form's values as submitted (or as stored, on first view). */
export interface SettingsFormValues {
  organizationName: string;
  invitationExpiryHours: string;
  registrationMode: string;
  registrationDomains: string;
  registrationDefaultRoles: string[];
  invitationDefaultRoles: string[];
  requireEmailConfirmation: boolean;
  totpRequired: string;
  totpRequiredRoleIds: string[];
  passkeyPolicy: string;
  passkeyPolicyRoleIds: string[];
  sessionIdleMinutes: string;
  sessionLifetimeHours: string;
  provisionedCredentialMode: string;
  timeZone: string;
  accessEndFirstReminderDays: string;
  accessEndLastReminderDays: string;
  accessEndRemindPerson: boolean;
  phoneAtAcceptance: string;
  /** Two-letter country codes separated by spaces or commas. */
  phoneCodeCountries: string;
}

export interface SettingsPageState {
  csrfToken: string;
  values: SettingsFormValues;
  errors: FieldErrors;
  roles: RoleView[];
  notice?: string;
}

/** Every zone the runtime knows, UTC first: a select needs no typing and no script. */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')].map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));

const range = (k: keyof typeof LIMITS) => `${LIMITS[k].min}–${LIMITS[k].max}`;

export function settingsPageBody(s: SettingsPageState): SafeHtml {
  const { values: v, errors: e } = s;
  const grantable = s.roles.filter((r) => r.builtin !== 'owner');
  const byName = grantable.map((r) => ({ value: r.name, label: r.name }));
  const byId = s.roles.map((r) => ({ value: r.id, label: r.name }));
  return html`<h1>Settings</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${Object.keys(e).length ? html`<p class="error-box" role="alert">Nothing was saved: see the messages below.</p>` : ''}
<form method="post" action="/admin/settings">${csrfField(s.csrfToken)}
<section class="card"><h2>Organization</h2>
${field({ name: 'organizationName', label: 'Organization name', value: v.organizationName, error: e.organizationName, required: true, hint: 'Shown on sign-in pages and in every email.' })}
${select({ name: 'timeZone', label: 'Time zone', value: v.timeZone, error: e.timeZone, options: TIME_ZONES.some((z) => z.value === v.timeZone) || !v.timeZone ? TIME_ZONES : [{ value: v.timeZone, label: v.timeZone }, ...TIME_ZONES], hint: 'The admin pages and import reports show times in this zone, and name it.' })}
</section>
<section class="card"><h2>Invitations</h2>
${field({ name: 'invitationExpiryHours', label: 'Invitation expiry (hours)', value: v.invitationExpiryHours, error: e.invitationExpiryHours, hint: `${range('invitationExpiryHours')} hours; 168 is 7 days.` })}
${checkboxes({ name: 'invitationDefaultRoles', label: 'Default roles for invitations', options: byName, checked: v.invitationDefaultRoles, error: e.invitationDefaultRoles, hint: 'Pre-selected on the invite form.' })}
${select({ name: 'phoneAtAcceptance', label: 'Phone number when accepting an invitation', value: v.phoneAtAcceptance, error: e.phoneAtAcceptance, options: [
  { value: 'off', label: 'Not asked' },
  { value: 'optional', label: 'Optional' },
  { value: 'verified', label: 'Required, proven by a code sent by text message' },
] })}
${field({ name: 'phoneCodeCountries', label: 'Countries codes may be texted to', value: v.phoneCodeCountries, error: e.phoneCodeCountries, hint: 'Two-letter country codes such as GB US DE, separated by spaces. Empty: every country. Limiting them stops text-message fraud through premium numbers.' })}
</section>
<section class="card"><h2>Access end dates</h2>
${field({ name: 'accessEndFirstReminderDays', label: 'First reminder (days before the end date)', value: v.accessEndFirstReminderDays, error: e.accessEndFirstReminderDays, hint: `${range('accessEndReminderDays')} days; 0 sends none. Mailed to whoever set the date (else to everyone who may manage users).` })}
${field({ name: 'accessEndLastReminderDays', label: 'Last reminder (days before the end date)', value: v.accessEndLastReminderDays, error: e.accessEndLastReminderDays, hint: `${range('accessEndReminderDays')} days; 0 sends none.` })}
${checkbox({ name: 'accessEndRemindPerson', label: 'The person whose access ends gets the reminders too', checked: v.accessEndRemindPerson })}
</section>
<section class="card"><h2>Self-registration</h2>
${select({ name: 'registrationMode', label: 'Registration', value: v.registrationMode, error: e.registrationMode, options: [
  { value: 'off', label: 'Off: accounts only by invitation or an administrator' },
  { value: 'open', label: 'Open to anyone' },
  { value: 'domains', label: 'Only addresses at the allowed domains' },
] })}
${textarea({ name: 'registrationDomains', label: 'Allowed email domains', value: v.registrationDomains, error: e.registrationDomains, rows: 3, hint: 'One a line, such as example.com. Used when registration is limited to allowed domains; invitations are not limited.' })}
${checkboxes({ name: 'registrationDefaultRoles', label: 'Default roles for self-registered users', options: byName, checked: v.registrationDefaultRoles, error: e.registrationDefaultRoles })}
${checkbox({ name: 'requireEmailConfirmation', label: 'Require email confirmation before a self-registered account can sign in', checked: v.requireEmailConfirmation })}
${e.requireEmailConfirmation ? html`<p class="field-error">${e.requireEmailConfirmation}</p>` : ''}
</section>
<section class="card"><h2>Sign-in</h2>
${select({ name: 'totpRequired', label: 'Two-step verification (TOTP) required for', value: v.totpRequired, error: e.totpRequired, options: [
  { value: 'off', label: 'Nobody (optional for everyone)' },
  { value: 'all', label: 'Everyone' },
  { value: 'roles', label: 'Holders of the roles chosen below' },
] })}
${checkboxes({ name: 'totpRequiredRoleIds', label: 'Roles that must use two-step verification', options: byId, checked: v.totpRequiredRoleIds, error: e.totpRequiredRoleIds })}
${select({ name: 'passkeyPolicy', label: 'Passkeys for the roles chosen below', value: v.passkeyPolicy, error: e.passkeyPolicy, options: [
  { value: 'allowed', label: 'Allowed for everyone, required for nobody' },
  { value: 'second_factor', label: 'Required as the second step after the password' },
  { value: 'passkey_only', label: 'The only way to sign in (no password sign-in)' },
] })}
${checkboxes({ name: 'passkeyPolicyRoleIds', label: 'Roles that must use passkeys', options: byId, checked: v.passkeyPolicyRoleIds, error: e.passkeyPolicyRoleIds })}
${field({ name: 'sessionIdleMinutes', label: 'Sign out after inactivity (minutes)', value: v.sessionIdleMinutes, error: e.sessionIdleMinutes, hint: `${range('sessionIdleMinutes')} minutes, for the admin and account pages.` })}
${field({ name: 'sessionLifetimeHours', label: 'Session lifetime (hours)', value: v.sessionLifetimeHours, error: e.sessionLifetimeHours, hint: `${range('sessionLifetimeHours')} hours, however active.` })}
</section>
<section class="card"><h2>Directory provisioning</h2>
${select({ name: 'provisionedCredentialMode', label: 'Provisioned users sign in with', value: v.provisionedCredentialMode, error: e.provisionedCredentialMode, options: [
  { value: 'upstream', label: 'An upstream identity provider' },
  { value: 'activation_email', label: 'A password they set from an activation email' },
  { value: 'scim_password', label: 'The password the directory sends (SCIM password attribute)' },
] })}
</section>
<div class="form-actions"><button type="submit">Save settings</button><a class="button secondary" href="/admin/settings">Discard changes</a></div></form>`;
}
