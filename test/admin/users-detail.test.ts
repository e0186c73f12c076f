// One account's page over HTTP (per-status actions):
// profile, roles, status and the history of its changes; only the actions its status
// and the viewer allow, each refused by the server otherwise; edit profile, change roles
// with a reason, deactivate (ending page sessions), reactivate at once or by a 72-hour
// link that takes the seat only when followed, delete with the username typed, manual
// confirmation, resent confirmation, and the owner's transfer.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, auditEvents, setLimit, used } from '../accounts/account-fixtures.js';
import { HOUR_MS } from '../../src/clock.js';
import { asBuiltIn, asCustom, decode, expectFieldError, inputValue, signIn, type AdminClient } from './admin-kit.js';
import { lastMailTo, linkTo, pathOf } from '../invitations/invite-kit.js';

async function roleId(h: Harness, builtin: 'admin' | 'member' | 'viewer'): Promise<string> {
  return (await h.services.roles.builtin(builtin)).id;
}

/** The headings of the action sections on the page. */
function actionsOn(body: string): string[] {
  return [...body.matchAll(/<section class="action" id="([^"]+)">/g)].map((m) => m[1]!);
}

function errorBox(body: string): string | null {
  const m = /<p class="error-box" role="alert">([^<]*)<\/p>/.exec(body);
  return m ? decode(m[1]!) : null;
}

