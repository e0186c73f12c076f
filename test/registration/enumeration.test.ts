// Registration and the forgotten-password form must not tell whether an address has an
// account: the answers are the same, and both paths do
// the same work — each registration hashes the password once and each form enqueues exactly
// one mail, known address or not. Timing itself is measured by `npm run bench:enumeration`,
// not asserted here (a shared machine makes any threshold flaky).
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addWithRole } from '../accounts/account-fixtures.js';
import { hashesStarted } from '../../src/passwords/password-hasher.js';
import { newToken } from '../../src/ids.js';
import { GOOD_PASSWORD } from '../invitations/invite-kit.js';

/** Posts a public form as its page would (CSRF cookie and field); returns the answer and the work it caused. */
async function submit(h: Harness, path: string, form: Record<string, string>) {
  const csrf = newToken();
  const hashesBefore = hashesStarted();
  const mailBefore = await h.services.models.MailOutbox.count();
  const res = await request(h.app).post(path).set('Cookie', `gh_csrf=${csrf}`).type('form').send({ _csrf: csrf, ...form });
  return { status: res.status, body: res.text, hashes: hashesStarted() - hashesBefore, mails: (await h.services.models.MailOutbox.count()) - mailBefore };
}

describeEachDatabase('known and unknown addresses: the same answer and the same work', (h) => {
  beforeEach(async () => {
    await h.services.settings.set(h.system(), 'registrationMode', 'open');
    await addWithRole(h, 'member', { username: 'kim', email: 'kim@example.com' });
  });

  const register = (email: string) => submit(h, '/register', { name: 'Some One', email, password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });

  it('registration: one password hash and one mail for a known and an unknown address, the same page', async () => {
    const known = await register('kim@example.com');
    const unknown = await register('newcomer@example.com');
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(known.status);
    expect(unknown.body).to.equal(known.body);
    expect({ hashes: known.hashes, mails: known.mails }).to.deep.equal({ hashes: 1, mails: 1 });
    expect({ hashes: unknown.hashes, mails: unknown.mails }).to.deep.equal({ hashes: 1, mails: 1 });
    // With confirmation off the new account is mailed a welcome instead: still one mail, one hash.
    await h.services.settings.set(h.system(), 'requireEmailConfirmation', false);
    const welcomed = await register('another@example.com');
    expect({ hashes: welcomed.hashes, mails: welcomed.mails }).to.deep.equal({ hashes: 1, mails: 1 });
  });

  it('forgotten password: no hash and one mail for a known and an unknown address, the same page', async () => {
    const known = await submit(h, '/password/forgot', { email: 'kim@example.com' });
    const unknown = await submit(h, '/password/forgot', { email: 'stranger@example.com' });
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(known.status);
    expect(unknown.body).to.equal(known.body);
    expect({ hashes: known.hashes, mails: known.mails }).to.deep.equal({ hashes: 0, mails: 1 });
    expect({ hashes: unknown.hashes, mails: unknown.mails }).to.deep.equal({ hashes: 0, mails: 1 });
    const templates = (await h.services.models.MailOutbox.findAll({ order: [['id', 'ASC']] })).map((m) => [m.toAddress, m.template]);
    expect(templates).to.deep.equal([['kim@example.com', 'password-reset'], ['stranger@example.com', 'password-reset-no-account']]);
  });

  it('an unknown address gets at most 3 notices per half hour (the form cannot flood a mailbox)', async () => {
    for (let i = 0; i < 5; i++) await submit(h, '/password/forgot', { email: 'stranger@example.com' });
    expect(await h.services.models.MailOutbox.count({ where: { toAddress: 'stranger@example.com' } })).to.equal(3);
    h.clock.advance(31 * 60_000);
    await submit(h, '/password/forgot', { email: 'stranger@example.com' });
    expect(await h.services.models.MailOutbox.count({ where: { toAddress: 'stranger@example.com' } })).to.equal(4);
  });
});
