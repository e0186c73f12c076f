// The admin pages' permission matrix: every
// built-in role, and custom roles holding one permission, against every admin route, GET
// and POST. A route is allowed (200 or 303) exactly when the role holds the route's
// permission, and refused with 403 otherwise — without showing any of the page's data.
// Without a session, pages send the browser to sign in. Add a route: add one ROUTES line.
import { expect } from 'chai';
import { BUILT_IN_ROLES } from '../../src/roles/permission-catalogue.js';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addBuiltIn, clientFor, signIn, signedOut, type AdminClient, type BuiltIn, type Form } from './admin-kit.js';
import { addUser } from '../accounts/account-fixtures.js';

/** Things the pages would show; a refused request must not reveal any of them. */
const MARKERS = { role: 'Spare-7f3e', client: 'Client-7f3e', actor: 'Actor-7f3e', user: 'target-7f3e' };

interface Fixtures {
  roleId: string;
  clientId: string;
  userId: string;
}

interface RouteCase {
  method: 'GET' | 'POST';
  path: string | ((f: Fixtures) => string);
  permission: string;
  form?: Form;
}

const SETTINGS_FORM: Form = {
  organizationName: 'Gatehouse', invitationExpiryHours: '168', invitationDefaultRoles: 'Member', registrationMode: 'off', registrationDomains: '',
  registrationDefaultRoles: 'Viewer', requireEmailConfirmation: 'on', totpRequired: 'off', sessionIdleMinutes: '30', sessionLifetimeHours: '12',
  provisionedCredentialMode: 'scim_password',
};

// In order: a route that removes a fixture comes after the routes that use it.
const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/admin', permission: 'users.view' },
  { method: 'GET', path: '/admin/users', permission: 'users.view' },
  { method: 'GET', path: '/admin/users/new', permission: 'users.manage' },
  { method: 'POST', path: '/admin/users/new', permission: 'users.manage', form: { givenName: 'Matrix', familyName: 'User', email: 'matrix.user@example.com', kind: 'user', passwordMode: 'random', confirmed: 'on' } },
  { method: 'GET', path: (f) => `/admin/users/${f.userId}`, permission: 'users.view' },
  { method: 'POST', path: (f) => `/admin/users/${f.userId}/deactivate`, permission: 'users.manage', form: { reason: 'matrix' } },
  { method: 'GET', path: '/admin/roles', permission: 'roles.manage' },
  { method: 'POST', path: '/admin/roles', permission: 'roles.manage', form: { name: 'Matrix role' } },
  { method: 'GET', path: (f) => `/admin/roles/${f.roleId}`, permission: 'roles.manage' },
  { method: 'POST', path: (f) => `/admin/roles/${f.roleId}/rename`, permission: 'roles.manage', form: { name: `${MARKERS.role} renamed` } },
  { method: 'POST', path: (f) => `/admin/roles/${f.roleId}/permissions`, permission: 'roles.manage', form: { permissions: 'users.view' } },
  { method: 'POST', path: (f) => `/admin/roles/${f.roleId}/delete`, permission: 'roles.manage', form: { reassignTo: '' } },
  { method: 'GET', path: '/admin/seats', permission: 'users.view' },
  { method: 'POST', path: '/admin/seats', permission: 'seats.manage', form: { pool: 'requester', 'limit-requester': '100' } },
  { method: 'GET', path: '/admin/clients', permission: 'clients.manage' },
  { method: 'GET', path: '/admin/clients/new', permission: 'clients.manage' },
  { method: 'POST', path: '/admin/clients', permission: 'clients.manage', form: { name: 'Matrix app', type: 'public', redirectUris: 'https://matrix.example.com/cb' } },
  { method: 'GET', path: (f) => `/admin/clients/${f.clientId}`, permission: 'clients.manage' },
  { method: 'POST', path: (f) => `/admin/clients/${f.clientId}`, permission: 'clients.manage', form: { name: MARKERS.client, redirectUris: 'https://app.example.com/cb2' } },
  { method: 'GET', path: (f) => `/admin/clients/${f.clientId}/remove`, permission: 'clients.manage' },
  { method: 'POST', path: (f) => `/admin/clients/${f.clientId}/remove`, permission: 'clients.manage' },
  { method: 'GET', path: '/admin/settings', permission: 'settings.manage' },
  { method: 'POST', path: '/admin/settings', permission: 'settings.manage', form: SETTINGS_FORM },
  { method: 'GET', path: '/admin/upstream', permission: 'settings.manage' },
  { method: 'GET', path: '/admin/scim-tokens', permission: 'scim.manage' },
  { method: 'POST', path: '/admin/scim-tokens', permission: 'scim.manage', form: { name: 'Matrix directory' } },
  { method: 'GET', path: '/admin/directory', permission: 'directory.manage' },
  { method: 'GET', path: '/admin/directory/ldap', permission: 'directory.manage' },
  { method: 'GET', path: '/admin/directory/import', permission: 'directory.manage' },
  { method: 'GET', path: '/admin/audit', permission: 'audit.view' },
  { method: 'GET', path: '/admin/audit/export.csv', permission: 'audit.view' },
  { method: 'GET', path: '/admin/invitations', permission: 'users.invite' },
  { method: 'GET', path: '/admin/invitations/new', permission: 'users.invite' },
  { method: 'POST', path: '/admin/invitations/new', permission: 'users.invite', form: { 'rows.0.addresses': 'matrix.invitee@example.com', 'rows.0.kind': 'user', action: 'add' } },
  { method: 'GET', path: '/admin/invitations/bulk', permission: 'users.invite' },
  { method: 'GET', path: '/admin/invitations/bulk/template.csv', permission: 'users.invite' },
];

