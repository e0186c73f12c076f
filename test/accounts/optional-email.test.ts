// Accounts without an email address: only a directory (SCIM, LDAP, CSV)
// makes one; it is stored as NULL, never '', so any number coexist under the unique index;
// it receives no mail, is found by no address, and cannot be sent a link; only a directory
// takes an address away, and the old address hears of it with an "it wasn't me" link;
// giving one back tells nobody (there is no old address). Every other path still needs one.
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, rejection } from './account-fixtures.js';
import { InvalidTransition, ValidationError } from '../../src/errors.js';
import type { UserSource } from '../../src/users/user-model.js';
import { lastMailTo, linkTo, tokenOf } from '../invitations/invite-kit.js';
import { schemaSnapshot } from '../helpers/schema-snapshot.js';
import { MIGRATIONS_TABLE } from '../../src/db/migrator.js';
import { migration as optionalEmail } from '../../migrations/013-optional-email.js';

describeEachDatabase('accounts without an email address', (h: Harness) => {
  const directoryMade = (username: string, source: UserSource = 'scim', extra: Record<string, string> = {}) =>
    h.services.users.create(h.system(), { username, ...extra }, { source, origin: 'directory' });
  const outboxRows = () => h.services.models.MailOutbox.count();
  const stored = async (id: string) => {
    const [row] = await h.db.sequelize.query<{ email: string | null; email_normalized: string | null }>('SELECT email, email_normalized FROM users WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT });
    return row!;
  };

  it('is made by a directory only, stored as NULL, and any number coexist under the unique index', async () => {
    const made = [await directoryMade('jdoe'), await directoryMade('ksmith', 'csv'), await directoryMade('lwu', 'ldap'), await directoryMade('mo', 'scim', { email: '  ' })];
    for (const u of made) {
      expect(u.email).to.equal(null);
      expect(await stored(u.id)).to.deep.equal({ email: null, email_normalized: null });
    }
    // Every other path still needs an address, with the form's own message.
    for (const source of ['admin', 'invitation', 'registration', 'upstream'] as const) {
      const err = await rejection(h.services.users.create(h.system(), { username: `x-${source}` }, { source, origin: source === 'upstream' ? 'directory' : 'page' }), ValidationError);
      expect(err.fields.email).to.equal('Email is required.');
    }
    const add = await rejection(h.services.userOnboarding.add(h.system(), { profile: { username: 'paged' }, roleIds: [], password: null, confirmed: true, sendWelcome: false }), ValidationError);
    expect(add.fields.email).to.equal('Email is required.');
    await h.services.settings.set(h.system(), 'registrationMode', 'open');
    const registered = await rejection(h.services.registration.register(h.system(), { name: 'Reg', email: '', password: 'a long enough passphrase' }), ValidationError);
    expect(registered.fields.email).to.equal('Email is required.');
    const member = (await h.services.roles.builtin('member')).id;
    const invited = await h.services.invitations.invite(h.system(), [{ addresses: 'jdoe', roleIds: [member] }]);
    expect(invited.map((o) => o.status)).to.deep.equal(['invalid_address']);
    expect(await h.services.models.User.count()).to.equal(made.length);
    // A username is still needed when there is no address to take it from.
    const nameless = await rejection(h.services.users.create(h.system(), {}, { source: 'scim', origin: 'directory' }), ValidationError);
    expect(nameless.fields.username).to.equal('Username is required.');
  });

  it('is found by no address: sign-in by email, password resets, sign-up and invitations never match it', async () => {
    const u = await directoryMade('jdoe', 'scim');
    expect(await h.services.users.findByLogin('')).to.equal(null);
    expect(await h.services.users.findForSignIn('')).to.equal(null);
    expect((await h.services.users.findByLogin('JDoe'))!.id).to.equal(u.id);
    await rejection(h.services.passwordResets.request(h.system(), ''), ValidationError);
    // An address nobody has: the reset form answers the same and mails only that address.
    expect(await h.services.passwordResets.request(h.system(), 'jdoe@example.com')).to.equal('no_account');
    const outcomes = await h.services.invitations.invite(h.system(), [{ addresses: 'jdoe@example.com', roleIds: [(await h.services.roles.builtin('member')).id] }]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['sent']);
    expect(await h.services.models.PasswordReset.count({ where: { userId: u.id } })).to.equal(0);
  });

  it('receives no mail on any path, and links that need a mailbox are refused', async () => {
    await addOwner(h);
    const u = await directoryMade('quiet', 'scim');
    const admin = await h.as(await addWithRole(h, 'admin'));
    const before = await outboxRows();
    // A password someone else set, a second factor reset, a deactivation by a weaker actor: nobody to tell.
    await h.services.users.setPassword(admin, u.id, 'a long enough passphrase');
    await h.services.roles.setUserRoles(h.system(), u.id, [(await h.services.roles.builtin('admin')).id], null);
    await h.services.users.deactivate(h.withPermissions(['users.manage']), u.id, 'leaving');
    expect(await outboxRows()).to.equal(before + 1); // only the owner's notice of the weaker deactivation
    const err = await rejection(h.services.reactivationLinks.send(admin, u.id), InvalidTransition);
    expect(err.message).to.match(/no email address/);
    await h.services.users.reactivate(admin, u.id);
    // Sign-in by username still works where there is a password.
    expect((await h.services.signIn.authenticate(h.system(), 'quiet', 'a long enough passphrase')).id).to.equal(u.id);
    expect(await outboxRows()).to.equal(before + 1);
  });

  it('only a directory removes an address; the old one is told and can restore it; giving one back tells nobody', async () => {
    const u = await addUser(h, { username: 'dana', email: 'dana@example.com' }, { source: 'scim', origin: 'directory' });
    const admin = await h.as(await addWithRole(h, 'admin'));
    const onPage = await rejection(h.services.users.update(admin, u.id, { email: '' }, { origin: 'page' }), ValidationError);
    expect(onPage.fields.email).to.equal('Email is required.');
    expect((await h.services.users.get(u.id)).email).to.equal('dana@example.com');

    const removed = await h.services.users.update(admin, u.id, { email: null }, { origin: 'directory' });
    expect(removed).to.include({ email: null, emailVerified: false });
    expect(await stored(u.id)).to.deep.equal({ email: null, email_normalized: null });
    const notice = await lastMailTo(h, 'dana@example.com');
    expect(notice.subject).to.match(/was removed$/);
    expect(notice.text).to.include('removed the email address dana@example.com');
    // The "it wasn't me" link puts it back.
    const preview = await h.services.emailRestoreLinks.check(tokenOf(linkTo(notice.text, '/email/restore')));
    expect(preview).to.include({ oldEmail: 'dana@example.com', newEmail: null });
    await h.services.emailRestoreLinks.follow(h.system(), tokenOf(linkTo(notice.text, '/email/restore')));
    expect(await h.services.users.get(u.id)).to.include({ email: 'dana@example.com', emailVerified: true });

    // From no address to one: there is no old address to tell.
    await h.services.users.update(admin, u.id, { email: null }, { origin: 'directory' });
    const mailed = await outboxRows();
    await h.services.users.update(admin, u.id, { email: 'dana.new@example.com' }, { origin: 'directory' });
    expect(await outboxRows()).to.equal(mailed);
    expect(await h.services.users.get(u.id)).to.include({ email: 'dana.new@example.com', emailVerified: false });
    // A page edit of an account without an address may leave it empty.
    const other = await directoryMade('eve', 'csv');
    expect((await h.services.users.update(admin, other.id, { email: '', title: 'Clerk' }, { origin: 'page' })).email).to.equal(null);
  });

  it('migrates without losing a row, a reference or an index, and is undone only while every account has an address', async () => {
    const owner = await addOwner(h);
    const admin = await addWithRole(h, 'admin');
    await h.services.users.update(h.system(), admin.id, { email: 'admin.new@example.com' }, { origin: 'page' });
    const qi = h.db.sequelize.getQueryInterface();
    const snapshot = () => schemaSnapshot(h.db, { skipIndexesOf: [MIGRATIONS_TABLE] });
    const counts = async () => Promise.all(['users', 'user_roles', 'email_changes', 'user_search_terms'].map((t) => h.db.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`, { type: QueryTypes.SELECT }).then(([r]) => Number(r!.n))));
    const [schema, rowCounts] = [await snapshot(), await counts()];
    expect(schema.users!.columns.email!.allowNull).to.equal(true);

    await optionalEmail.down(qi);
    expect((await snapshot()).users!.columns.email!.allowNull).to.equal(false);
    expect(await counts()).to.deep.equal(rowCounts);
    await optionalEmail.up(qi);
    expect(await snapshot()).to.deep.equal(schema);
    expect(await counts()).to.deep.equal(rowCounts);
    expect((await h.services.users.get(owner.id)).roles.map((r) => r.builtin)).to.deep.equal(['owner']);

    await directoryMade('nomail');
    const refused = await optionalEmail.down(qi).catch((e: Error) => e);
    expect(String(refused)).to.include('1 account(s) have no email address');
    expect(await snapshot()).to.deep.equal(schema);
  });

  it('lists, searches and pages by email across accounts with and without one', async () => {
    const ids = new Set<string>();
    for (const n of ['a', 'b', 'c']) ids.add((await addUser(h, { username: `with-${n}`, email: `${n}@example.com` })).id);
    for (const n of ['x', 'y', 'z']) ids.add((await directoryMade(`without-${n}`)).id);
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await h.services.userDirectory.page(h.system(), { sort: 'email', order, limit: 2, cursor });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.next;
      } while (cursor);
      expect(seen, order).to.have.members([...ids]);
      expect(seen, order).to.have.length(ids.size);
    }
    const found = await h.services.userDirectory.page(h.system(), { search: 'without' });
    expect(found.rows.map((r) => [r.username, r.email])).to.have.deep.members([['without-x', null], ['without-y', null], ['without-z', null]]);
  });
});
