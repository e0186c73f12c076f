// The invite page over HTTP: rows of one or many
// addresses with their own roles and kind, "Add invite" without JavaScript (every value
// kept), per-address outcomes in input order, shareable links shown once, and form-level
// refusals beside the right row's field with nothing sent.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addUser, setLimit } from '../accounts/account-fixtures.js';
import { expectFieldError, fieldError, inputValue, isChecked, selectedValue, textareaValue } from './admin-kit.js';
import { asAdmin, linksShown, roleIdOf, rowFields, signInAs, tableRows, textOf, tokenOf, type InviterClient } from './admin-invitations-kit.js';

describeEachDatabase('admin pages: invite people', (h: Harness) => {
  let admin: InviterClient;
  let member: string;
  let viewer: string;
  beforeEach(async () => {
    admin = await asAdmin(h);
    member = await roleIdOf(h, 'member');
    viewer = await roleIdOf(h, 'viewer');
  });

  const invitations = () => h.services.models.Invitation.findAll({ order: [['email', 'ASC']] });
  const rolesOf = async (email: string) => {
    const row = await h.services.models.Invitation.findOne({ where: { emailNormalized: email } });
    return (await h.services.invitations.get(h.system(), row!.id)).roles.map((r) => r.name);
  };

  it('offers one row: grantable roles only, the invitation default role pre-selected, email by default', async () => {
    const res = await admin.get('/admin/invitations/new');
    expect(res.status).to.equal(200);
    expect(textareaValue(res.text, 'rows.0.addresses')).to.equal('');
    expect(isChecked(res.text, 'rows.0.roles', member)).to.equal(true);
    expect(isChecked(res.text, 'rows.0.roles', viewer)).to.equal(false);
    expect(res.text).to.include(`value="${await roleIdOf(h, 'admin')}"`);
    expect(res.text, 'the owner role is never offered').to.not.include(`value="${await roleIdOf(h, 'owner')}"`);
    expect(selectedValue(res.text, 'rows.0.kind')).to.equal('user');
    expect(res.text).to.match(/id="f-rows\.0\.method-email" name="rows\.0\.method" value="email" checked/);
    expect(res.text).to.not.include('name="rows.1.addresses"');

    // Another default role setting pre-selects that role instead.
    await h.services.settings.set(h.system(), 'invitationDefaultRoles', ['Viewer']);
    const again = await admin.get('/admin/invitations/new');
    expect(isChecked(again.text, 'rows.0.roles', viewer)).to.equal(true);
    expect(isChecked(again.text, 'rows.0.roles', member)).to.equal(false);
  });

  it('invites every address of every row in input order, each with its row’s roles and kind', async () => {
    await addUser(h, { email: 'taken@example.com' });
    const res = await admin.post('/admin/invitations/new', {
      ...rowFields(0, { addresses: 'ann@example.com; bob@example.com,\nnot-an-address taken@example.com', roles: [member] }),
      ...rowFields(1, { addresses: 'cy@example.com', roles: [viewer, member], kind: 'requester', givenName: 'Cy', familyName: 'Young', deliveryEmail: 'cy.home@example.net', message: 'Welcome aboard' }),
      ...rowFields(2, { addresses: 'ANN@example.com', roles: [viewer] }),
      action: 'send',
    });
    expect(res.status, res.text.slice(0, 500)).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const rows = tableRows(res.text, 'outcomes');
    expect(rows.map((r) => [r.cells[0], r.cells[1], r.attrs.status])).to.deep.equal([
      ['1', 'ann@example.com', 'sent'],
      ['1', 'bob@example.com', 'sent'],
      ['1', 'not-an-address', 'invalid_address'],
      ['1', 'taken@example.com', 'already_has_account'],
      ['2', 'cy@example.com', 'sent'],
      ['3', 'ANN@example.com', 'duplicate'],
    ]);
    expect(rows[3]!.cells[2]).to.equal('Already has an account');
    expect(rows[4]!.cells[3]).to.include('Invitation sent to cy.home@example.net.');
    expect(textOf(res.text)).to.include('3 of 6 addresses invited.');

    expect((await invitations()).map((i) => i.email)).to.deep.equal(['ann@example.com', 'bob@example.com', 'cy@example.com']);
    expect(await rolesOf('ann@example.com')).to.deep.equal(['Member']);
    expect(await rolesOf('cy@example.com')).to.deep.equal(['Member', 'Viewer']);
    const cy = await h.services.models.Invitation.findOne({ where: { emailNormalized: 'cy@example.com' } });
    expect(cy).to.deep.include({ kind: 'requester', givenName: 'Cy', familyName: 'Young', deliveryEmail: 'cy.home@example.net', message: 'Welcome aboard', method: 'email' });
    const mail = await h.services.models.MailOutbox.findAll({ where: { template: 'invitation' } });
    expect(mail.map((m) => m.toAddress).sort()).to.deep.equal(['ann@example.com', 'bob@example.com', 'cy.home@example.net']);

    // The navigation badge counts the pending invitations.
    const list = await admin.get('/admin/invitations');
    expect(list.text).to.match(/<span class="badge" title="Pending invitations">3<\/span>/);
  });

  it('"Add invite" re-renders the form with one more row and every value kept; nothing is sent', async () => {
    const res = await admin.post('/admin/invitations/new', {
      ...rowFields(0, { addresses: 'ann@example.com\nbob@example.com', roles: [viewer], kind: 'requester', message: 'Hello <both>', method: 'link' }),
      action: 'add',
    });
    expect(res.status).to.equal(200);
    expect(textareaValue(res.text, 'rows.0.addresses')).to.equal('ann@example.com\nbob@example.com');
    expect(isChecked(res.text, 'rows.0.roles', viewer)).to.equal(true);
    expect(isChecked(res.text, 'rows.0.roles', member)).to.equal(false);
    expect(selectedValue(res.text, 'rows.0.kind')).to.equal('requester');
    expect(textareaValue(res.text, 'rows.0.message')).to.equal('Hello <both>');
    expect(res.text).to.match(/name="rows\.0\.method" value="link" checked/);
    // The new row: empty, the default role pre-selected, email.
    expect(textareaValue(res.text, 'rows.1.addresses')).to.equal('');
    expect(isChecked(res.text, 'rows.1.roles', member)).to.equal(true);
    expect(res.text).to.match(/name="rows\.1\.method" value="email" checked/);
    expect(res.text).to.include('action="/admin/invitations/new#row-1"');

    // Once more, with names on the second row: both rows kept, a third added.
    const third = await admin.post('/admin/invitations/new', {
      ...rowFields(0, { addresses: 'ann@example.com', roles: [viewer] }),
      ...rowFields(1, { addresses: 'cy@example.com', roles: [member], givenName: 'Cy', familyName: 'Young', deliveryEmail: 'cy@home.example' }),
      action: 'add',
    });
    expect(inputValue(third.text, 'rows.1.givenName')).to.equal('Cy');
    expect(inputValue(third.text, 'rows.1.deliveryEmail')).to.equal('cy@home.example');
    expect(third.text).to.include('name="rows.2.addresses"');
    expect(await h.services.models.Invitation.count()).to.equal(0);
    expect(await h.services.models.MailOutbox.count()).to.equal(0);
  });

  it('puts each refusal beside the right row’s field, keeps the values and sends nothing', async () => {
    const res = await admin.post('/admin/invitations/new', {
      ...rowFields(0, { addresses: 'ann@example.com', roles: [member] }),
      ...rowFields(1, {}), // left empty ("Add invite" then not used): skipped
      ...rowFields(2, { addresses: 'bob@example.com', deliveryEmail: 'not an address', givenName: 'Bob' }),
      ...rowFields(3, { addresses: 'cy@example.com dee@example.com', roles: [viewer], givenName: 'Cy' }),
      ...rowFields(4, { givenName: 'Nobody' }),
      action: 'send',
    });
    expect(res.status).to.equal(400);
    expect(textOf(res.text)).to.include('Nothing was sent: see the messages below.');
    expectFieldError(res.text, 'rows.2.roles', 'Choose at least one role.');
    expectFieldError(res.text, 'rows.2.deliveryEmail', 'Enter a valid email address');
    expectFieldError(res.text, 'rows.3.addresses', 'Names and a delivery address apply to one person');
    expectFieldError(res.text, 'rows.4.addresses', 'Enter at least one email address.');
    expect(fieldError(res.text, 'rows.0.addresses')).to.equal(null);
    expect(fieldError(res.text, 'rows.1.addresses')).to.equal(null);
    // Every value kept, the empty row included.
    expect(textareaValue(res.text, 'rows.0.addresses')).to.equal('ann@example.com');
    expect(inputValue(res.text, 'rows.2.deliveryEmail')).to.equal('not an address');
    expect(inputValue(res.text, 'rows.2.givenName')).to.equal('Bob');
    expect(textareaValue(res.text, 'rows.3.addresses')).to.equal('cy@example.com dee@example.com');
    expect(isChecked(res.text, 'rows.3.roles', viewer)).to.equal(true);
    expect(res.text).to.include('name="rows.1.addresses"');
    expect(await h.services.models.Invitation.count()).to.equal(0);

    // A form with nothing in it says what is missing.
    const empty = await admin.post('/admin/invitations/new', { ...rowFields(0, { roles: [member] }), action: 'send' });
    expect(empty.status).to.equal(400);
    expectFieldError(empty.text, 'rows.0.addresses', 'Enter at least one email address.');
  });

  it('a role the inviter may not give (a tampered form) is refused as a whole', async () => {
    const res = await admin.post('/admin/invitations/new', { ...rowFields(0, { addresses: 'ann@example.com', roles: [await roleIdOf(h, 'owner')] }), action: 'send' });
    expect(res.status).to.equal(403);
    expect(textOf(res.text)).to.include('The owner role is only given by transferring ownership');
    expect(textareaValue(res.text, 'rows.0.addresses')).to.equal('ann@example.com');
    expect(await h.services.models.Invitation.count()).to.equal(0);

    // Someone holding the Viewer's permissions and users.invite is offered no role above them.
    const role = await h.services.roles.create(h.system(), { name: 'Inviter', permissions: ['users.invite', 'users.view', 'assets.view', 'licenses.view', 'reports.view'] });
    const inviter = await signInAs(h, await addUser(h, {}, { roleIds: [role.id] }));
    const page = await inviter.get('/admin/invitations/new');
    expect(page.text).to.include(`value="${viewer}"`);
    expect(page.text).to.not.include(`value="${member}"`);
    expect(isChecked(page.text, 'rows.0.roles', member)).to.equal(false);
    const refused = await inviter.post('/admin/invitations/new', { ...rowFields(0, { addresses: 'ann@example.com', roles: [member] }), action: 'send' });
    expect(refused.status).to.equal(403);
    expect(textOf(refused.text)).to.include('Member');
    expect(await h.services.models.Invitation.count()).to.equal(0);
  });

  it('shows a shareable link once: on the result page only, not mailed, not stored', async () => {
    const res = await admin.post('/admin/invitations/new', {
      ...rowFields(0, { addresses: 'linked@example.com', roles: [member], method: 'link' }),
      ...rowFields(1, { addresses: 'mailed@example.com', roles: [member] }),
      action: 'send',
    });
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(tableRows(res.text, 'outcomes').map((r) => r.attrs.status)).to.deep.equal(['link_created', 'sent']);
    const links = linksShown(res.text);
    expect(links).to.have.length(1);
    expect(links[0]).to.match(/^http:\/\/gatehouse\.test\/invitations\/accept\?token=/);
    expect(textOf(res.text)).to.include('it is shown only on this page');
    const preview = await h.services.invitations.check(tokenOf(links[0]!));
    expect(preview.email).to.equal('linked@example.com');

    expect((await h.services.models.MailOutbox.findAll()).map((m) => m.toAddress)).to.deep.equal(['mailed@example.com']);
    const token = tokenOf(links[0]!);
    const stored = await h.services.models.Invitation.findOne({ where: { emailNormalized: 'linked@example.com' } });
    expect(stored!.tokenHash).to.not.equal(token);
    const list = await admin.get('/admin/invitations');
    expect(list.text).to.not.include(token);
    expect(linksShown(list.text)).to.deep.equal([]);
    expect(textOf(list.text)).to.include('shareable link');
  });

  it('reports the seat limit per address, in input order', async () => {
    await setLimit(h, 2); // the admin holds one seat: one is free
    const res = await admin.post('/admin/invitations/new', { ...rowFields(0, { addresses: 'first@example.com, second@example.com', roles: [member] }), action: 'send' });
    expect(res.status).to.equal(200);
    const rows = tableRows(res.text, 'outcomes');
    expect(rows.map((r) => [r.cells[1], r.attrs.status])).to.deep.equal([
      ['first@example.com', 'sent'],
      ['second@example.com', 'seat_limit_reached'],
    ]);
    expect(rows[1]!.cells[2]).to.equal('Seat limit reached');
    // The label says what happened; the details say it once more only in numbers.
    expect(rows[1]!.cells[3]).to.include('2 of 2 user seats in use');
    expect(rows[1]!.cells[3]).to.not.include('Seat limit reached');
  });
});
