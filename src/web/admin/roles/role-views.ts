// The Roles pages: the roles with
// their holders, a grid of permissions (grouped by area, described) against roles, the
// New role page, and one role's page — read-only for built-in roles, rename / permissions /
// delete-with-reassignment for custom ones.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { RoleView } from '../../../roles/role-service.js';
import { BUILT_IN_ROLES, PERMISSIONS } from '../../../roles/permission-catalogue.js';
import { PERMISSION_AREAS, PERMISSION_DESCRIPTIONS } from '../../../roles/permission-descriptions.js';
import { csrfField, field, tableWrap } from '../../layout.js';
import { select, textarea } from '../../form-controls.js';

export interface PermissionValues {
  catalogue: string[];
  extra: string;
}

/** Splits a role's permissions into catalogue checkboxes and free strings (one a line). */
export function permissionValues(permissions: readonly string[]): PermissionValues {
  const known = new Set<string>(PERMISSIONS);
  return { catalogue: permissions.filter((p) => known.has(p)), extra: permissions.filter((p) => !known.has(p)).join('\n') };
}

/** The catalogue as checkboxes, one fieldset per area, each permission with what it allows. */
function permissionControls(values: PermissionValues, errors: FieldErrors): SafeHtml {
  return html`<div id="f-permissions" class="permission-areas">${PERMISSION_AREAS.map(
    ({ area, permissions }) => html`<fieldset><legend>${area}</legend>${permissions.map(
      (p) => html`<label class="choice"><input type="checkbox" name="permissions" value="${p}" ${values.catalogue.includes(p) ? html`checked` : ''}><span><code>${p}</code> <span class="muted">${PERMISSION_DESCRIPTIONS[p].description}</span></span></label>`,
    )}</fieldset>`,
  )}</div>
${textarea({ name: 'extraPermissions', label: 'Other permissions', value: values.extra, error: errors.permissions, hint: 'Permission strings for your applications, one a line (letters, digits and . _ : -). You can only grant permissions you hold yourself.' })}`;
}

function describe(permission: string): SafeHtml {
  const known = (PERMISSION_DESCRIPTIONS as Record<string, { description: string } | undefined>)[permission];
  return known ? html` <span class="muted">${known.description}</span>` : html``;
}

function kindLabel(role: RoleView): string {
  return role.builtin ? 'Built-in' : 'Custom';
}

function granted(yes: boolean): SafeHtml {
  return yes ? html`<span aria-hidden="true">✓</span><span class="visually-hidden">granted</span>` : html`<span class="visually-hidden">not granted</span>`;
}

