// "Add user" over HTTP: every field, typed or random
// password (the random one shown once), confirmed or not, the welcome email through the
// outbox, "send an invitation instead" to another address, and each refusal beside its
// field with the values kept.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addUser, auditEvents, setLimit } from '../accounts/account-fixtures.js';
import { verifyPassword } from '../../src/passwords/password-hasher.js';
import { asBuiltIn, asCustom, expectFieldError, fieldError, inputValue, isChecked, selectedValue, signIn, type AdminClient, type Form } from './admin-kit.js';
import { lastMailTo } from '../invitations/invite-kit.js';

const PASSWORD = 'a long and quiet river 7';

async function roleId(h: Harness, builtin: 'admin' | 'member' | 'viewer' | 'owner'): Promise<string> {
  return (await h.services.roles.builtin(builtin)).id;
}

async function fullForm(h: Harness, change: Form = {}): Promise<Form> {
  return {
    givenName: 'Grace',
    familyName: 'Hopper',
    username: 'grace.h',
    email: 'grace@example.com',
    countryCode: '+44',
    phone: '020 7946 0958',
    gender: 'female',
    birthdate: '1990-04-30',
    department: 'Engineering',
    title: 'Rear admiral',
    kind: 'requester',
    roles: [await roleId(h, 'member')],
    mode: 'create',
    passwordMode: 'typed',
    password: PASSWORD,
    passwordConfirmation: PASSWORD,
    confirmed: 'on',
    sendWelcome: 'on',
    ...change,
  };
}

async function outboxTo(h: Harness, address: string) {
  return h.services.models.MailOutbox.findAll({ where: { toAddress: address }, order: [['id', 'ASC']] });
}