describeEachDatabase('admin pages: user detail', (h) => {
  let admin: AdminClient;
  beforeEach(async () => {
    admin = await asBuiltIn(h, 'admin');
  });

  const alice = async (extra: Parameters<typeof addUser>[2] = {}) =>
    addUser(h, { username: 'alice', email: 'alice@example.com', givenName: 'Alice', familyName: 'Doe', department: 'Support', phone: '+442079460958' }, { roleIds: [await roleId(h, 'member')], ...extra });

  it('shows the profile, roles, status, history and recent audit events', async () => {
    const user = await alice();
    await h.services.roles.setUserRoles(h.system(), user.id, [await roleId(h, 'viewer')], 'moved to read-only');
    const res = await admin.get(`/admin/users/${user.id}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<h1>Alice Doe <span class="status status-active">Active</span></h1>');
    expect(res.text).to.include('<dt>Department</dt><dd>Support</dd>');
    expect(res.text).to.include('<dt>Phone</dt><dd>+442079460958</dd>');
    expect(res.text).to.include('<p id="roles-held">Viewer</p>');
    expect(res.text).to.include('Status and role history');
    expect(res.text).to.match(/<td>Roles changed<\/td><td>test <span class="muted">\(system\)<\/span><\/td>\s*<td>added Viewer; removed Member; reason: moved to read-only<\/td>/);
    expect(res.text).to.match(/<td>Created<\/td>/);
    expect(res.text).to.include('Recent audit events');
    expect(actionsOn(res.text)).to.deep.equal(['profile', 'roles', 'access-end', 'deactivate', 'sign-out-everywhere', 'delete']);
  });

  it('shows a users.view holder the page without actions or audit events', async () => {
    const user = await alice();
    const viewer = await asBuiltIn(h, 'viewer');
    const res = await viewer.get(`/admin/users/${user.id}`);
    expect(res.status).to.equal(200);
    expect(actionsOn(res.text)).to.deep.equal([]);
    expect(res.text).to.include('Status and role history');
    expect(res.text).to.not.include('Recent audit events');
    expect((await viewer.post(`/admin/users/${user.id}/deactivate`, { reason: 'x' })).status).to.equal(403);
    expect((await h.services.users.get(user.id)).status).to.equal('active');
    expect((await admin.get('/admin/users/00000000-0000-0000-0000-000000000000')).status).to.equal(404);
  });

  it('offers only what each status allows, and the server refuses the rest', async () => {
    const unconfirmed = await alice({ status: 'unconfirmed' });
    expect(actionsOn((await admin.get(`/admin/users/${unconfirmed.id}`)).text)).to.deep.equal(['confirm', 'confirmation', 'delete']);
    const inactive = await addUser(h, { username: 'ina' });
    await h.services.users.deactivate(h.system(), inactive.id);
    expect(actionsOn((await admin.get(`/admin/users/${inactive.id}`)).text)).to.deep.equal(['reactivate', 'reactivation-link', 'delete']);

    for (const [user, status, form] of [[unconfirmed, 'unconfirmed', 'deactivate'], [inactive, 'inactive', 'profile'], [inactive, 'inactive', 'deactivate'], [unconfirmed, 'unconfirmed', 'reactivate'], [inactive, 'inactive', 'confirm']] as const) {
      const res = await admin.post(`/admin/users/${user.id}/${form}`, { reason: 'x', email: 'changed@example.com' });
      expect(res.status, `${form} on ${status}`).to.equal(409);
      expect(errorBox(res.text)).to.include(`not possible while the account is ${status}`);
    }
    expect((await h.services.users.get(unconfirmed.id)).status).to.equal('unconfirmed');
    expect((await h.services.users.get(inactive.id)).email).to.not.equal('changed@example.com');
  });

  it('never offers deactivating or deleting the owner or oneself, and refuses it', async () => {
    const owner = await addOwner(h);
    expect(actionsOn((await admin.get(`/admin/users/${owner.id}`)).text)).to.deep.equal(['profile']);
    const refused = await admin.post(`/admin/users/${owner.id}/deactivate`, {});
    expect(refused.status).to.equal(409);
    expect(errorBox(refused.text)).to.include('The owner cannot be deactivated or deleted');
    expect(actionsOn((await admin.get(`/admin/users/${admin.user!.id}`)).text)).to.deep.equal(['profile', 'roles']);
    expect((await admin.post(`/admin/users/${admin.user!.id}/delete`, { confirmUsername: admin.user!.username })).status).to.equal(409);
    expect((await admin.post(`/admin/users/${owner.id}/transfer-ownership`, {})).status).to.equal(409);
  });

  it('edits the profile, sending only what changed, and keeps values with messages on error', async () => {
    const user = await alice();
    const page = await admin.get(`/admin/users/${user.id}`);
    expect(inputValue(page.text, 'phone')).to.equal('+442079460958');
    const form = { givenName: 'Alice', familyName: 'Doe-Smith', username: 'alice', email: 'alice@example.com', countryCode: '1', phone: '(555) 123-4567', gender: '', birthdate: '', department: 'Sales', title: 'Lead', kind: 'user' };
    const res = await admin.post(`/admin/users/${user.id}/profile`, form);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/admin/users/${user.id}?done=profile`);
    const after = await h.services.users.get(user.id);
    expect(after).to.include({ familyName: 'Doe-Smith', department: 'Sales', title: 'Lead', phone: '+15551234567' });
    expect((await auditEvents(h, { action: 'user.updated', targetId: user.id })).at(-1)!.details.fields).to.have.members(['familyName', 'department', 'title', 'phone']);
    expect((await admin.get(res.headers.location!)).text).to.include('Profile saved.');

    await addUser(h, { username: 'bob', email: 'bob@example.com' });
    const bad = await admin.post(`/admin/users/${user.id}/profile`, { ...form, username: 'bob', email: 'broken', birthdate: '3000-01-01' });
    expect(bad.status).to.equal(400);
    expectFieldError(bad.text, 'email', 'valid email');
    expectFieldError(bad.text, 'birthdate', 'between 1900 and today');
    expect(inputValue(bad.text, 'username')).to.equal('bob');
    expect(inputValue(bad.text, 'email')).to.equal('broken');
    const clash = await admin.post(`/admin/users/${user.id}/profile`, { ...form, username: 'BOB' });
    expect(clash.status).to.equal(409);
    expectFieldError(clash.text, 'username', 'already taken');
  });

  it('leaves a directory username and phone untouched when other fields change', async () => {
    const user = await h.services.users.create(h.system(), { username: 'Alice.Doe@corp.example', email: 'alice@corp.example', phone: '(020) 7946 0958' }, { source: 'scim', origin: 'directory' });
    const page = await admin.get(`/admin/users/${user.id}`);
    const res = await admin.post(`/admin/users/${user.id}/profile`, {
      givenName: '', familyName: '', username: decode(inputValue(page.text, 'username')!), email: 'alice@corp.example', countryCode: '', phone: decode(inputValue(page.text, 'phone')!), gender: '', birthdate: '', department: 'Legal', title: '', kind: 'user',
    });
    expect(res.status, res.text.slice(0, 1500)).to.equal(303);
    expect(await h.services.users.get(user.id)).to.include({ username: 'Alice.Doe@corp.example', phone: '(020) 7946 0958', department: 'Legal' });
  });

  it('changes roles with a reason, and refuses a role the admin cannot give', async () => {
    const user = await alice();
    const res = await admin.post(`/admin/users/${user.id}/roles`, { roles: [await roleId(h, 'member'), await roleId(h, 'viewer')], reason: 'covers the help desk' });
    expect(res.status).to.equal(303);
    expect((await h.services.users.get(user.id)).roles.map((r) => r.name)).to.deep.equal(['Member', 'Viewer']);
    expect((await auditEvents(h, { action: 'user.roles_changed', targetId: user.id })).at(-1)!.details).to.deep.equal({ added: ['Viewer'], removed: [], reason: 'covers the help desk' });

    const limited = await asCustom(h, ['users.view', 'users.manage', 'assets.view', 'licenses.view', 'reports.view', 'assets.create', 'assets.edit', 'licenses.create', 'licenses.edit', 'data.export'], 'Team lead');
    const page = await limited.get(`/admin/users/${user.id}`);
    expect(page.text).to.not.include(`value="${await roleId(h, 'admin')}"`);
    const refused = await limited.post(`/admin/users/${user.id}/roles`, { roles: [await roleId(h, 'admin')], reason: '' });
    expect(refused.status).to.equal(403);
    expectFieldError(refused.text, 'roles', 'You cannot give the role Admin');
    expect((await h.services.users.get(user.id)).roles.map((r) => r.name)).to.deep.equal(['Member', 'Viewer']);
  });

  it('deactivates with a reason and ends their page sessions and tokens at once', async () => {
    const user = await alice();
    const theirs = await signIn(h, user);
    expect((await theirs.get('/account')).status).to.equal(200);
    const res = await admin.post(`/admin/users/${user.id}/deactivate`, { reason: 'left the company' });
    expect(res.status).to.equal(303);
    const after = await h.services.users.get(user.id);
    expect(after).to.include({ status: 'inactive', deactivationReason: 'left the company' });
    expect(h.revoker.calls).to.deep.include({ userId: user.id, reason: 'deactivated', inTransaction: true });
    expect(await h.services.models.WebSession.count({ where: { userId: user.id } })).to.equal(0);
    expect((await theirs.get('/account')).status).to.equal(303);
    const page = await admin.get(res.headers.location!);
    expect(page.text).to.include('Deactivated: they were signed out everywhere');
    expect(page.text).to.match(/<td>Deactivated<\/td><td>[^<]+<\/td>\s*<td>reason: left the company<\/td>/);
    const long = await admin.post(`/admin/users/${(await alice2(h)).id}/deactivate`, { reason: 'x'.repeat(501) });
    expect(long.status).to.equal(400);
    expectFieldError(long.text, 'reason', 'at most 500 characters');
  });

  it('reactivates at once, taking a seat, and says so when the pool is full', async () => {
    const user = await alice();
    await h.services.users.deactivate(h.system(), user.id);
    await setLimit(h, 1);
    let res = await admin.post(`/admin/users/${user.id}/reactivate`, {});
    expect(res.status).to.equal(403);
    expect(errorBox(res.text)).to.equal('Seat limit reached: 1 of 1 user seats in use');
    await setLimit(h, 2);
    res = await admin.post(`/admin/users/${user.id}/reactivate`, {});
    expect(res.status).to.equal(303);
    expect((await h.services.users.get(user.id)).status).to.equal('active');
    expect(await used(h)).to.equal(2);
  });

  it('reactivates by a link valid 72 hours: the seat is taken only when it is followed', async () => {
    const user = await alice();
    await h.services.users.deactivate(h.system(), user.id);
    const before = await used(h);
    const res = await admin.post(`/admin/users/${user.id}/reactivation-link`, {});
    expect(res.status).to.equal(303);
    expect((await admin.get(res.headers.location!)).text).to.include('Reactivation link sent');
    expect((await h.services.users.get(user.id)).status).to.equal('inactive');
    expect(await used(h)).to.equal(before);
    const mail = await lastMailTo(h, 'alice@example.com');
    expect(mail.subject).to.equal('Reactivate your Gatehouse account');
    const link = linkTo(mail.text, '/reactivate');
    expect(await h.services.models.ReactivationLink.count({ where: { tokenHash: new URL(link).searchParams.get('token')! } })).to.equal(0);

    const visitor = request.agent(h.app);
    const page = await visitor.get(pathOf(link)).set('Accept', 'text/html');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Reactivate my account');
    expect((await h.services.users.get(user.id)).status).to.equal('inactive');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
    const done = await visitor.post('/reactivate').type('form').set('Accept', 'text/html').send({ _csrf: csrf, token: decode(token) });
    expect(done.status).to.equal(200);
    expect(done.text).to.include('Your account is active again');
    expect((await h.services.users.get(user.id)).status).to.equal('active');
    expect(await used(h)).to.equal(before + 1);
    expect((await auditEvents(h, { action: 'user.reactivated', targetId: user.id })).at(-1)!.actorLabel).to.equal('reactivation link');
    const again = await visitor.get(pathOf(link)).set('Accept', 'text/html');
    expect(again.status).to.equal(410);
    expect(again.text).to.include('has been used');
  });

  it('lets a reactivation link expire after 72 hours, kills older links, and keeps it usable while no seat is free', async () => {
    const user = await alice();
    await h.services.users.deactivate(h.system(), user.id);
    await admin.post(`/admin/users/${user.id}/reactivation-link`, {});
    const first = linkTo((await lastMailTo(h, 'alice@example.com')).text, '/reactivate');
    h.clock.advance(72 * HOUR_MS + 1);
    const expired = await request(h.app).get(pathOf(first)).set('Accept', 'text/html');
    expect(expired.status).to.equal(410);
    expect(expired.text).to.include('has expired');

    h.mail.sent.length = 0;
    admin = await signIn(h, admin.user!); // the page session ended meanwhile
    expect((await admin.post(`/admin/users/${user.id}/reactivation-link`, {})).status).to.equal(303);
    const second = linkTo((await lastMailTo(h, 'alice@example.com')).text, '/reactivate');
    await admin.post(`/admin/users/${user.id}/reactivation-link`, {});
    const third = linkTo((await lastMailTo(h, 'alice@example.com')).text, '/reactivate');
    expect((await request(h.app).get(pathOf(second)).set('Accept', 'text/html')).status).to.equal(404);

    await setLimit(h, 1); // the admin holds the one seat
    const token = new URL(third).searchParams.get('token')!;
    await expectFollow(h, token, 403, 'No seat is free right now');
    expect((await h.services.users.get(user.id)).status).to.equal('inactive');
    expect((await auditEvents(h, { action: 'seats.limit_reached' })).at(-1)!.details).to.include({ attempted: 'reactivation link' });
    await setLimit(h, 2);
    await expectFollow(h, token, 200, 'Your account is active again');
    expect((await h.services.users.get(user.id)).status).to.equal('active');
  });

  it('deletes only with the username typed', async () => {
    const user = await alice();
    let res = await admin.post(`/admin/users/${user.id}/delete`, { confirmUsername: 'alicia' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'confirmUsername', 'Type the username alice exactly');
    expect(inputValue(res.text, 'confirmUsername')).to.equal('alicia');
    res = await admin.post(`/admin/users/${user.id}/delete`, { confirmUsername: 'alice' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/users?done=deleted');
    expect((await admin.get(res.headers.location!)).text).to.include('The user was deleted.');
    expect(await h.services.users.findByLogin('alice')).to.equal(null);
    expect(h.revoker.calls).to.deep.include({ userId: user.id, reason: 'deleted', inTransaction: true });
  });

  it('confirms an unconfirmed account by hand, or mails a new confirmation link', async () => {
    const user = await alice({ status: 'unconfirmed' });
    let res = await admin.post(`/admin/users/${user.id}/confirmation`, {});
    expect(res.status).to.equal(303);
    const mail = await lastMailTo(h, 'alice@example.com');
    expect(mail.text).to.include('/register/confirm?token=');
    expect((await admin.get(res.headers.location!)).text).to.include('Confirmation email sent.');
    res = await admin.post(`/admin/users/${user.id}/confirm`, {});
    expect(res.status).to.equal(303);
    const after = await h.services.users.get(user.id);
    expect(after).to.include({ status: 'active', emailVerified: false });
    expect((await admin.post(`/admin/users/${user.id}/confirmation`, {})).status).to.equal(409);
  });

  it('lets the owner transfer ownership to another active account', async () => {
    const ownerUser = await addOwner(h);
    const owner = await signIn(h, ownerUser);
    const target = await addWithRole(h, 'admin', { username: 'next-owner' });
    const page = await owner.get(`/admin/users/${target.id}`);
    expect(actionsOn(page.text)).to.include('transfer-ownership');
    expect(page.text).to.include('Make next-owner the owner');
    expect(actionsOn((await admin.get(`/admin/users/${target.id}`)).text)).to.not.include('transfer-ownership');
    const res = await owner.post(`/admin/users/${target.id}/transfer-ownership`, {});
    expect(res.status).to.equal(303);
    expect(await h.services.roles.ownerId()).to.equal(target.id);
    expect((await h.services.users.get(ownerUser.id)).roles.map((r) => r.name)).to.deep.equal(['Admin']);
  });
});

let serial = 0;
async function alice2(h: Harness) {
  serial += 1;
  return addUser(h, { username: `other${serial}` });
}

async function expectFollow(h: Harness, token: string, status: number, text: string) {
  const visitor = request.agent(h.app);
  const page = await visitor.get(`/reactivate?token=${encodeURIComponent(token)}`).set('Accept', 'text/html');
  expect(page.status).to.equal(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await visitor.post('/reactivate').type('form').set('Accept', 'text/html').send({ _csrf: csrf, token });
  expect(res.status, res.text.slice(0, 1000)).to.equal(status);
  expect(res.text).to.include(text);
}
