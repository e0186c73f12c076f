// The users list page over HTTP: columns, Pending /
// Expired invitation rows, search / filters / grouping / sort from the query string,
// list and card views, next / previous links with the total, seat bars with the 90%
// warning and the over-limit notice, and who may see it.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addInvitation, addUser, setLimit } from '../accounts/account-fixtures.js';
import { asBuiltIn, asCustom, decode, signIn, signedOut } from './admin-kit.js';

/** The rows of the table as [username or email, status] pairs, in order. */
function tableRows(body: string): Array<[string, string]> {
  return [...body.matchAll(/<tr data-id="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!.replace(/<[^>]+>/g, '').trim()));
    return [cells[0] === '—' ? cells[2]! : cells[0]!, cells[5]!];
  });
}

function link(body: string, rel: 'next' | 'prev'): string | null {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(body);
  return m ? decode(m[1]!) : null;
}

async function people(h: Harness) {
  const member = (await h.services.roles.builtin('member')).id;
  const out = [];
  for (const [i, name] of ['Ann', 'Ben', 'Cara', 'Dev', 'Elle'].entries()) {
    h.clock.advance(60_000);
    out.push(await addUser(h, { username: name.toLowerCase(), email: `${name.toLowerCase()}@example.com`, givenName: name, familyName: 'Lee', department: i % 2 ? 'Sales' : 'Support', phone: `+4420794600${i}0` }, { roleIds: [member] }));
  }
  return out;
}

