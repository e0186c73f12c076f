// The users list's query (src/users/user-directory.ts) on SQLite and MariaDB: accounts and
// invited addresses merged (Pending / Expired, one row per address), search by name,
// email and phone, filters, grouping, every sort in both orders, and keyset paging —
// next then previous returns the same page, every row is visited once, the total is right.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addInvitation, addUser } from '../accounts/account-fixtures.js';
import type { DirectoryPage, DirectoryQuery, DirectoryRow } from '../../src/users/user-directory.js';
import { SORT_KEYS } from '../../src/users/user-directory.js';
import { HOUR_MS } from '../../src/clock.js';

async function roleId(h: Harness, builtin: 'admin' | 'member' | 'viewer'): Promise<string> {
  return (await h.services.roles.builtin(builtin)).id;
}

/** Eight accounts and three invited addresses, in several departments, roles and kinds. */
async function seed(h: Harness) {
  const [admin, member, viewer] = [await roleId(h, 'admin'), await roleId(h, 'member'), await roleId(h, 'viewer')];
  const at = async (minutes: number, input: Parameters<typeof addUser>[1], options: Parameters<typeof addUser>[2] = {}) => {
    h.clock.set(new Date(Date.UTC(2030, 0, 1, 9, minutes)));
    return addUser(h, input, options);
  };
  const users = {
    alice: await at(1, { username: 'alice', email: 'alice.doe@example.com', givenName: 'Alice', familyName: 'Doe', department: 'Engineering', phone: '+442079460958' }, { roleIds: [admin, member] }),
    bob: await at(2, { username: 'bob', email: 'bob@example.com', givenName: 'Bob', familyName: 'Stone', department: 'Sales' }, { roleIds: [member] }),
    chloe: await at(3, { username: 'chloe', email: 'chloe@example.org', givenName: 'Chloé', familyName: 'Martin', department: 'Engineering', kind: 'requester' }, { roleIds: [viewer] }),
    dan: await at(4, { username: 'dan', email: 'dan@example.com', givenName: 'Dan', familyName: 'Doe' }, { roleIds: [member], status: 'unconfirmed' }),
    eve: await at(5, { username: 'eve', email: 'eve@example.com', givenName: 'Eve', familyName: 'Ng', department: 'Sales' }, { roleIds: [] }),
    frank: await at(6, { username: 'frank', email: 'frank@example.com', givenName: 'Frank', familyName: 'Olsen', department: 'Engineering' }, { roleIds: [member] }),
    gina: await at(7, { username: 'gina', email: 'gina@example.com', givenName: 'Gina', familyName: 'Park' }, { roleIds: [viewer] }),
    hugo: await at(8, { username: 'hugo', email: 'hugo@example.com', givenName: 'Hugo', familyName: 'Quinn', department: 'Sales' }, { roleIds: [member] }),
  };
  await h.services.users.deactivate(h.system(), users.hugo.id, 'left');
  await h.services.users.recordSignIn(users.bob.id);
  h.clock.set(new Date(Date.UTC(2030, 0, 1, 10, 0)));
  await h.services.users.recordSignIn(users.alice.id);

  h.clock.set(new Date(Date.UTC(2030, 0, 2, 9, 0)));
  // Pending: a live invitation (and an older expired one to the same address: still one row).
  const ivyExpired = await addInvitation(h, 'ivy@example.net', { expiresInHours: -5 });
  const ivy = await addInvitation(h, 'ivy@example.net', { expiresInHours: 48 });
  await h.services.models.InvitationRole.create({ invitationId: ivy, roleId: member });
  // Expired: only expired invitations.
  const jack = await addInvitation(h, 'jack@example.net', { expiresInHours: -1 });
  await h.services.models.InvitationRole.create({ invitationId: jack, roleId: viewer });
  // Not listed: cancelled, archived (expired over 30 days ago), or the address has an account.
  await addInvitation(h, 'kim@example.net', { status: 'cancelled' });
  await addInvitation(h, 'old@example.net', { expiresInHours: -31 * 24 });
  await addInvitation(h, 'bob@example.com', { expiresInHours: 48 });
  const lena = await addInvitation(h, 'lena@example.net', { expiresInHours: 24, kind: 'requester' });
  await h.services.models.Invitation.update({ givenName: 'Lena', familyName: 'Berg' }, { where: { id: lena } });
  return { users, invitations: { ivy, ivyExpired, jack, lena }, roles: { admin, member, viewer } };
}

