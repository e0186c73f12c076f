// The Roles pages over HTTP, with their permission matrix: list
// with holder counts, create / rename / permissions (catalogue + free strings) / delete
// with reassignment, every validation message beside its field with values kept, and
// built-in roles read-only and protected.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, addWithRole, auditEvents } from '../accounts/account-fixtures.js';
import { addBuiltIn, asBuiltIn, expectFieldError, inputValue, isChecked, signIn, textareaValue, type Form } from './admin-kit.js';

describeEachDatabase('admin pages: roles', (h) => {
  it('lists every role with its holders, and a grid of the permissions (grouped by area, described) against the roles', async () => {
    const owner = await asBuiltIn(h, 'owner');
    await addWithRole(h, 'viewer');
    await addWithRole(h, 'viewer');
    await h.services.roles.create(h.system(), { name: 'Timesheet approvers', permissions: ['timesheets.approve', 'users.view'] });
    const res = await owner.get('/admin/roles');
    expect(res.status).to.equal(200);
    const viewerRow = /<tr><td><a href="\/admin\/roles\/[^"]+">Viewer<\/a><\/td><td>Built-in<\/td><td>(\d+)<\/td><td>(\d+) · /.exec(res.text);
    expect(viewerRow, 'the Viewer row').to.not.equal(null);
    expect(viewerRow![1]).to.equal('2');
    expect(viewerRow![2]).to.equal('4');
    expect(res.text).to.match(/>Owner<\/a><\/td><td>Built-in<\/td><td>1<\/td>/);
    expect(res.text).to.include('<a class="button" href="/admin/roles/new">New role</a>');
    // The grid: a row per permission with its description, a column per role.
    const columns = [...res.text.matchAll(/<th scope="col" class="check"><a href="[^"]+">([^<]+)<\/a><\/th>/g)].map((m) => m[1]);
    expect(columns).to.deep.equal(['Owner', 'Admin', 'Member', 'Viewer', 'Timesheet approvers']);
    const granted = (permission: string) => {
      const row = new RegExp(`<tr data-permission="${permission.replace(/\./g, '\\.')}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1] ?? '';
      return [...row.matchAll(/<td class="check">(.*?)<\/td>/g)].map((m) => m[1]!.includes('✓'));
    };
    expect(granted('users.view')).to.deep.equal([true, true, true, true, true]);
    expect(granted('seats.manage')).to.deep.equal([true, false, false, false, false]);
    expect(granted('timesheets.approve')).to.deep.equal([false, false, false, false, true]);
    expect(res.text).to.include('Set the licence seat limits of each pool.');
    const areas = [...res.text.matchAll(/<th scope="colgroup" colspan="6">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(areas).to.deep.equal(['People', 'Organization', 'Connections', 'Assets', 'Licences', 'Reports and data', 'Your applications']);
  });

  it('offers a New role page with the permissions grouped and described, and a Cancel link', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.get('/admin/roles/new');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<h1>New role</h1>');
    expect(res.text).to.include('<form method="post" action="/admin/roles">');
    expect(res.text).to.include('<legend>Connections</legend>');
    expect(res.text).to.include('Create and revoke SCIM tokens for directories such as Entra ID or Okta.');
    expect(res.text).to.include('<a class="button secondary" href="/admin/roles">Cancel</a>');
    expect(res.text).to.include('name="_csrf" value="' + admin.csrf + '"');
    const viewer = await asBuiltIn(h, 'viewer');
    expect((await viewer.get('/admin/roles/new')).status).to.equal(403);
  });

  it('creates a role from catalogue permissions and free strings the creator holds', async () => {
    // Free strings follow the grant rule too: the owner holds finance.approve through a role.
    const finance = await h.services.roles.create(h.system(), { name: 'Finance approvers', permissions: ['finance.approve'] });
    const ownerUser = await addBuiltIn(h, 'owner');
    await h.services.roles.setUserRoles(h.system(), ownerUser.id, [(await h.services.roles.builtin('owner')).id, finance.id]);
    const owner = await signIn(h, ownerUser);
    const res = await owner.post('/admin/roles', { name: '  Auditors ', permissions: ['audit.view', 'users.view'], extraPermissions: 'finance.approve\n' });
    expect(res.status).to.equal(303);
    const created = await h.services.roles.findByName('Auditors');
    expect(res.headers.location).to.equal(`/admin/roles/${created!.id}?done=created`);
    expect(created!.permissions).to.deep.equal(['audit.view', 'finance.approve', 'users.view']);
    const page = await owner.get(res.headers.location!);
    expect(page.text).to.include('Role created.');
    expect(isChecked(page.text, 'permissions', 'audit.view')).to.equal(true);
    expect(isChecked(page.text, 'permissions', 'users.manage')).to.equal(false);
    expect(textareaValue(page.text, 'extraPermissions')).to.equal('finance.approve');
    const [event] = await auditEvents(h, { action: 'role.created', targetId: created!.id });
    expect(event!).to.deep.include({ actorId: ownerUser.id, source: 'admin' });
  });

  it('refuses a role without a name, with a bad permission string, with a taken name, or granting what the creator lacks', async () => {
    const admin = await asBuiltIn(h, 'admin');
    let res = await admin.post('/admin/roles', { name: '', permissions: ['audit.view'], extraPermissions: 'app.read' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'name', 'Name is required.');
    expect(isChecked(res.text, 'permissions', 'audit.view'), 'checked box kept').to.equal(true);
    expect(textareaValue(res.text, 'extraPermissions')).to.equal('app.read');

    res = await admin.post('/admin/roles', { name: 'Readers', extraPermissions: 'app.read\nnot valid!' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('&quot;valid!&quot; is not a valid permission');
    expect(inputValue(res.text, 'name')).to.equal('Readers');

    res = await admin.post('/admin/roles', { name: 'member' });
    expect(res.status).to.equal(409);
    expectFieldError(res.text, 'name', 'A role named Member already exists.');

    // An admin does not hold seats.manage, so cannot put it in a role (nobody grants what
    // they do not hold).
    res = await admin.post('/admin/roles', { name: 'Seat keepers', permissions: ['seats.manage'] });
    expect(res.status).to.equal(403);
    expectFieldError(res.text, 'extraPermissions', 'You cannot grant permissions you do not hold (seats.manage).');
    expect(inputValue(res.text, 'name')).to.equal('Seat keepers');
    expect(isChecked(res.text, 'permissions', 'seats.manage')).to.equal(true);
    expect(await h.services.roles.findByName('Seat keepers')).to.equal(null);
  });

  it('renames a custom role, refusing an empty or taken name', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const role = await h.services.roles.create(h.system(), { name: 'Support', permissions: ['users.view'] });
    let res = await admin.post(`/admin/roles/${role.id}/rename`, { name: 'Helpdesk' });
    expect(res.status).to.equal(303);
    expect((await h.services.roles.get(role.id)).name).to.equal('Helpdesk');
    expect((await auditEvents(h, { action: 'role.renamed' }))[0]!.details).to.deep.equal({ from: 'Support', to: 'Helpdesk' });

    res = await admin.post(`/admin/roles/${role.id}/rename`, { name: '' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'name', 'Name is required.');
    res = await admin.post(`/admin/roles/${role.id}/rename`, { name: 'VIEWER' });
    expect(res.status).to.equal(409);
    expectFieldError(res.text, 'name', 'A role named Viewer already exists.');
    expect(inputValue(res.text, 'name')).to.equal('VIEWER');
    expect((await h.services.roles.get(role.id)).name).to.equal('Helpdesk');
  });

  it('edits permissions (catalogue and free strings), refusing bad strings with the values kept', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const role = await h.services.roles.create(h.system(), { name: 'Support', permissions: ['users.view', 'crm.read'] });
    let page = await admin.get(`/admin/roles/${role.id}`);
    expect(isChecked(page.text, 'permissions', 'users.view')).to.equal(true);
    expect(textareaValue(page.text, 'extraPermissions')).to.equal('crm.read');

    // crm.read is kept (already on the role: not a new grant); users.invite is added.
    let res = await admin.post(`/admin/roles/${role.id}/permissions`, { permissions: ['users.view', 'users.invite'], extraPermissions: 'crm.read' });
    expect(res.status).to.equal(303);
    expect((await h.services.roles.get(role.id)).permissions).to.deep.equal(['crm.read', 'users.invite', 'users.view']);
    const [event] = await auditEvents(h, { action: 'role.permissions_changed' });
    expect(event!.details).to.deep.equal({ added: ['users.invite'], removed: [] });

    res = await admin.post(`/admin/roles/${role.id}/permissions`, { permissions: ['audit.view'], extraPermissions: 'crm.read, bad!perm' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'extraPermissions', '"bad!perm" is not a valid permission');
    expect(isChecked(res.text, 'permissions', 'audit.view')).to.equal(true);
    expect(isChecked(res.text, 'permissions', 'users.invite')).to.equal(false);
    expect(textareaValue(res.text, 'extraPermissions')).to.equal('crm.read, bad!perm');

    // Adding a free string the admin does not hold is refused like any permission.
    res = await admin.post(`/admin/roles/${role.id}/permissions`, { permissions: ['users.view'], extraPermissions: 'crm.read\ncrm.write' });
    expect(res.status).to.equal(403);
    expectFieldError(res.text, 'extraPermissions', 'crm.write');
    expect((await h.services.roles.get(role.id)).permissions).to.deep.equal(['crm.read', 'users.invite', 'users.view']);
  });

  it('deletes a role only with a role for its holders, then moves them', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const role = await h.services.roles.create(h.system(), { name: 'Contractors', permissions: ['users.view'] });
    const holder = await addUser(h, {}, { roleIds: [role.id] });
    const viewer = await h.services.roles.builtin('viewer');

    let res = await admin.post(`/admin/roles/${role.id}/delete`, { reassignTo: '' });
    expect(res.status).to.equal(409);
    expectFieldError(res.text, 'reassignTo', 'is held by 1 account(s)');
    res = await admin.post(`/admin/roles/${role.id}/delete`, { reassignTo: role.id });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'reassignTo', 'Choose a different role');
    expect(await h.services.roles.findByName('Contractors')).to.not.equal(null);

    const page = await admin.get(`/admin/roles/${role.id}`);
    expect(page.text).to.include('1 account holds this role.');
    expect(page.text, 'the owner role is never offered').to.not.match(/<option value="[^"]+"\s*>Owner<\/option>/);

    res = await admin.post(`/admin/roles/${role.id}/delete`, { reassignTo: viewer.id });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/roles?done=deleted');
    expect(await h.services.roles.findByName('Contractors')).to.equal(null);
    expect((await h.services.roles.rolesOf(holder.id)).map((r) => r.name)).to.deep.equal(['Viewer']);
    const [event] = await auditEvents(h, { action: 'role.deleted' });
    expect(event!.details).to.deep.equal({ holders: 1, reassignedTo: viewer.id });
    expect((await admin.get(`/admin/roles/${role.id}`)).status).to.equal(404);

    const empty = await h.services.roles.create(h.system(), { name: 'Unused' });
    res = await admin.post(`/admin/roles/${empty.id}/delete`, {});
    expect(res.status).to.equal(303);
  });

  it('shows built-in roles read-only and refuses any change to them', async () => {
    const owner = await asBuiltIn(h, 'owner');
    const admin = await h.services.roles.builtin('admin');
    const page = await owner.get(`/admin/roles/${admin.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Built-in roles are protected');
    expect(page.text).to.not.include(`action="/admin/roles/${admin.id}/`);
    const attempts: Array<[string, Form]> = [['rename', { name: 'Boss' }], ['permissions', { permissions: ['users.view'] }], ['delete', { reassignTo: '' }]];
    for (const [action, form] of attempts) {
      const res = await owner.post(`/admin/roles/${admin.id}/${action}`, form);
      expect(res.status, action).to.equal(403);
      expect(res.text).to.include('The built-in role Admin cannot be changed or deleted.');
    }
    const after = await h.services.roles.builtin('admin');
    expect(after.name).to.equal('Admin');
    expect(after.permissions).to.deep.equal(admin.permissions);
  });

  it('refuses a POST without the CSRF field', async () => {
    const owner = await asBuiltIn(h, 'owner');
    const res = await owner.post('/admin/roles', { _csrf: '', name: 'Sneaky' });
    expect(res.status).to.equal(403);
    expect(await h.services.roles.findByName('Sneaky')).to.equal(null);
  });
});