describeEachDatabase('admin pages: add user', (h) => {
  let admin: AdminClient;
  beforeEach(async () => {
    admin = await asBuiltIn(h, 'admin');
  });

  it('offers only grantable roles, the invitation default role pre-selected', async () => {
    const res = await admin.get('/admin/users/new');
    expect(res.status).to.equal(200);
    expect(isChecked(res.text, 'roles', await roleId(h, 'member'))).to.equal(true);
    expect(isChecked(res.text, 'roles', await roleId(h, 'viewer'))).to.equal(false);
    expect(res.text).to.include(`value="${await roleId(h, 'admin')}"`);
    expect(res.text).to.not.include(`value="${await roleId(h, 'owner')}"`);
    expect(res.text).to.include('Send an invitation instead');
    // A manager holding fewer permissions sees fewer roles.
    const limited = await asCustom(h, ['users.view', 'users.manage', 'assets.view', 'licenses.view', 'reports.view'], 'Limited');
    const page = await limited.get('/admin/users/new');
    expect(page.text).to.include(`value="${await roleId(h, 'viewer')}"`);
    expect(page.text).to.not.include(`value="${await roleId(h, 'member')}"`);
    expect(page.text).to.not.include('Send an invitation instead');
  });

  it('adds a confirmed account with every field and a typed password, and mails a welcome', async () => {
    const res = await admin.post('/admin/users/new', await fullForm(h));
    expect(res.status, res.text.slice(0, 2000)).to.equal(200);
    expect(res.text).to.include('Grace Hopper (<strong>grace.h</strong>) was added.');
    expect(res.text).to.not.include('generated-password');
    const user = (await h.services.users.findByLogin('grace.h'))!;
    expect(user).to.include({ email: 'grace@example.com', phone: '+442079460958', gender: 'female', birthdate: '1990-04-30', department: 'Engineering', title: 'Rear admiral', kind: 'requester', status: 'active', source: 'admin' });
    expect(user.roles.map((r) => r.name)).to.deep.equal(['Member']);
    expect(await verifyPassword((await h.services.users.passwordHashOf(user.id))!, PASSWORD)).to.equal(true);
    const mail = await lastMailTo(h, 'grace@example.com');
    expect(mail.subject).to.equal('Welcome to Gatehouse');
    expect(mail.text).to.include('Your username is grace.h');
    expect(mail.text).to.include('http://gatehouse.test/account');
    expect(mail.text).to.not.include(PASSWORD);
    expect((await auditEvents(h, { action: 'user.created', targetId: user.id }))[0]!.actorLabel).to.equal(admin.user!.username);
  });

  it('generates a random password, shows it once, and never mails it', async () => {
    const res = await admin.post('/admin/users/new', await fullForm(h, { passwordMode: 'random', password: '', passwordConfirmation: '' }));
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const password = /<code id="generated-password"[^>]*>([^<]+)<\/code>/.exec(res.text)![1]!;
    expect(password).to.match(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const user = (await h.services.users.findByLogin('grace.h'))!;
    expect(await verifyPassword((await h.services.users.passwordHashOf(user.id))!, password)).to.equal(true);
    const detail = await admin.get(`/admin/users/${user.id}`);
    expect(detail.text).to.not.include(password);
    const mail = await lastMailTo(h, 'grace@example.com');
    expect(mail.text).to.not.include(password);
    expect(mail.html).to.not.include(password);
  });

  it('leaves the account unconfirmed with "confirmed" off, mails the confirmation link, and no welcome when unticked', async () => {
    const form = await fullForm(h);
    delete form.confirmed;
    delete form.sendWelcome;
    const res = await admin.post('/admin/users/new', form);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('was added as unconfirmed');
    const user = (await h.services.users.findByLogin('grace.h'))!;
    expect(user.status).to.equal('unconfirmed');
    const mails = await outboxTo(h, 'grace@example.com');
    expect(mails.map((m) => m.template)).to.deep.equal(['confirm-email-admin']);
  });

  it('keeps every value and shows each problem beside its field', async () => {
    await addUser(h, { username: 'taken', email: 'taken@example.com' });
    const res = await admin.post(
      '/admin/users/new',
      await fullForm(h, { username: '.grace', email: 'not-an-address', countryCode: '', phone: '12', birthdate: '1990-02-30', password: 'short', passwordConfirmation: 'other', givenName: 'x'.repeat(300), kind: 'robot' }),
    );
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Nothing was saved');
    expectFieldError(res.text, 'username', 'cannot start or end with a period');
    expectFieldError(res.text, 'email', 'Enter a valid email address');
    expectFieldError(res.text, 'phone', 'country code');
    expectFieldError(res.text, 'birthdate', 'real date');
    expectFieldError(res.text, 'password', 'at least 8 characters');
    expectFieldError(res.text, 'passwordConfirmation', 'not the same');
    expectFieldError(res.text, 'givenName', 'at most 255 characters');
    expectFieldError(res.text, 'kind', 'Kind must be one of');
    expect(inputValue(res.text, 'username')).to.equal('.grace');
    expect(inputValue(res.text, 'email')).to.equal('not-an-address');
    expect(inputValue(res.text, 'department')).to.equal('Engineering');
    expect(inputValue(res.text, 'password')).to.equal(null);
    expect(selectedValue(res.text, 'gender')).to.equal('female');
    expect(isChecked(res.text, 'roles', await roleId(h, 'member'))).to.equal(true);
    expect(await h.services.users.findByLogin('grace@example.com')).to.equal(null);

    const taken = await admin.post('/admin/users/new', await fullForm(h, { username: 'Taken' }));
    expect(taken.status).to.equal(409);
    expectFieldError(taken.text, 'username', 'already taken');
    const sameEmail = await admin.post('/admin/users/new', await fullForm(h, { email: 'TAKEN@example.com' }));
    expectFieldError(sameEmail.text, 'email', 'already exists');
    const common = await admin.post('/admin/users/new', await fullForm(h, { password: 'password123', passwordConfirmation: 'password123' }));
    expectFieldError(common.text, 'password', 'too common');
    const empty = await admin.post('/admin/users/new', await fullForm(h, { password: '', passwordConfirmation: '' }));
    expectFieldError(empty.text, 'password', 'Type a password');
  });

  it('refuses a role the admin may not give, beside the roles', async () => {
    const limited = await asCustom(h, ['users.view', 'users.manage'], 'Limited');
    const res = await limited.post('/admin/users/new', await fullForm(h, { roles: [await roleId(h, 'admin')] }));
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'roles', 'You cannot give Admin');
    const owner = await admin.post('/admin/users/new', await fullForm(h, { roles: [await roleId(h, 'owner')] }));
    expectFieldError(owner.text, 'roles', 'owner role moves only by transfer');
    expect(await h.services.users.findByLogin('grace.h')).to.equal(null);
  });

  it('says when the seat pool is full and audits the refusal', async () => {
    await setLimit(h, 1, 'requester');
    await addUser(h, { kind: 'requester' });
    const res = await admin.post('/admin/users/new', await fullForm(h));
    expect(res.status).to.equal(403);
    expect(res.text).to.include('Seat limit reached: 1 of 1 requester seats in use');
    expect(inputValue(res.text, 'username')).to.equal('grace.h');
    expect(await h.services.users.findByLogin('grace.h')).to.equal(null);
    expect(await outboxTo(h, 'grace@example.com')).to.have.length(0);
    const refusals = await auditEvents(h, { action: 'seats.limit_reached' });
    expect(refusals.at(-1)!.details).to.include({ pool: 'requester', attempted: 'grace.h' });
  });

  it('sends an invitation instead, to another delivery address, and lists the address as Pending', async () => {
    const res = await admin.post('/admin/users/new', await fullForm(h, { mode: 'invite', deliveryEmail: 'grace.private@example.org', password: '', passwordConfirmation: '' }));
    expect(res.status, res.text.slice(0, 2000)).to.equal(200);
    expect(res.text).to.include('We sent an invitation for grace@example.com to grace.private@example.org');
    expect(await h.services.users.findByLogin('grace@example.com')).to.equal(null);
    const mail = await lastMailTo(h, 'grace.private@example.org');
    expect(mail.text).to.include('/invitations/accept?token=');
    expect(h.mail.to('grace@example.com')).to.have.length(0);
    const list = await admin.get('/admin/users?status=pending');
    expect(list.text).to.include('Grace Hopper');
    expect(list.text).to.include('<span class="status status-pending">Pending</span>');
  });

  it('shows the invitation service’s refusals beside the fields', async () => {
    const noRoles = await admin.post('/admin/users/new', await fullForm(h, { mode: 'invite', roles: [] }));
    expect(noRoles.status).to.equal(400);
    expectFieldError(noRoles.text, 'roles', 'Choose at least one role');
    const badDelivery = await admin.post('/admin/users/new', await fullForm(h, { mode: 'invite', deliveryEmail: 'nope' }));
    expect(fieldError(badDelivery.text, 'deliveryEmail')).to.be.a('string');
    await addUser(h, { email: 'grace@example.com' });
    const existing = await admin.post('/admin/users/new', await fullForm(h, { mode: 'invite' }));
    expect(existing.status).to.equal(409);
    expectFieldError(existing.text, 'email', 'already has an account');
  });

  it('refuses the invitation option without users.invite, and the page without users.manage', async () => {
    const manager = await asCustom(h, ['users.view', 'users.manage', 'assets.view', 'licenses.view', 'reports.view'], 'Manager only');
    const res = await manager.post('/admin/users/new', await fullForm(h, { mode: 'invite', roles: [await roleId(h, 'viewer')] }));
    expect(res.status).to.equal(403);
    expect(res.text).to.include('You need the &quot;users.invite&quot; permission');
    expect(await h.services.models.Invitation.count()).to.equal(0);
    const member = await signIn(h, await addUser(h, {}, { roleIds: [await roleId(h, 'member')] }));
    expect((await member.post('/admin/users/new', await fullForm(h))).status).to.equal(403);
    expect(await h.services.users.findByLogin('grace.h')).to.equal(null);
  });
});
