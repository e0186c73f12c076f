// /admin/directory/ldap: the LDAP sync's settings form (connection, entries, attribute,
// kind and group→role mappings, schedule), with "Test connection" testing what is on the
// form before it is saved. Works without JavaScript: the group mapping shows its rows plus
// a few empty ones.
import { html, type SafeHtml } from '../../../html.js';
import { DEFAULT_LDAP_SETTINGS, MAPPED_FIELDS, type LdapSettings, type MappedField } from '../../../directory/ldap-settings.js';
import type { LdapSettingsInput, LdapSettingsView } from '../../../directory/ldap-settings-service.js';
import type { RoleView } from '../../../roles/role-service.js';
import { csrfField, field } from '../../layout.js';
import { checkbox, select, textarea } from '../../form-controls.js';

const FIELD_LABELS: Record<MappedField, [string, string]> = {
  username: ['Username', 'uid; sAMAccountName or userPrincipalName in Active Directory. Empty: the email.'],
  email: ['Email', 'mail. Entries without one (or an empty field here) make accounts without an address: they get no mail and sign in by username.'],
  givenName: ['First name', 'givenName'],
  familyName: ['Last name', 'sn'],
  displayName: ['Display name', 'displayName'],
  phone: ['Phone', 'telephoneNumber or mobile'],
  department: ['Department', 'departmentNumber, ou or department'],
  title: ['Title', 'title'],
  externalId: ['External id', 'entryUUID (OpenLDAP), objectGUID (Active Directory), or another attribute that never changes'],
};

const EMPTY_GROUP_ROWS = 3;

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The form's fields back to settings (validation is the service's). */
export function settingsFromForm(body: Record<string, unknown>): LdapSettingsInput {
  const attributes = Object.fromEntries(MAPPED_FIELDS.map((f) => [f, str(body[`attr_${f}`])])) as Record<MappedField, string>;
  const groupRoles: LdapSettings['groupRoles'] = [];
  for (let i = 0; i < 200 && (`groupDn_${i}` in body || `roleId_${i}` in body); i++) {
    const groupDn = str(body[`groupDn_${i}`]);
    const roleId = str(body[`roleId_${i}`]);
    if (groupDn || roleId) groupRoles.push({ groupDn, roleId });
  }
  const interval = str(body.intervalMinutes);
  const mode = str(body.kindMode);
  return {
    url: str(body.url),
    startTls: body.startTls === 'on',
    tlsCa: str(body.tlsCa),
    bindDn: str(body.bindDn),
    baseDn: str(body.baseDn),
    filter: str(body.filter),
    attributes,
    kind: { mode: (['none', 'attribute', 'group'].includes(mode) ? mode : 'none') as LdapSettings['kind']['mode'], attribute: str(body.kindAttribute), value: str(body.kindValue), groupDn: str(body.kindGroupDn) },
    groupRoles,
    deactivateMissing: body.deactivateMissing === 'on',
    intervalMinutes: interval === '' ? 0 : /^\d+$/.test(interval) ? Number(interval) : Number.NaN,
    bindSecret: typeof body.bindSecret === 'string' ? body.bindSecret : '',
    clearSecret: body.clearSecret === 'on',
  };
}

export interface LdapSettingsPageState {
  csrfToken: string;
  view: LdapSettingsView;
  roles: RoleView[];
  /** What was submitted, kept on an error or a test. */
  values?: LdapSettings;
  errors?: Record<string, string>;
  notice?: string;
  /** Why the save or test was refused (403). */
  refusal?: string;
  test?: { ok: boolean; message: string };
}