describeEachDatabase('users list query', (h) => {
  const list = (query: DirectoryQuery = {}) => h.services.userDirectory.page(h.system(), query);
  const names = (page: DirectoryPage) => page.rows.map((r) => r.username ?? r.email);

  /** Every row in order, page by page forwards; checks each previous link on the way. */
  async function walk(query: DirectoryQuery): Promise<{ rows: DirectoryRow[]; pages: DirectoryPage[] }> {
    const pages: DirectoryPage[] = [];
    let page = await list(query);
    pages.push(page);
    while (page.next) {
      const next = await list({ ...query, cursor: page.next });
      expect(next.previous, 'a page after the first has a previous link').to.be.a('string');
      const back = await list({ ...query, cursor: next.previous });
      expect(names(back), 'previous returns the same page').to.deep.equal(names(page));
      expect(back.next).to.be.a('string');
      page = next;
      pages.push(page);
    }
    return { rows: pages.flatMap((p) => p.rows), pages };
  }

  it('merges accounts with invited addresses: Pending once per address, Expired, never cancelled, archived or with an account', async () => {
    const { invitations } = await seed(h);
    const page = await list({ limit: 100 });
    expect(page.total).to.equal(11);
    const invitees = page.rows.filter((r) => r.type === 'invitee');
    expect(invitees.map((r) => [r.email, r.status]).sort()).to.deep.equal([
      ['ivy@example.net', 'pending'],
      ['jack@example.net', 'expired'],
      ['lena@example.net', 'pending'],
    ]);
    const ivy = invitees.find((r) => r.email === 'ivy@example.net')!;
    expect(ivy.id).to.equal(invitations.ivy);
    expect(ivy.roles.map((r) => r.name)).to.deep.equal(['Member']);
    expect(invitees.find((r) => r.email === 'lena@example.net')!.name).to.equal('Lena Berg');
    const alice = page.rows.find((r) => r.username === 'alice')!;
    expect(alice.roles.map((r) => r.name)).to.deep.equal(['Admin', 'Member']);
    expect(alice.lastActivityAt?.toISOString()).to.equal('2030-01-01T10:00:00.000Z');
    expect(alice.createdAt.toISOString()).to.equal('2030-01-01T09:01:00.000Z');
    expect(page.rows.find((r) => r.username === 'hugo')!.status).to.equal('inactive');
    expect(page.next).to.equal(null);
    expect(page.previous).to.equal(null);
  });

  it('sorts by name by default, accounts and invitees interleaved', async () => {
    await seed(h);
    const page = await list();
    expect(names(page)).to.deep.equal(['alice', 'bob', 'chloe', 'dan', 'eve', 'frank', 'gina', 'hugo', 'ivy@example.net', 'jack@example.net', 'lena@example.net']);
  });

  for (const sort of SORT_KEYS) {
    for (const order of ['asc', 'desc'] as const) {
      it(`pages by ${sort} ${order}: next then previous is the same page, each row once, total right`, async () => {
        await seed(h);
        const all = await list({ sort, order, limit: 100 });
        const { rows, pages } = await walk({ sort, order, limit: 3 });
        expect(pages).to.have.length(4);
        expect(rows.map((r) => r.id)).to.deep.equal(all.rows.map((r) => r.id));
        expect(new Set(rows.map((r) => r.id)).size).to.equal(11);
        for (const p of pages) expect(p.total).to.equal(11);
        expect(pages[0]!.previous).to.equal(null);
        expect(pages[3]!.next).to.equal(null);
        expect(pages[3]!.rows).to.have.length(2);
      });
    }
  }

  it('orders each sort as an admin expects', async () => {
    await seed(h);
    const created = await list({ sort: 'created', limit: 100 });
    const times = created.rows.map((r) => r.createdAt.getTime());
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    // Last activity: most recent first, never-signed-in (and invitees) last.
    const active = await list({ sort: 'lastActivity', limit: 3 });
    expect(names(active).slice(0, 2)).to.deep.equal(['alice', 'bob']);
    const byEmail = await list({ sort: 'email', order: 'desc', limit: 2 });
    expect(names(byEmail)).to.deep.equal(['lena@example.net', 'jack@example.net']);
    // Username ascending: invitees have none and come first.
    const byUsername = await list({ sort: 'username', limit: 4 });
    expect(byUsername.rows.slice(0, 3).every((r) => r.type === 'invitee')).to.equal(true);
    expect(byUsername.rows[3]!.username).to.equal('alice');
  });

  it('searches names, usernames, emails and phones by word prefix', async () => {
    await seed(h);
    const find = async (search: string) => names(await list({ search, limit: 100 }));
    expect(await find('doe')).to.deep.equal(['alice', 'dan']);
    expect(await find('DO')).to.deep.equal(['alice', 'dan']);
    expect(await find('alice doe')).to.deep.equal(['alice']);
    expect(await find('a d')).to.deep.equal(['alice']);
    expect(await find('bob@example')).to.deep.equal(['bob']);
    expect(await find('example.org')).to.deep.equal(['chloe']);
    expect(await find('chloe')).to.deep.equal(['chloe']);
    expect(await find('chloé')).to.deep.equal(['chloe']);
    expect(await find('+44 20 7946 0958')).to.deep.equal(['alice']);
    expect(await find('020 7946 0958')).to.deep.equal(['alice']);
    expect(await find('7946')).to.deep.equal(['alice']);
    expect(await find('ivy')).to.deep.equal(['ivy@example.net']);
    expect(await find('berg')).to.deep.equal(['lena@example.net']);
    expect(await find('nobody-like-this')).to.deep.equal([]);
    expect(await find('100%')).to.deep.equal([]);
    const page = await list({ search: 'doe' });
    expect(page.total).to.equal(2);
  });

  it('keeps search terms in step with profile edits', async () => {
    const { users } = await seed(h);
    await h.services.users.update(h.system(), users.bob.id, { familyName: 'Rivers', phone: '+15551234567' }, { origin: 'page' });
    expect(names(await list({ search: 'stone' }))).to.deep.equal([]);
    expect(names(await list({ search: 'rivers' }))).to.deep.equal(['bob']);
    expect(names(await list({ search: '555 123' }))).to.deep.equal(['bob']);
    await h.services.users.update(h.system(), users.bob.id, { displayName: 'Zed Rivers' }, { origin: 'page' });
    const last = await list({ limit: 100, status: 'active' });
    expect(names(last).at(-1)).to.equal('bob');
    await h.services.users.delete(h.system(), users.bob.id);
    expect(await h.services.models.UserSearchTerm.count({ where: { userId: users.bob.id } })).to.equal(0);
  });

  it('filters by status (pending and expired included), role and kind', async () => {
    const { roles } = await seed(h);
    const by = async (query: DirectoryQuery) => {
      const page = await list({ ...query, limit: 100 });
      expect(page.total).to.equal(page.rows.length);
      return names(page);
    };
    expect(await by({ status: 'active' })).to.deep.equal(['alice', 'bob', 'chloe', 'eve', 'frank', 'gina']);
    expect(await by({ status: 'unconfirmed' })).to.deep.equal(['dan']);
    expect(await by({ status: 'inactive' })).to.deep.equal(['hugo']);
    expect(await by({ status: 'pending' })).to.deep.equal(['ivy@example.net', 'lena@example.net']);
    expect(await by({ status: 'expired' })).to.deep.equal(['jack@example.net']);
    expect(await by({ roleId: roles.member })).to.deep.equal(['alice', 'bob', 'dan', 'frank', 'hugo', 'ivy@example.net']);
    expect(await by({ roleId: roles.viewer, status: 'expired' })).to.deep.equal(['jack@example.net']);
    expect(await by({ kind: 'requester' })).to.deep.equal(['chloe', 'lena@example.net']);
    expect(await by({ kind: 'requester', search: 'martin' })).to.deep.equal(['chloe']);
  });

  it('refuses unknown filter values', async () => {
    let error: unknown;
    try {
      await list({ status: 'gone' as never });
    } catch (err) {
      error = err;
    }
    expect((error as { fields?: Record<string, string> }).fields).to.have.property('status');
  });

  it('groups by department: named groups A–Z, then the rest; pages across groups both ways', async () => {
    await seed(h);
    const page = await list({ groupBy: 'department', limit: 100 });
    expect(page.groups!.map((g) => [g.label, g.count])).to.deep.equal([
      ['Engineering', 3],
      ['Sales', 3],
      ['No department', 5],
    ]);
    expect(page.total).to.equal(11);
    expect(page.rows.map((r) => [r.group, r.username ?? r.email])).to.deep.equal([
      ['Engineering', 'alice'],
      ['Engineering', 'chloe'],
      ['Engineering', 'frank'],
      ['Sales', 'bob'],
      ['Sales', 'eve'],
      ['Sales', 'hugo'],
      [null, 'dan'],
      [null, 'gina'],
      [null, 'ivy@example.net'],
      [null, 'jack@example.net'],
      [null, 'lena@example.net'],
    ]);
    const { rows } = await walk({ groupBy: 'department', limit: 4 });
    expect(rows.map((r) => r.id)).to.deep.equal(page.rows.map((r) => r.id));
  });

  it('groups by role: a holder of two roles is listed under each, invitees under theirs', async () => {
    await seed(h);
    const page = await list({ groupBy: 'role', limit: 100 });
    expect(page.groups!.map((g) => [g.label, g.count])).to.deep.equal([
      ['Admin', 1],
      ['Member', 6],
      ['Viewer', 3],
      ['No role', 2],
    ]);
    expect(page.total).to.equal(11);
    const under = (label: string) => page.rows.filter((r) => r.group === page.groups!.find((g) => g.label === label)!.key).map((r) => r.username ?? r.email);
    expect(under('Admin')).to.deep.equal(['alice']);
    expect(under('Member')).to.deep.equal(['alice', 'bob', 'dan', 'frank', 'hugo', 'ivy@example.net']);
    expect(under('Viewer')).to.deep.equal(['chloe', 'gina', 'jack@example.net']);
    expect(under('No role')).to.deep.equal(['eve', 'lena@example.net']);
    const { rows } = await walk({ groupBy: 'role', limit: 5 });
    expect(rows.map((r) => `${r.group}/${r.id}`)).to.deep.equal(page.rows.map((r) => `${r.group}/${r.id}`));
  });

  it('ignores a cursor made for another order and starts at the first page', async () => {
    await seed(h);
    const first = await list({ sort: 'email', limit: 3 });
    const other = await list({ sort: 'name', limit: 3, cursor: first.next });
    expect(names(other)).to.deep.equal(['alice', 'bob', 'chloe']);
    expect((await list({ cursor: 'not-a-cursor', limit: 3 })).rows).to.have.length(3);
  });

  it('moves a row from Pending to Expired by the application clock', async () => {
    await seed(h);
    h.clock.advance(49 * HOUR_MS);
    const page = await list({ status: 'expired', limit: 100 });
    expect(names(page)).to.deep.equal(['ivy@example.net', 'jack@example.net', 'lena@example.net']);
  });

  it('needs users.view', async () => {
    let error: unknown;
    try {
      await h.services.userDirectory.page(h.withPermissions([]), {});
    } catch (err) {
      error = err;
    }
    expect((error as Error).name).to.equal('Forbidden');
  });
});
