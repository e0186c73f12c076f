// A full seat pool, end to end: every page words the pool's state the same way, the
// creation buttons say so before a form is filled, a refused form comes back with
// everything typed and a way to the Seats page, a batch's refusals read once per row in a
// warning, a refused self-registrant is told the truth, and the holders of seats.manage get
// one mail per pool per day whichever path was refused.
import { expect } from 'chai';
import { addressOf } from '../../src/users/user-presenter.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, setLimit } from '../accounts/account-fixtures.js';
import { FormClient, GOOD_PASSWORD, receivedBy, roleId, textOf, useSmtp } from '../invitations/invite-kit.js';
import { asBuiltIn, inputValue, signIn, type AdminClient } from './admin-kit.js';

/** The href of the link whose text starts with `label`. */
function hrefOf(body: string, label: string): string | null {
  const m = new RegExp(`<a class="button[^"]*" href="([^"]+)"[^>]*>${label}`).exec(body);
  return m ? m[1]! : null;
}

describeEachDatabase('a full seat pool', (h) => {
  let admin: AdminClient;
  beforeEach(async () => {
    admin = await asBuiltIn(h, 'admin');
  });

  it('is "Full" on the overview, users and seats pages alike, and "Nearly full" from 90%', async () => {
    await setLimit(h, 5);
    for (let i = 0; i < 4; i++) await addUser(h);
    for (const path of ['/admin', '/admin/users', '/admin/seats']) {
      const text = textOf((await admin.get(path)).text);
      expect(text, path).to.include('Full: all 5 user seats are in use.');
      expect(text, path).not.to.include('Nearly full');
    }
    await setLimit(h, 10);
    for (let i = 0; i < 4; i++) await addUser(h);
    for (const path of ['/admin', '/admin/users', '/admin/seats']) {
      const text = textOf((await admin.get(path)).text);
      expect(text, path).to.include('Nearly full: 9 of 10 user seats are in use.');
      expect(text, path).not.to.include('Full: all');
    }
  });

  it('turns Add user and Invite into links to Seats when no pool has a seat; names the full pool when one still has', async () => {
    await setLimit(h, 1);
    let list = await admin.get('/admin/users');
    expect(hrefOf(list.text, 'Add user')).to.equal('/admin/users/new');
    expect(textOf(list.text)).to.include('user seats full');
    await setLimit(h, 0, 'requester');
    list = await admin.get('/admin/users');
    expect(hrefOf(list.text, 'Add user')).to.equal('/admin/seats');
    expect(hrefOf(list.text, 'Invite users')).to.equal('/admin/seats');
    expect(textOf(list.text)).to.include('Add user: no free seats');
    expect(hrefOf((await admin.get('/admin/invitations')).text, 'Invite people')).to.equal('/admin/seats');
  });

  it('gives the add-user form back with every value, passwords too, and a link to Seats', async () => {
    await setLimit(h, 1);
    const res = await admin.post('/admin/users/new', {
      givenName: 'Grace', familyName: 'Hopper', username: 'grace.h', email: 'grace@example.com', kind: 'user',
      roles: [await roleId(h, 'member')], mode: 'create', passwordMode: 'typed', password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD, confirmed: 'on',
    });
    expect(res.status).to.equal(403);
    expect(res.get('Cache-Control')).to.include('no-store');
    expect(textOf(res.text)).to.include('Seat limit reached: 1 of 1 user seats in use');
    expect(res.text).to.match(/role="alert">[\s\S]*href="\/admin\/seats"/);
    expect(inputValue(res.text, 'username')).to.equal('grace.h');
    expect(inputValue(res.text, 'password')).to.equal(GOOD_PASSWORD);
    expect(inputValue(res.text, 'passwordConfirmation')).to.equal(GOOD_PASSWORD);
    // A refusal of the password itself does not give it back.
    await setLimit(h, null);
    const weak = await admin.post('/admin/users/new', { email: 'ada@example.com', mode: 'create', passwordMode: 'typed', password: 'short', passwordConfirmation: 'short', kind: 'user' });
    expect(weak.status).to.equal(400);
    expect(inputValue(weak.text, 'password')).to.equal(null);
  });

  it('reports "0 of 2 addresses invited" in a warning, each refusal said once, with a link to Seats', async () => {
    await setLimit(h, 1);
    const res = await admin.post('/admin/invitations/new', { 'rows.0.addresses': 'a@example.com b@example.com', 'rows.0.kind': 'user', 'rows.0.method': 'email', 'rows.0.roles': [await roleId(h, 'member')], action: 'send' });
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<p class="warning" role="alert">0 of 2 addresses invited\.<\/p>/);
    const rows = [...res.text.matchAll(/<tr data-status="seat_limit_reached">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!));
    expect(rows).to.have.length(2);
    for (const row of rows) expect(row.split('Seat limit reached').length - 1, row).to.equal(1);
    expect(res.text).to.include('<a href="/admin/seats">Seats</a>');
  });

  describe('notice mail to the holders of seats.manage', () => {
    const { smtp, deliver } = useSmtp(h);
    const noticesTo = (address: string) => receivedBy(smtp, address).filter((m) => /^No free .* seats/.test(m.parsed.subject ?? ''));

    it('goes once per pool per day, whichever path was refused', async () => {
      const owner = await addOwner(h, { email: 'owner@example.com' });
      await setLimit(h, 1, 'requester');
      await addUser(h, { kind: 'requester' });
      await setLimit(h, 1, 'user');
      // Admin page, requester pool.
      const refused = await admin.post('/admin/users/new', { email: 'r1@example.com', kind: 'requester', mode: 'create', passwordMode: 'random', confirmed: 'on' });
      expect(refused.status).to.equal(403);
      // Invitation, requester pool: the same day, no second mail.
      await admin.post('/admin/invitations/new', { 'rows.0.addresses': 'r2@example.com', 'rows.0.kind': 'requester', 'rows.0.method': 'email', 'rows.0.roles': [await roleId(h, 'member')], action: 'send' });
      // Registration, user pool: its own notice.
      await h.services.settings.set(h.system(), 'registrationMode', 'open');
      const reg = await new FormClient(h.app).submit('/register', '/register', { name: 'Late', email: 'late@example.com', password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });
      expect(textOf(reg.text)).to.include('Registration is closed for now');
      await deliver();
      const first = noticesTo(addressOf(owner));
      expect(first.map((m) => m.parsed.subject).sort()).to.deep.equal(['No free requester seats at Gatehouse', 'No free user seats at Gatehouse']);
      expect(first[0]!.parsed.text).to.include('http://gatehouse.test/admin/seats');
      expect(noticesTo(addressOf(admin.user!)), 'admins without seats.manage are not mailed').to.have.length(0);

      // The next day, the next refusal mails again — once.
      h.clock.advanceHours(24);
      smtp.received.length = 0;
      admin = await signIn(h, admin.user!); // yesterday's page session has ended
      await admin.post('/admin/users/new', { email: 'r3@example.com', kind: 'requester', mode: 'create', passwordMode: 'random', confirmed: 'on' });
      await admin.post('/admin/users/new', { email: 'r4@example.com', kind: 'requester', mode: 'create', passwordMode: 'random', confirmed: 'on' });
      await deliver();
      expect(noticesTo(addressOf(owner)).map((m) => m.parsed.subject)).to.deep.equal(['No free requester seats at Gatehouse']);
      const row = await h.services.models.SeatPool.findByPk('requester');
      expect(row!.refusalNoticedOn).to.equal('2030-01-02');
    });
  });
});
