// The users list's row menus and bulk actions over HTTP (per-status
// actions): each row offers the actions its status allows; selected rows are
// deactivated, resent or deleted after a confirmation page, each through the same one-row
// operation as the account's page (dominance, seats, owner and self rules, one audit event
// per account), with a report saying for every row whether it was done or why not.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addInvitation, addOwner, addUser, addWithRole, auditEvents, setLimit } from '../accounts/account-fixtures.js';
import { asBuiltIn, asCustom, decode, type AdminClient } from './admin-kit.js';

/** The labels of a row's menu (⋮), in order. */
function menuOf(body: string, id: string): string[] {
  const row = new RegExp(`<tr data-id="${id}">([\\s\\S]*?)</tr>`).exec(body);
  if (!row) throw new Error(`no row ${id}`);
  const menu = /<div class="menu-items">([\s\S]*?)<\/div><\/details>/.exec(row[1]!);
  if (!menu) return [];
  return [...menu[1]!.matchAll(/<(?:a|button)[^>]*>([^<]*)<\/(?:a|button)>/g)].map((m) => decode(m[1]!));
}

/** The report's rows: [label, Done | Refused, details]. */
function report(body: string): Array<[string, string, string]> {
  return [...body.matchAll(/<tr data-ref="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!.replace(/<[^>]+>/g, '').trim()));
    return [cells[0]!, cells[1]!, cells[2]!];
  });
}

async function statusOf(h: Harness, id: string): Promise<string | null> {
  return (await h.services.models.User.findByPk(id))?.status ?? null;
}

async function bulk(client: AdminClient, action: string, ids: string[], extra: Record<string, string> = {}) {
  return client.post('/admin/users/bulk', { action, ids, back: '/admin/users?status=active', ...extra });
}

