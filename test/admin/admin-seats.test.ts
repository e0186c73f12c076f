// The Seats page over HTTP: usage per pool (accounts and invited
// addresses), the 90% warning, the over-limit notice after a lowered limit, limits set by
// the owner only, and read-only limits when configuration sets them.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addInvitation, addUser, auditEvents, nextEmail, setLimit } from '../accounts/account-fixtures.js';
import { asBuiltIn, expectFieldError, inputValue } from './admin-kit.js';

function section(body: string, pool: string): string {
  return new RegExp(`<section id="pool-${pool}">[\\s\\S]*?</section>`).exec(body)?.[0] ?? '';
}

describeEachDatabase('admin pages: seats', (h) => {
  it('shows usage per pool, accounts and invited apart, to anyone who may see users', async () => {
    const viewer = await asBuiltIn(h, 'viewer');
    await addUser(h);
    await addUser(h, { kind: 'requester' });
    await addInvitation(h, nextEmail('invited'));
    await addInvitation(h, nextEmail('lapsed'), { expiresInHours: -1 });
    await setLimit(h, 10);
    const res = await viewer.get('/admin/seats');
    expect(res.status).to.equal(200);
    const user = section(res.text, 'user');
    expect(user).to.include('3 of 10 in use (30%)');
    expect(user).to.match(/<th>Accounts<\/th><td>2<\/td>/);
    expect(user).to.match(/<th>Invited<\/th><td>1<\/td>/);
    expect(section(res.text, 'requester')).to.include('1 in use · unlimited');
    expect(user).to.include('Only the owner can change seat limits.');
    expect(res.text).to.not.include('<form method="post" action="/admin/seats"');
  });

  it('lets the owner set and clear a limit, audited', async () => {
    const owner = await asBuiltIn(h, 'owner');
    let res = await owner.post('/admin/seats', { pool: 'requester', 'limit-requester': '25' });
    expect(res.status).to.equal(303);
    expect((await h.services.seats.usage('requester')).limit).to.equal(25);
    const page = await owner.get('/admin/seats?done=limit');
    expect(page.text).to.include('Seat limit saved.');
    expect(inputValue(section(page.text, 'requester'), 'limit-requester')).to.equal('25');
    const [event] = await auditEvents(h, { action: 'seats.limit_changed' });
    expect(event!.details).to.deep.equal({ pool: 'requester', from: null, to: 25 });

    res = await owner.post('/admin/seats', { pool: 'requester', 'limit-requester': '' });
    expect(res.status).to.equal(303);
    expect((await h.services.seats.usage('requester')).limit).to.equal(null);
  });

  it('warns from 90% and says what a lowered limit means', async () => {
    const owner = await asBuiltIn(h, 'owner'); // the owner takes a seat like anyone
    for (let i = 0; i < 7; i += 1) await addUser(h);
    await setLimit(h, 10);
    let user = section((await owner.get('/admin/seats')).text, 'user');
    expect(user).to.include('8 of 10 in use (80%)');
    expect(user).to.not.include('class="warning"');

    await addUser(h);
    user = section((await owner.get('/admin/seats')).text, 'user');
    expect(user).to.include('Nearly full: 9 of 10 user seats are in use.');

    await addUser(h);
    user = section((await owner.get('/admin/seats')).text, 'user');
    expect(user).to.include('Full: all 10 user seats are in use. New seats are blocked until one is freed or the limit is raised.');

    const res = await owner.post('/admin/seats', { pool: 'user', 'limit-user': '5' });
    expect(res.status).to.equal(303);
    user = section((await owner.get('/admin/seats')).text, 'user');
    expect(user).to.include('Over the limit: 10 of 5 user seats are in use. Nobody is removed; new seats are blocked until use falls below the limit.');
    expect(await h.services.models.User.count()).to.equal(10);
  });

  it('refuses a limit that is not a whole number, keeping what was typed', async () => {
    const owner = await asBuiltIn(h, 'owner');
    for (const typed of ['ten', '-1', '2.5', '99999999999']) {
      const res = await owner.post('/admin/seats', { pool: 'user', 'limit-user': typed });
      expect(res.status, typed).to.equal(400);
      const user = section(res.text, 'user');
      expectFieldError(user, 'limit-user', 'Limit must be a whole number from 0 to 1,000,000,000, or empty for unlimited.');
      expect(inputValue(user, 'limit-user')).to.equal(typed);
      expect(section(res.text, 'requester'), 'the other pool has no message').to.not.include('field-error');
    }
    const res = await owner.post('/admin/seats', { pool: 'staff', 'limit-staff': '3' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Pool must be one of user, requester.');
    expect((await h.services.seats.usage('user')).limit).to.equal(null);
  });

  it('lets only the owner change limits: an admin gets 403', async () => {
    const admin = await asBuiltIn(h, 'admin');
    expect((await admin.get('/admin/seats')).text).to.include('Only the owner can change seat limits.');
    const res = await admin.post('/admin/seats', { pool: 'user', 'limit-user': '3' });
    expect(res.status).to.equal(403);
    expect((await h.services.seats.usage('user')).limit).to.equal(null);
  });
});

describeEachDatabase(
  'admin pages: seats set by configuration',
  (h) => {
    it('shows a configured limit read-only, saying so, and refuses to change it', async () => {
      const owner = await asBuiltIn(h, 'owner');
      const page = await owner.get('/admin/seats');
      const user = section(page.text, 'user');
      expect(user).to.include('1 of 5 in use (20%)');
      expect(user).to.include('The limit is set by configuration (SEATS_USER, the licence) and is read-only here.');
      expect(user).to.not.include('<form');
      expect(section(page.text, 'requester'), 'the other pool stays editable').to.include('<form method="post" action="/admin/seats"');

      const res = await owner.post('/admin/seats', { pool: 'user', 'limit-user': '50' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('set by configuration (SEATS_USER) and cannot be changed here');
      expect((await h.services.seats.usage('user')).limit).to.equal(5);
    });
  },
  { env: { SEATS_USER: '5' } },
);
