// The Roles pages (SPEC "Roles, permissions, groups"; seed 003's matrix): the list with
// holder counts and permissions plus a create form, and one role's page — read-only for
// built-in roles, rename / permissions / delete-with-reassignment for custom ones.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { RoleView } from '../../../roles/role-service.js';
import { PERMISSIONS } from '../../../roles/permission-catalogue.js';
import { csrfField, field } from '../../layout.js';
import { checkboxes, select, textarea } from '../../form-controls.js';

const CATALOGUE = PERMISSIONS.map((p) => ({ value: p, label: p }));

export interface PermissionValues {
  catalogue: string[];
  extra: string;
}

/** Splits a role's permissions into catalogue checkboxes and free strings (one a line). */
export function permissionValues(permissions: readonly string[]): PermissionValues {
  const known = new Set<string>(PERMISSIONS);
  return { catalogue: permissions.filter((p) => known.has(p)), extra: permissions.filter((p) => !known.has(p)).join('\n') };
}

function permissionControls(values: PermissionValues, errors: FieldErrors): SafeHtml {
  return html`${checkboxes({ name: 'permissions', label: 'Permissions', options: CATALOGUE, checked: values.catalogue })}
${textarea({ name: 'extraPermissions', label: 'Other permissions', value: values.extra, error: errors.permissions, hint: 'Permission strings for your applications, one a line (letters, digits and . _ : -). You can only grant permissions you hold yourself.' })}`;
}

function kindLabel(role: RoleView): string {
  return role.builtin ? 'Built-in' : 'Custom';
}

export interface RoleListState {
  csrfToken: string;
  roles: RoleView[];
  notice?: string;
  values?: { name: string } & PermissionValues;
  errors?: FieldErrors;
}

export function roleListBody(s: RoleListState): SafeHtml {
  const errors = s.errors ?? {};
  const values = s.values ?? { name: '', catalogue: [], extra: '' };
  return html`<h1>Roles</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
<table><thead><tr><th>Role</th><th>Type</th><th>Holders</th><th>Permissions</th></tr></thead><tbody>
${s.roles.map((r) => html`<tr><td><a href="/admin/roles/${r.id}">${r.name}</a></td><td>${kindLabel(r)}</td><td>${r.holders}</td><td>${r.permissions.length ? r.permissions.join(', ') : html`<em>none</em>`}</td></tr>`)}
</tbody></table>
<h2 id="create">Create a role</h2>
${Object.keys(errors).length ? html`<p class="error-box" role="alert">The role was not created: see the messages below.</p>` : ''}
<form method="post" action="/admin/roles">${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: values.name, error: errors.name, required: true })}
${permissionControls(values, errors)}
<button type="submit">Create role</button></form>`;
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
<h2>Permissions</h2><ul>${role.permissions.map((p) => html`<li><code>${p}</code></li>`)}</ul>`;
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
