// First start: while no owner exists Gatehouse
// issues a one-time /setup link (256-bit, stored only as its SHA-256, valid 24 h) where the
// first person creates the owner under the password rules. Afterwards the link is dead.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { QueryTypes } from 'sequelize';
import { verifyPassword } from '../../src/passwords/password-hasher.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { fieldError, fieldValue, openSetupForm, postSetup, tokenOf } from '../helpers/setup-form.js';

const GOOD = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine notes' };

describeEachDatabase('first-start setup over HTTP', (h) => {
  let link: string;
  let token: string;

  beforeEach(async () => {
    const issued = await h.services.setup.issueLinkIfNeeded(h.system());
    expect(issued).to.be.a('string');
    link = issued!;
    token = tokenOf(link);
  });

  async function users() {
    return h.services.users.list();
  }

  describe('the link', () => {
    it('is built from PUBLIC_URL and carries a 256-bit token', () => {
      expect(link.startsWith('http://gatehouse.test/setup?token=')).to.equal(true);
      expect(Buffer.from(token, 'base64url')).to.have.length(32);
    });

    it('is stored only as its SHA-256', async () => {
      const rows = await h.db.sequelize.query<Record<string, unknown>>('SELECT * FROM setup_tokens', { type: QueryTypes.SELECT });
      expect(rows).to.have.length(1);
      expect(rows[0].token_hash).to.equal(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(rows)).not.to.include(token);
    });
  });

  describe('the form', () => {
    it('shows the form with a CSRF cookie and field', async () => {
      const res = await request(h.app).get(`/setup?token=${token}`).expect(200).expect('Content-Type', /html/);
      expect(res.text).to.include('Create the owner account');
      expect(res.text).to.include(`name="token" value="${token}"`);
      const session = await openSetupForm(h.app, token);
      expect(session.cookie).to.match(/^gh_csrf=.{32,}/);
      expect(session.csrf.length).to.be.greaterThanOrEqual(32);
    });

    it('refuses a POST without the CSRF cookie and field (403), creating nothing', async () => {
      const res = await postSetup(h.app, token, GOOD, null).expect(403);
      expect(res.text).to.match(/form has expired or was sent from another site/);
      expect(await users()).to.have.length(0);
      await request(h.app).get(`/setup?token=${token}`).expect(200);
    });

    it('refuses a POST whose CSRF field does not match its cookie (403)', async () => {
      const session = await openSetupForm(h.app, token);
      const other = await openSetupForm(h.app, token);
      await postSetup(h.app, token, GOOD, { cookie: session.cookie, csrf: other.csrf }).expect(403);
      expect(await users()).to.have.length(0);
    });
  });

  describe('password rules, with messages beside the fields and values kept', () => {
    const cases: Array<{ title: string; form: Record<string, string>; field: string; message: RegExp }> = [
      { title: 'too short', form: { ...GOOD, password: 'shorty1' }, field: 'password', message: /at least 8 characters/ },
      { title: 'too common', form: { ...GOOD, password: 'password123' }, field: 'password', message: /too common/ },
      { title: 'confirmation differs', form: { ...GOOD, passwordConfirmation: 'analytical engine notez' }, field: 'passwordConfirmation', message: /not the same/ },
      { title: 'bad email', form: { ...GOOD, email: 'not-an-email' }, field: 'email', message: /valid email address/ },
      { title: 'name missing', form: { ...GOOD, name: '' }, field: 'name', message: /Enter your name/ },
      { title: 'the email as password', form: { ...GOOD, password: 'ada@example.com' }, field: 'password', message: /email address or username/ },
    ];
    for (const c of cases) {
      it(c.title, async () => {
        const session = await openSetupForm(h.app, token);
        const res = await postSetup(h.app, token, c.form, session).expect(400);
        expect(fieldError(res.text, c.field)).to.match(c.message);
        expect(fieldValue(res.text, 'name')).to.equal(c.form.name || null);
        expect(fieldValue(res.text, 'email')).to.equal(c.form.email);
        // Passwords are never sent back (unless typed into another field too).
        if (c.form.password !== c.form.email) expect(res.text).not.to.include(c.form.password);
        expect(await users()).to.have.length(0);
      });
    }

    it('accepts 64 characters and more (no upper limit below 64)', async () => {
      const session = await openSetupForm(h.app, token);
      const long = 'a sentence that goes on and on '.repeat(3).slice(0, 80);
      await postSetup(h.app, token, { ...GOOD, password: long }, session).expect(200);
    });

    it('keeps the link usable after a rejected form', async () => {
      const session = await openSetupForm(h.app, token);
      await postSetup(h.app, token, { ...GOOD, password: 'shorty1' }, session).expect(400);
      await postSetup(h.app, token, GOOD, session).expect(200);
    });
  });

  describe('success', () => {
    it('creates the owner with an argon2id hash, audits it and enqueues a welcome mail', async () => {
      const session = await openSetupForm(h.app, token);
      const res = await postSetup(h.app, token, GOOD, session).expect(200);
      expect(res.text).to.include('Owner account created');
      expect(res.text).not.to.include(GOOD.password);

      const [owner] = await users();
      expect(owner.email).to.equal(GOOD.email);
      expect(owner.name).to.equal('Ada Lovelace');
      expect(owner.status).to.equal('active');
      expect(owner.roles.map((r) => r.builtin)).to.deep.equal(['owner']);
      expect((await h.services.roles.permissionsOf(owner.id)).has('seats.manage')).to.equal(true);

      // Argon2id, m=19 MiB, t=2, p=1.
      const hash = (await h.services.users.passwordHashOf(owner.id))!;
      expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).to.equal(true);
      expect(await verifyPassword(hash, GOOD.password)).to.equal(true);

      const audited = await h.services.models.AuditEvent.findAll({ where: { action: 'setup.owner_created' } });
      expect(audited).to.have.length(1);
      expect(audited[0].targetId).to.equal(owner.id);
      expect(audited[0].source).to.equal('setup');
      expect(audited[0].ip).to.be.a('string');
      expect(audited[0].requestId).to.equal(res.headers['x-request-id']);

      const outbox = await h.services.models.MailOutbox.findAll();
      expect(outbox.map((m) => [m.toAddress, m.template, m.status])).to.deep.equal([[GOOD.email, 'owner-welcome', 'pending']]);
      expect(await h.services.mailWorker.runOnce()).to.equal(1);
      const [mail] = h.mail.to(GOOD.email);
      expect(mail.subject).to.match(/ready/);
      expect(mail.text).to.include('http://gatehouse.test/');
      expect(mail.html).to.include('Ada Lovelace');
      expect((await h.services.models.MailOutbox.findByPk(outbox[0].id))!.status).to.equal('sent');
    });

    it('then the same link is dead (410 with a clear page), on GET and POST', async () => {
      const session = await openSetupForm(h.app, token);
      await postSetup(h.app, token, GOOD, session).expect(200);
      const get = await request(h.app).get(`/setup?token=${token}`).expect(410);
      expect(get.text).to.include('This setup link cannot be used');
      expect(get.text).to.match(/owner account exists/);
      const again = await postSetup(h.app, token, { ...GOOD, email: 'eve@example.com' }, session).expect(410);
      expect(again.text).to.include('This setup link cannot be used');
      expect(await users()).to.have.length(1);
    });

    it('kills every other setup link too, and issues no new one', async () => {
      const second = tokenOf((await h.services.setup.issueLinkIfNeeded(h.system()))!);
      const session = await openSetupForm(h.app, token);
      await postSetup(h.app, token, GOOD, session).expect(200);
      await request(h.app).get(`/setup?token=${second}`).expect(410);
      expect(await h.services.setup.issueLinkIfNeeded(h.system())).to.equal(null);
    });

    it('creates one owner when the link is submitted twice at once', async () => {
      const session = await openSetupForm(h.app, token);
      const results = await Promise.all([
        postSetup(h.app, token, GOOD, session),
        postSetup(h.app, token, { ...GOOD, email: 'grace@example.com', name: 'Grace Hopper' }, session),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 410]);
      expect(await users()).to.have.length(1);
    });
  });

  describe('dead links', () => {
    it('an unknown token answers 404 with a clear page', async () => {
      const res = await request(h.app).get('/setup?token=not-a-real-token').expect(404);
      expect(res.text).to.include('This setup link cannot be used');
      expect(res.text).to.match(/not valid/);
      await request(h.app).get('/setup').expect(404);
    });

    it('a link past 24 hours answers 410, on GET and POST', async () => {
      const session = await openSetupForm(h.app, token);
      h.clock.advanceHours(24);
      h.clock.advance(1);
      const res = await request(h.app).get(`/setup?token=${token}`).expect(410);
      expect(res.text).to.match(/expired/);
      await postSetup(h.app, token, GOOD, session).expect(410);
      expect(await users()).to.have.length(0);
    });

    it('a link just inside 24 hours still works', async () => {
      h.clock.advanceHours(23.9);
      const session = await openSetupForm(h.app, token);
      await postSetup(h.app, token, GOOD, session).expect(200);
    });
  });
});