/** Built-in roles from the most to the least powerful, then custom roles by name. */
function byPower(roles: RoleView[]): RoleView[] {
  const rank = (r: RoleView) => (r.builtin ? BUILT_IN_ROLES.findIndex((b) => b.key === r.builtin) : BUILT_IN_ROLES.length);
  return [...roles].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** Permissions (rows, by area) against roles (columns); strings outside the catalogue last. */
function permissionGrid(unordered: RoleView[]): SafeHtml {
  const roles = byPower(unordered);
  const known = new Set<string>(PERMISSIONS);
  const others = [...new Set(roles.flatMap((r) => r.permissions).filter((p) => !known.has(p)))].sort();
  const areas: Array<{ area: string; rows: Array<{ permission: string; description: string }> }> = [
    ...PERMISSION_AREAS.map(({ area, permissions }) => ({ area, rows: permissions.map((p) => ({ permission: p, description: PERMISSION_DESCRIPTIONS[p].description })) })),
    ...(others.length ? [{ area: 'Your applications', rows: others.map((p) => ({ permission: p, description: '' })) }] : []),
  ];
  return html`${tableWrap('Permissions of each role', html`<table id="permission-grid" class="grid"><caption class="visually-hidden">Permissions of each role</caption>
<thead><tr><th scope="col">Permission</th>${roles.map((r) => html`<th scope="col" class="check"><a href="/admin/roles/${r.id}">${r.name}</a></th>`)}</tr></thead>
${areas.map(
  ({ area, rows }) => html`<tbody><tr class="area"><th scope="colgroup" colspan="${String(roles.length + 1)}">${area}</th></tr>
${rows.map((row) => html`<tr data-permission="${row.permission}"><th scope="row"><code>${row.permission}</code>${row.description ? html`<br><span class="muted">${row.description}</span>` : ''}</th>${roles.map((r) => html`<td class="check">${granted(r.permissions.includes(row.permission))}</td>`)}</tr>`)}</tbody>`,
)}
</table>`)}`;
}

export interface RoleListState {
  csrfToken: string;
  roles: RoleView[];
  notice?: string;
  values?: { name: string } & PermissionValues;
  errors?: FieldErrors;
}

export function roleListBody(s: Omit<RoleListState, 'values' | 'errors'>): SafeHtml {
  return html`<div class="page-head"><h1>Roles</h1><a class="button" href="/admin/roles/new">New role</a></div>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${tableWrap('Roles', html`<table id="roles"><thead><tr><th>Role</th><th>Type</th><th>Holders</th><th>Permissions</th></tr></thead><tbody>
${byPower(s.roles).map((r) => html`<tr><td><a href="/admin/roles/${r.id}">${r.name}</a></td><td>${kindLabel(r)}</td><td>${r.holders}</td><td>${r.permissions.length}${r.description ? html` · <span class="muted">${r.description}</span>` : ''}</td></tr>`)}
</tbody></table>`)}
<h2>Permissions by role</h2>
<p class="muted">What each role may do. Gatehouse acts on the People, Organization and Connections permissions; the others are for your applications to read from tokens.</p>
${permissionGrid(s.roles)}`;
}

export function newRoleBody(s: Pick<RoleListState, 'csrfToken' | 'values' | 'errors'>): SafeHtml {
  const errors = s.errors ?? {};
  const values = s.values ?? { name: '', catalogue: [], extra: '' };
  return html`<p><a href="/admin/roles">← Roles</a></p><h1>New role</h1>
${Object.keys(errors).length ? html`<p class="error-box" role="alert">The role was not created: see the messages below.</p>` : ''}
<form method="post" action="/admin/roles">${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: values.name, error: errors.name, required: true })}
<h2>Permissions</h2>
${permissionControls(values, errors)}
<div class="form-actions"><button type="submit">Create role</button><a class="button secondary" href="/admin/roles">Cancel</a></div></form>`;
}

export interface RoleDetailState {
  csrfToken: string;
  role: RoleView;
  /** Roles its holders may be given instead when it is deleted. */
  others: RoleView[];
  notice?: string;
  renameValue?: string;
  renameErrors?: FieldErrors;
  permissionValues?: PermissionValues;
  permissionErrors?: FieldErrors;
  reassignTo?: string;
  deleteErrors?: FieldErrors;
}

export function roleDetailBody(s: RoleDetailState): SafeHtml {
  const { role } = s;
  const header = html`<p><a href="/admin/roles">← Roles</a></p><h1>${role.name}</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
<p>${kindLabel(role)} role · ${role.holders} holder${role.holders === 1 ? '' : 's'}</p>`;
  if (role.builtin) {
    const refused = Object.values({ ...s.renameErrors, ...s.permissionErrors, ...s.deleteErrors });
    return html`${header}
${refused.length ? html`<p class="error-box" role="alert">${refused.join(' ')}</p>` : ''}
<p class="notice">Built-in roles are protected: they cannot be renamed, changed or deleted.${role.description ? html` ${role.description}` : ''}</p>
<h2>Permissions</h2><ul>${role.permissions.map((p) => html`<li><code>${p}</code>${describe(p)}</li>`)}</ul>`;
  }
  const renameErrors = s.renameErrors ?? {};
  const permissionErrors = s.permissionErrors ?? {};
  const deleteErrors = s.deleteErrors ?? {};
  const reassignOptions = [{ value: '', label: role.holders ? 'Choose a role for its holders' : 'Nobody holds it: no reassignment needed' }, ...s.others.map((o) => ({ value: o.id, label: o.name }))];
  return html`${header}
<h2>Rename</h2>
<form method="post" action="/admin/roles/${role.id}/rename">${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: s.renameValue ?? role.name, error: renameErrors.name, required: true })}
<button type="submit">Rename</button></form>
<h2>Permissions</h2>
<form method="post" action="/admin/roles/${role.id}/permissions">${csrfField(s.csrfToken)}
${permissionControls(s.permissionValues ?? permissionValues(role.permissions), permissionErrors)}
<button type="submit">Save permissions</button></form>
<h2>Delete</h2>
<form method="post" action="/admin/roles/${role.id}/delete">${csrfField(s.csrfToken)}
${role.holders ? html`<p>${role.holders} account${role.holders === 1 ? ' holds' : 's hold'} this role. Choose the role they get instead; then it is deleted.</p>` : ''}
${select({ name: 'reassignTo', label: 'Give its holders', options: reassignOptions, value: s.reassignTo ?? '', error: deleteErrors.reassignTo })}
<button type="submit" class="danger">Delete role</button></form>`;
}