async function fixtures(h: Harness): Promise<Fixtures> {
  const role = await h.services.roles.create(h.system(), { name: MARKERS.role, permissions: ['users.view'] });
  const { client } = await h.services.clients.add(h.system(), { name: MARKERS.client, type: 'web', redirectUris: ['https://app.example.com/cb'] });
  const user = await addUser(h, { username: MARKERS.user });
  await h.services.audit.record({ actor: { userId: null, label: MARKERS.actor, permissions: new Set() }, source: 'system', ip: null }, 'settings.changed', { key: 'x' });
  return { roleId: role.id, clientId: client.clientId, userId: user.id };
}

function pathOf(route: RouteCase, f: Fixtures): string {
  return typeof route.path === 'function' ? route.path(f) : route.path;
}

/** Runs every route as `who`; returns one line per route whose answer was not the expected one. */
async function mismatches(h: Harness, who: AdminClient, permissions: ReadonlySet<string>): Promise<string[]> {
  const f = await fixtures(h);
  const wrong: string[] = [];
  for (const route of ROUTES) {
    const path = pathOf(route, f);
    const res = route.method === 'GET' ? await who.get(path) : await who.post(path, route.form);
    const allowed = permissions.has(route.permission);
    const ok = allowed ? res.status === 200 || res.status === 303 : res.status === 403;
    if (!ok) wrong.push(`${route.method} ${path}: ${res.status}, expected ${allowed ? '200/303' : '403'}`);
    if (!allowed) {
      for (const marker of Object.values(MARKERS)) if (res.text.includes(marker)) wrong.push(`${route.method} ${path}: the 403 page shows ${marker}`);
    }
  }
  return wrong;
}

const BUILT_INS: BuiltIn[] = ['owner', 'admin', 'member', 'viewer'];
const SINGLE_PERMISSION_ROLES = [['audit.view'], ['clients.manage'], ['seats.manage'], ['scim.manage']];

describeEachDatabase('admin pages: permission matrix', (h) => {
  for (const role of BUILT_INS) {
    it(`${role}: allowed exactly the routes its permissions cover`, async () => {
      const user = await addBuiltIn(h, role);
      const permissions = new Set(BUILT_IN_ROLES.find((r) => r.key === role)!.permissions);
      expect(await mismatches(h, await signIn(h, user), permissions)).to.deep.equal([]);
    });
  }

  for (const only of SINGLE_PERMISSION_ROLES) {
    it(`a custom role holding only ${only.join(', ')}: that route allowed, every other refused`, async () => {
      const role = await h.services.roles.create(h.system(), { name: `Only ${only.join(' ')}`, permissions: only });
      const user = await addUser(h, {}, { roleIds: [role.id] });
      expect(await mismatches(h, await signIn(h, user), new Set(only))).to.deep.equal([]);
    });
  }

  it('an account with no role is refused everywhere', async () => {
    const user = await addUser(h);
    expect(await mismatches(h, await signIn(h, user), new Set())).to.deep.equal([]);
  });

  it('without a session: pages send the browser to sign in, forms are refused', async () => {
    const f = await fixtures(h);
    const anonymous = signedOut(h);
    const stale = clientFor(h, null, 'not-a-session-token-at-all-0123456789abcdef');
    for (const who of [anonymous, stale]) {
      for (const route of ROUTES) {
        const path = pathOf(route, f);
        if (route.method === 'GET') {
          const res = await who.get(path);
          expect(res.status, path).to.equal(303);
          expect(res.headers.location, path).to.equal(`/auth/login?returnTo=${encodeURIComponent(path)}`);
        } else {
          const res = await who.post(path, route.form);
          expect(res.status, path).to.equal(401);
          expect(res.text).to.include('Your session has ended');
        }
      }
    }
    expect(await h.services.roles.get(f.roleId)).to.deep.include({ name: MARKERS.role });
    expect(await h.services.clients.get(f.clientId)).to.deep.include({ name: MARKERS.client });
  });
});