describeEachDatabase('admin pages: users list', (h) => {
  it('shows the columns, accounts and invited addresses (Pending, Expired) linking to the invitations page', async () => {
    const admin = await asBuiltIn(h, 'admin');
    await h.services.users.recordSignIn(admin.user!.id);
    await people(h);
    await addInvitation(h, 'invited@example.net', { expiresInHours: 24 });
    await addInvitation(h, 'lapsed@example.net', { expiresInHours: -1 });
    const res = await admin.get('/admin/users');
    expect(res.status).to.equal(200);
    for (const column of ['Username', 'Name', 'Email', 'Phone', 'Roles', 'Status', 'Registration date', 'Last activity']) expect(res.text).to.include(`<th>${column}</th>`);
    const rows = tableRows(res.text);
    expect(rows).to.deep.include(['ann', 'Active']);
    expect(rows).to.deep.include(['invited@example.net', 'Pending']);
    expect(rows).to.deep.include(['lapsed@example.net', 'Expired']);
    expect(res.text).to.include('<a href="/admin/invitations?status=pending">invited@example.net</a>');
    expect(res.text).to.include('<a href="/admin/invitations?status=expired">lapsed@example.net</a>');
    expect(res.text).to.match(/<strong id="total">8 people<\/strong>/);
    expect(res.text).to.include('+442079460000');
    expect(res.text).to.include('<time datetime="2030-01-01T09:00:00.000Z" data-local>1 Jan 2030, 09:00 UTC</time>'); // the admin's last activity, in the organization's zone
    expect(res.text).to.include('href="/admin/users/new"');
  });

  it('searches, filters, groups and sorts from the query string, keeping the form filled in', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const [ann] = await people(h);
    await h.services.users.deactivate(h.system(), ann!.id);
    let res = await admin.get('/admin/users?q=lee&status=active');
    expect(tableRows(res.text).map((r) => r[0])).to.deep.equal(['ben', 'cara', 'dev', 'elle']);
    expect(res.text).to.include('value="lee"');
    expect(res.text).to.match(/<option value="active" selected>/);
    res = await admin.get('/admin/users?q=' + encodeURIComponent('+44 20 7946 0030'));
    expect(tableRows(res.text).map((r) => r[0])).to.deep.equal(['dev']);
    const member = (await h.services.roles.builtin('member')).id;
    res = await admin.get(`/admin/users?role=${member}&kind=user&sort=username&order=desc`);
    expect(tableRows(res.text).map((r) => r[0])).to.deep.equal(['elle', 'dev', 'cara', 'ben', 'ann']);
    res = await admin.get('/admin/users?group=department&q=lee');
    expect(res.text).to.include('<tr class="group-row"><th colspan="11">Sales <span class="muted">(2)</span></th></tr>');
    expect(res.text).to.include('<tr class="group-row"><th colspan="11">Support <span class="muted">(3)</span></th></tr>');
    expect(tableRows(res.text).map((r) => r[0])).to.deep.equal(['ben', 'dev', 'ann', 'cara', 'elle']);
    // Unknown values are ignored, not errors.
    res = await admin.get('/admin/users?status=nonsense&sort=nope&size=7');
    expect(res.status).to.equal(200);
    expect(tableRows(res.text)).to.have.length(6);
  });

  it('pages with next and previous links, the total on every page', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const member = (await h.services.roles.builtin('member')).id;
    for (let i = 0; i < 30; i++) await addUser(h, { username: `u${String(i).padStart(2, '0')}`, email: `u${i}@example.com` }, { roleIds: [member] });
    const first = await admin.get('/admin/users?sort=username');
    expect(first.text).to.include('31 people');
    const firstRows = tableRows(first.text);
    expect(firstRows).to.have.length(25);
    expect(link(first.text, 'prev')).to.equal(null);
    const second = await admin.get(link(first.text, 'next')!);
    expect(second.text).to.include('31 people');
    expect(tableRows(second.text)).to.have.length(6);
    expect(link(second.text, 'next')).to.equal(null);
    const back = await admin.get(link(second.text, 'prev')!);
    expect(tableRows(back.text)).to.deep.equal(firstRows);
    expect(link(back.text, 'prev')).to.equal(null);
  });

  it('switches to card view and keeps the query in every link', async () => {
    const admin = await asBuiltIn(h, 'admin');
    await people(h);
    const list = await admin.get('/admin/users?q=lee&size=50');
    const cardLink = /<a href="([^"]+)" id="card-view">Cards<\/a>/.exec(list.text)![1]!;
    expect(decode(cardLink)).to.equal('/admin/users?q=lee&size=50&view=cards');
    const cards = await admin.get(decode(cardLink));
    expect(cards.text).to.include('<ul class="user-cards">');
    expect((cards.text.match(/<li class="user-card"/g) ?? []).length).to.equal(5);
    expect(cards.text).to.not.include('<table class="users">');
    expect(cards.text).to.include('<input type="hidden" name="view" value="cards">');
    const grouped = await admin.get('/admin/users?view=cards&group=department');
    expect(grouped.text).to.include('<h2 class="group-heading">Sales <span class="muted">(2)</span></h2>');
  });

  it('shows a bar per seat pool, a warning from 90% and the over-limit notice', async () => {
    const admin = await asBuiltIn(h, 'admin');
    await people(h); // 6 user seats in use with the admin
    await setLimit(h, 10);
    let res = await admin.get('/admin/users');
    expect(res.text).to.include('6 of 10 in use (60%)');
    expect(res.text).to.not.include('Nearly full');
    await setLimit(h, 6);
    res = await admin.get('/admin/users');
    // At the limit the pool is full, in the same words as on the Seats page.
    expect(res.text).to.include('Full: all 6 user seats are in use.');
    expect(res.text).to.not.include('Nearly full');
    await setLimit(h, 4);
    res = await admin.get('/admin/users');
    expect(res.text).to.include('Over the limit: 6 of 4 user seats are in use. Nobody is removed');
    expect(res.text).to.include('0 in use · unlimited'); // the requester pool
  });

  it('is open to users.view, hides the add button without users.manage, and refuses the rest', async () => {
    const viewer = await asBuiltIn(h, 'viewer');
    const res = await viewer.get('/admin/users');
    expect(res.status).to.equal(200);
    expect(res.text).to.not.include('href="/admin/users/new"');
    expect(res.text).to.not.include('Invite users');
    const nobody = await asCustom(h, ['assets.view']);
    expect((await nobody.get('/admin/users')).status).to.equal(403);
    const out = await signedOut(h).get('/admin/users');
    expect(out.status).to.equal(303);
    expect(out.headers.location).to.match(/^\/auth\/login\?returnTo=/);
    const single = await asCustom(h, ['users.view'], 'Just looking');
    expect((await single.get('/admin/users')).status).to.equal(200);
    expect((await single.get('/admin/users/new')).status).to.equal(403);
  });

  it('warns while only one active account can manage users', async () => {
    const owner = await asBuiltIn(h, 'owner');
    let res = await owner.get('/admin/users');
    expect(res.text).to.include('Only one active account can manage users.');
    const admin = await addUser(h, {}, { roleIds: [(await h.services.roles.builtin('admin')).id] });
    res = await (await signIn(h, admin)).get('/admin/users');
    expect(res.text).to.not.include('Only one active account can manage users.');
  });
});