export function ldapSettingsBody(s: LdapSettingsPageState): SafeHtml {
  const v = s.values ?? s.view.settings ?? DEFAULT_LDAP_SETTINGS;
  const e = s.errors ?? {};
  const roleOptions = [{ value: '', label: 'Choose a role' }, ...s.roles.filter((r) => r.builtin !== 'owner').map((r) => ({ value: r.id, label: r.name }))];
  const rows = [...v.groupRoles, ...Array.from({ length: EMPTY_GROUP_ROWS }, () => ({ groupDn: '', roleId: '' }))];
  return html`<h1>LDAP directory sync</h1>
<p><a href="/admin/directory">← Directory</a></p>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${s.refusal ? html`<p class="error-box" role="alert">${s.refusal}</p>` : ''}
${s.test ? html`<p class="${s.test.ok ? 'notice' : 'error-box'}" role="status"><strong>${s.test.ok ? 'Connection works.' : 'Connection failed.'}</strong> ${s.test.message}</p>` : ''}
${Object.keys(e).length ? html`<p class="error-box" role="alert">Some fields need attention; see the messages below.</p>` : ''}
<form method="post" action="/admin/directory/ldap" novalidate>${csrfField(s.csrfToken)}
<h2>Connection</h2>
${field({ name: 'url', label: 'Directory URL', value: v.url, error: e.url, hint: 'ldap://ldap.example.com:389, or ldaps://ldap.example.com:636 for TLS.' })}
${checkbox({ name: 'startTls', label: 'Use StartTLS (ldap:// only)', checked: v.startTls })}${e.startTls ? html`<p class="field-error">${e.startTls}</p>` : ''}
${textarea({ name: 'tlsCa', label: 'CA certificate (PEM, optional)', value: v.tlsCa, error: e.tlsCa, rows: 3, hint: 'Only if the directory uses a certificate from a private CA.' })}
${field({ name: 'bindDn', label: 'Bind DN', value: v.bindDn, error: e.bindDn, hint: 'The account the sync reads the directory as, such as cn=gatehouse,ou=services,dc=example,dc=com. Empty: anonymous.' })}
${s.view.secretFromConfig
    ? html`<p class="hint">The bind password comes from the configuration (LDAP_BIND_PASSWORD).</p>`
    : html`${field({ name: 'bindSecret', label: 'Bind password', type: 'password', error: e.bindSecret, hint: s.view.hasSecret ? 'A password is stored (encrypted). Leave empty to keep it.' : 'Stored encrypted; never shown again.' })}
${s.view.hasSecret ? checkbox({ name: 'clearSecret', label: 'Remove the stored password', checked: false }) : ''}`}
<h2>Accounts</h2>
${field({ name: 'baseDn', label: 'Base DN', value: v.baseDn, error: e.baseDn, hint: 'Where accounts are searched, such as ou=people,dc=example,dc=com.' })}
${field({ name: 'filter', label: 'Filter', value: v.filter, error: e.filter, hint: 'Which entries are accounts, such as (&(objectClass=person)(mail=*)).' })}
<h2>Attributes</h2>
<p class="hint">The directory attribute for each account field; empty leaves the field alone.</p>
${MAPPED_FIELDS.map((f) => field({ name: `attr_${f}`, label: FIELD_LABELS[f][0], value: v.attributes[f], error: e[`attr_${f}`], hint: FIELD_LABELS[f][1] }))}
<h2>Requesters</h2>
${select({
    name: 'kindMode',
    label: 'Which entries are requesters (their own seat pool)',
    value: v.kind.mode,
    error: e.kindMode,
    options: [
      { value: 'none', label: 'None: every account is a user' },
      { value: 'attribute', label: 'Entries whose attribute has a value' },
      { value: 'group', label: 'Members of a group' },
    ],
  })}
${field({ name: 'kindAttribute', label: 'Attribute', value: v.kind.attribute, error: e.kindAttribute, hint: 'For example employeeType.' })}
${field({ name: 'kindValue', label: 'Value marking requesters', value: v.kind.value, error: e.kindValue, hint: 'For example requester (compared without case).' })}
${field({ name: 'kindGroupDn', label: 'Requester group DN', value: v.kind.groupDn, error: e.kindGroupDn })}
<h2>Groups → roles</h2>
<p class="hint">Members of a group get its role; the sync removes it when they leave. Roles given by hand stay.</p>
<table><thead><tr><th>Group DN</th><th>Role</th></tr></thead><tbody>
${rows.map(
    (g, i) => html`<tr><td><input type="text" name="groupDn_${String(i)}" value="${g.groupDn}" aria-label="Group DN ${String(i + 1)}" ${e[`groupRole_${i}`] ? html`class="invalid"` : ''}>
${e[`groupRole_${i}`] ? html`<p class="field-error">${e[`groupRole_${i}`]}</p>` : ''}</td>
<td><select name="roleId_${String(i)}" aria-label="Role ${String(i + 1)}">${roleOptions.map((o) => html`<option value="${o.value}" ${o.value === g.roleId ? html`selected` : ''}>${o.label}</option>`)}</select></td></tr>`,
  )}
</tbody></table>
<h2>Schedule</h2>
${checkbox({ name: 'deactivateMissing', label: 'Deactivate accounts whose entry is gone from the directory', checked: v.deactivateMissing, hint: 'Only accounts that came from the directory. They are reactivated if the entry returns.' })}
${field({ name: 'intervalMinutes', label: 'Run every (minutes)', value: Number.isFinite(v.intervalMinutes) ? String(v.intervalMinutes) : '', error: e.intervalMinutes, hint: '0: only when started by hand (the Sync now button or the CLI).' })}
<button type="submit" name="action" value="save">Save settings</button>
<button type="submit" name="action" value="test" class="secondary">Test connection</button>
</form>`;
}