describeEachDatabase('admin pages: users list row menus and bulk actions', (h) => {
  it('offers in each row the actions its status allows, and shows an invitee without repeating the address', async () => {
    await addOwner(h);
    const admin = await asBuiltIn(h, 'admin');
    const active = await addUser(h, { username: 'ann', email: 'ann@example.com' });
    const unconfirmed = await addUser(h, { username: 'ben', email: 'ben@example.com' }, { status: 'unconfirmed' });
    const inactive = await addUser(h, { username: 'cara', email: 'cara@example.com' });
    await h.services.users.deactivate(h.system(), inactive.id);
    const pending = await addInvitation(h, 'pending@example.net');
    const expired = await addInvitation(h, 'expired@example.net', { expiresInHours: -1 });
    const ownerId = (await h.services.roles.ownerId())!;
    const res = await admin.get('/admin/users');
    expect(res.status).to.equal(200);
    expect(menuOf(res.text, active.id)).to.deep.equal(['Open', 'Edit', 'Change roles', 'Deactivate…', 'Delete…']);
    expect(menuOf(res.text, unconfirmed.id)).to.deep.equal(['Open', 'Resend confirmation', 'Confirm manually', 'Delete…']);
    expect(menuOf(res.text, inactive.id)).to.deep.equal(['Open', 'Reactivate now', 'Send a reactivation link', 'Delete…']);
    expect(menuOf(res.text, pending)).to.deep.equal(['Resend invitation', 'Edit invitation', 'Cancel invitation…']);
    expect(menuOf(res.text, expired)).to.deep.equal(['Resend invitation', 'Edit invitation', 'Delete invitation…']);
    // The owner holds more than an admin: no roles, status or deletion offered; one's own row has no deactivate or delete.
    expect(menuOf(res.text, ownerId)).to.deep.equal(['Open', 'Edit']);
    expect(menuOf(res.text, admin.user!.id)).to.deep.equal(['Open', 'Edit', 'Change roles']);
    // An invitee's row: no username, the address once (linking to the invitations), no name repeated.
    const row = new RegExp(`<tr data-id="${pending}">([\\s\\S]*?)</tr>`).exec(res.text)![1]!;
    expect(row.match(/pending@example\.net/g)!.length).to.equal(3); // the link, the checkbox's and the menu's names
    expect(row).to.include('<td><span class="muted">—</span></td><td><span class="muted">—</span></td><td><a href="/admin/invitations?status=pending">pending@example.net</a></td>');
    // Every row can be selected for the bulk form, which works without JavaScript.
    expect(res.text).to.include(`<input type="checkbox" form="bulk-form" name="ids" value="account:${active.id}"`);
    expect(res.text).to.include(`value="invitee:${pending}"`);
    expect(res.text).to.match(/<form id="bulk-form" method="get" action="\/admin\/users\/bulk"/);
  });

  it('selects rows in the card view too, and takes every row of the page without JavaScript', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const ann = await addUser(h, { username: 'ann', email: 'ann@example.com' });
    const ben = await addUser(h, { username: 'ben', email: 'ben@example.com' });
    const pending = await addInvitation(h, 'pending@example.net');
    const cards = await admin.get('/admin/users?view=cards');
    expect(cards.status).to.equal(200);
    expect(cards.text).to.match(/<form id="bulk-form" method="get" action="\/admin\/users\/bulk"/);
    const card = new RegExp(`<li class="user-card" data-id="${ann.id}">([\\s\\S]*?)</li>`).exec(cards.text)![1]!;
    expect(card).to.include(`<input type="checkbox" form="bulk-form" name="ids" value="account:${ann.id}">`);
    // "All on this page": the page's rows travel with the form; the button picks them over the ticked ones.
    const onPage = [...cards.text.matchAll(/<input type="hidden" name="page" value="([^"]+)">/g)].map((m) => m[1]!);
    expect(onPage).to.include.members([`account:${ann.id}`, `account:${ben.id}`, `invitee:${pending}`, `account:${admin.user!.id}`]);
    const query = `action=deactivate&ids=account:${ann.id}&scope=page&${onPage.map((r) => `page=${encodeURIComponent(r)}`).join('&')}`;
    const ask = await admin.get(`/admin/users/bulk?${query}`);
    expect(ask.status).to.equal(200);
    expect(decode(ask.text)).to.include(`Deactivate: ${onPage.length} people?`);
    // Without the button, only the ticked rows.
    const ticked = await admin.get(`/admin/users/bulk?action=deactivate&ids=account:${ann.id}&${onPage.map((r) => `page=${encodeURIComponent(r)}`).join('&')}`);
    expect(decode(ticked.text)).to.include('Deactivate: 1 person?');
  });

  it('runs a row action at once and comes back to the list; an ending one asks first', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const unconfirmed = await addUser(h, { username: 'ben', email: 'ben@example.com' }, { status: 'unconfirmed' });
    const active = await addUser(h, { username: 'ann', email: 'ann@example.com' });
    let res = await bulk(admin, 'confirm', [`account:${unconfirmed.id}`]);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/users?status=active&done=confirm');
    expect(await statusOf(h, unconfirmed.id)).to.equal('active');
    expect((await admin.get(res.headers.location)).text).to.include('Account confirmed.');
    expect(await auditEvents(h, { action: 'user.confirmed', targetId: unconfirmed.id })).to.have.length(1);

    res = await admin.get(`/admin/users/bulk?action=deactivate&ids=account:${active.id}&back=${encodeURIComponent('/admin/users?q=ann')}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Deactivate: 1 person?');
    expect(res.text).to.include('<li>ann</li>');
    expect(await statusOf(h, active.id)).to.equal('active'); // asking changes nothing
    res = await admin.post('/admin/users/bulk', { action: 'deactivate', ids: `account:${active.id}`, back: '/admin/users?q=ann', reason: 'Left the company' });
    expect(res.headers.location).to.equal('/admin/users?q=ann&done=deactivate');
    const user = await h.services.models.User.findByPk(active.id);
    expect(user!.status).to.equal('inactive');
    expect(user!.deactivationReason).to.equal('Left the company');
    // A return address elsewhere is not followed.
    const other = await addUser(h, { username: 'dev', email: 'dev@example.com' }, { status: 'unconfirmed' });
    res = await admin.post('/admin/users/bulk', { action: 'confirm', ids: `account:${other.id}`, back: 'https://evil.example/admin/users' });
    expect(res.headers.location).to.equal('/admin/users?done=confirm');
  });

  it('deletes selected rows one by one: a row the actor does not dominate is refused with the reason and audited, the rest proceed', async () => {
    await addOwner(h);
    const manager = await asCustom(h, ['users.view', 'users.manage', 'users.invite'], 'People team');
    const member = await addUser(h, { username: 'mia', email: 'mia@example.com' }); // no roles: nothing the actor lacks
    const admin = await addWithRole(h, 'admin', { username: 'adam', email: 'adam@example.com' });
    const expired = await addInvitation(h, 'old@example.net', { expiresInHours: -1 });
    const pending = await addInvitation(h, 'new@example.net');
    const ids = [`account:${member.id}`, `account:${admin.id}`, `invitee:${expired}`, `invitee:${pending}`, `account:${manager.user!.id}`];
    // The confirmation lists every selected row.
    const ask = await manager.get(`/admin/users/bulk?action=delete&${ids.map((i) => `ids=${i}`).join('&')}`);
    expect(ask.status).to.equal(200);
    expect(ask.text).to.include('Delete: 5 people?');
    for (const label of ['mia', 'adam', 'old@example.net', 'new@example.net', manager.user!.username]) expect(ask.text).to.include(`<li>${label}</li>`);

    const res = await bulk(manager, 'delete', ids);
    expect(res.status).to.equal(200);
    expect(res.text, JSON.stringify(report(res.text))).to.include('<strong>2 done</strong>, <strong>3 refused</strong>');
    const rows = report(res.text);
    expect(rows.map((r) => r.slice(0, 2))).to.deep.equal([
      ['mia', 'Done'],
      ['adam', 'Refused'],
      ['old@example.net', 'Done'],
      ['new@example.net', 'Refused'],
      [manager.user!.username, 'Refused'],
    ]);
    expect(rows[1]![2]).to.match(/adam/);
    expect(rows[3]![2]).to.equal('Cancel a pending invitation before deleting it.');
    expect(rows[4]![2]).to.equal('You cannot deactivate or delete your own account here.');
    expect(await h.services.models.User.findByPk(member.id)).to.equal(null);
    expect(await statusOf(h, admin.id)).to.equal('active');
    expect(await h.services.models.Invitation.findByPk(expired)).to.equal(null);
    expect(await h.services.models.Invitation.findByPk(pending)).to.not.equal(null);
    // One audit event per account: the deletion, and the refusal under the dominance rule.
    expect(await auditEvents(h, { action: 'user.deleted', targetId: member.id })).to.have.length(1);
    expect(await auditEvents(h, { action: 'access.refused', targetId: admin.id })).to.have.length(1);
    expect(await auditEvents(h, { action: 'invitation.deleted', targetId: expired })).to.have.length(1);
  });

  it('deactivates selected accounts, never the owner, oneself or an invitation', async () => {
    const owner = await addOwner(h);
    const admin = await asBuiltIn(h, 'admin');
    const a = await addUser(h, { username: 'ann', email: 'ann@example.com' });
    const b = await addUser(h, { username: 'ben', email: 'ben@example.com' });
    const pending = await addInvitation(h, 'new@example.net');
    const res = await bulk(admin, 'deactivate', [`account:${a.id}`, `account:${owner.id}`, `account:${b.id}`, `account:${admin.user!.id}`, `invitee:${pending}`]);
    const rows = report(res.text);
    expect(rows.map((r) => r[1])).to.deep.equal(['Done', 'Refused', 'Done', 'Refused', 'Refused']);
    expect(rows[1]![2]).to.equal('The owner cannot be deactivated or deleted. Transfer ownership first.');
    expect(rows[4]![2]).to.equal('This is an invitation, not an account: cancel or delete it instead.');
    expect(await statusOf(h, a.id)).to.equal('inactive');
    expect(await statusOf(h, b.id)).to.equal('inactive');
    expect(await statusOf(h, owner.id)).to.equal('active');
    expect(await auditEvents(h, { action: 'user.deactivated' })).to.have.length(2);
  });

  it('resends selected invitations in order within the seat limit, and confirmation mail to unconfirmed accounts', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const pending = await addInvitation(h, 'live@example.net');
    const first = await addInvitation(h, 'first@example.net', { expiresInHours: -1 });
    const second = await addInvitation(h, 'second@example.net', { expiresInHours: -1 });
    const unconfirmed = await addUser(h, { username: 'ben', email: 'ben@example.com' }, { status: 'unconfirmed' });
    const active = await addUser(h, { username: 'ann', email: 'ann@example.com' });
    // admin, live, ben, ann take seats: one left for the first expired invitation.
    await setLimit(h, 5);
    const res = await bulk(admin, 'resend', [`invitee:${pending}`, `invitee:${first}`, `invitee:${second}`, `account:${unconfirmed.id}`, `account:${active.id}`]);
    const rows = report(res.text);
    expect(rows.map((r) => r.slice(0, 2))).to.deep.equal([
      ['live@example.net', 'Done'],
      ['first@example.net', 'Done'],
      ['second@example.net', 'Refused'],
      ['ben', 'Done'],
      ['ann', 'Refused'],
    ]);
    expect(rows[2]![2]).to.equal('Seat limit reached: 5 of 5 user seats in use');
    expect(rows[4]![2]).to.equal('This is an active account: there is no invitation to resend.');
    expect(await auditEvents(h, { action: 'invitation.resent' })).to.have.length(2);
  });

  it('offers no selection or menus to someone who may only look, and refuses their posts', async () => {
    const viewer = await asBuiltIn(h, 'viewer');
    const target = await addUser(h, { username: 'ann', email: 'ann@example.com' });
    const res = await viewer.get('/admin/users');
    expect(res.text).to.not.include('bulk-form');
    expect(res.text).to.not.include('class="menu row-menu"');
    expect((await viewer.get(`/admin/users/bulk?action=deactivate&ids=account:${target.id}`)).status).to.equal(403);
    expect((await bulk(viewer, 'deactivate', [`account:${target.id}`])).status).to.equal(403);
    expect(await statusOf(h, target.id)).to.equal('active');
    // An inviter without users.manage acts on invitations only.
    const inviter = await asCustom(h, ['users.view', 'users.invite'], 'Inviters');
    const out = await bulk(inviter, 'deactivate', [`account:${target.id}`]);
    expect(report(out.text)[0]!.slice(1)).to.deep.equal(['Refused', 'Only people who may manage users can do this.']);
    // Nothing selected: said so, nothing done.
    const none = await bulk(inviter, 'delete', []);
    expect(none.status).to.equal(400);
    expect(none.text).to.include('Select at least one person on the list first.');
  });
});
