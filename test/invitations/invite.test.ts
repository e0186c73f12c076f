// Inviting: several addresses per row, rows with
// their own roles and kind, per-address outcomes in input order, the grant rule, tokens
// stored only as hashes, and the audit trail.
import { expect } from 'chai';
import { Forbidden, ValidationError } from '../../src/errors.js';
import { hashToken } from '../../src/ids.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, rejection } from '../accounts/account-fixtures.js';
import { addAdmin, lastMailTo, linkTo, roleId, tokenOf } from './invite-kit.js';

describeEachDatabase('invitations: inviting', (h) => {
  it('takes every address of every row in input order, each with its own outcome', async () => {
    const admin = await addAdmin(h);
    await addUser(h, { email: 'taken@example.com' });
    const member = await roleId(h, 'member');
    const viewer = await roleId(h, 'viewer');
    const outcomes = await h.services.invitations.invite(admin.ctx, [
      { addresses: 'one@example.com; two@example.com,three@example.com\nfour@example.com  not-an-address', roleIds: [member] },
      { addresses: 'taken@example.com TWO@example.com', roleIds: [viewer], kind: 'requester' },
      { addresses: 'link@example.com', roleIds: [viewer], method: 'link', givenName: 'Lin', familyName: 'Kay' },
    ]);
    expect(outcomes.map((o) => [o.row, o.address, o.status])).to.deep.equal([
      [0, 'one@example.com', 'sent'],
      [0, 'two@example.com', 'sent'],
      [0, 'three@example.com', 'sent'],
      [0, 'four@example.com', 'sent'],
      [0, 'not-an-address', 'invalid_address'],
      [1, 'taken@example.com', 'already_has_account'],
      [1, 'TWO@example.com', 'duplicate'],
      [2, 'link@example.com', 'link_created'],
    ]);
    expect(outcomes[5]!.message).to.equal('taken@example.com already has an account.');
    const link = outcomes[7]!.link!;
    expect(link).to.match(/^http:\/\/gatehouse\.test\/invitations\/accept\?token=[A-Za-z0-9_-]{43}$/);

    const { items, total } = await h.services.invitations.list(admin.ctx);
    expect(total).to.equal(5);
    const byEmail = new Map(items.map((i) => [i.email, i]));
    expect(byEmail.get('one@example.com')).to.deep.include({ status: 'pending', kind: 'user', method: 'email' });
    expect(byEmail.get('one@example.com')!.roles.map((r) => r.name)).to.deep.equal(['Member']);
    expect(byEmail.get('one@example.com')!.inviter).to.deep.equal({ id: admin.user.id, label: 'Ada Admin' });
    expect(byEmail.get('link@example.com')).to.deep.include({ method: 'link', givenName: 'Lin', familyName: 'Kay' });
    expect(await h.services.invitations.pendingCount()).to.equal(5);

    // The token is stored only as its SHA-256; the link is never mailed for method "link".
    const row = await h.services.models.Invitation.findByPk(outcomes[7]!.invitationId!);
    expect(row!.tokenHash).to.equal(hashToken(tokenOf(link)));
    await h.services.mailWorker.runOnce();
    expect(h.mail.sent.map((m) => m.to).sort()).to.deep.equal(['four@example.com', 'one@example.com', 'three@example.com', 'two@example.com']);
    expect(h.mail.to('link@example.com')).to.have.length(0);

    const created = await auditEvents(h, { action: 'invitation.created' });
    expect(created).to.have.length(5);
    expect(created[0]!).to.deep.include({ actorId: admin.user.id, source: 'admin' });
    expect(created[0]!.details).to.deep.include({ roles: ['Member'], method: 'email' });
  });

  it('sends to a delivery address different from the account email', async () => {
    const admin = await addAdmin(h);
    const [o] = await h.services.invitations.invite(admin.ctx, [
      { addresses: 'work@corp.example', deliveryEmail: 'private@home.example', roleIds: [await roleId(h, 'member')] },
    ]);
    expect(o!.status).to.equal('sent');
    const mail = await lastMailTo(h, 'private@home.example');
    expect(h.mail.to('work@corp.example')).to.have.length(0);
    const preview = await h.services.invitations.check(tokenOf(linkTo(mail.text, '/invitations/accept')));
    expect(preview.email).to.equal('work@corp.example');
  });

  it('refuses form mistakes as a whole, before anything is sent', async () => {
    const admin = await addAdmin(h);
    const member = await roleId(h, 'member');
    const err = await rejection(
      h.services.invitations.invite(admin.ctx, [
        { addresses: 'a@example.com', roleIds: [member] },
        { addresses: '   ', roleIds: [] },
        { addresses: 'b@example.com c@example.com', roleIds: [member], givenName: 'Both' },
        { addresses: 'd@example.com', roleIds: [member], kind: 'robot' },
      ]),
      ValidationError,
    );
    expect(err.fields).to.have.keys('rows.1.addresses', 'rows.1.roles', 'rows.2.addresses', 'rows.3.kind');
    expect(await h.services.models.Invitation.count()).to.equal(0);
  });

  it('the inviter may only give roles whose permissions they hold, and never the owner role', async () => {
    const admin = await addAdmin(h);
    const owner = await h.services.roles.builtin('owner');
    await rejection(h.services.invitations.invite(admin.ctx, [{ addresses: 'x@example.com', roleIds: [owner.id] }]), Forbidden);

    // A custom role carrying seats.manage, which admins do not hold.
    const seatsRole = await h.services.roles.create(h.system(), { name: 'Seat keeper', permissions: ['seats.manage'] });
    const err = await rejection(h.services.invitations.invite(admin.ctx, [{ addresses: 'x@example.com', roleIds: [seatsRole.id] }]), Forbidden);
    expect(err.message).to.include('Seat keeper');

    const inviterOnly = h.withPermissions(['users.invite', 'users.view'], admin.user.id);
    await rejection(h.services.invitations.invite(inviterOnly, [{ addresses: 'x@example.com', roleIds: [await roleId(h, 'member')] }]), Forbidden);
    await rejection(h.services.invitations.invite(h.withPermissions(['users.view']), [{ addresses: 'x@example.com', roleIds: [await roleId(h, 'viewer')] }]), Forbidden);
    expect(await h.services.models.Invitation.count()).to.equal(0);
  });

  it('uses the expiry setting (hours) and the default roles setting for the form', async () => {
    const admin = await addAdmin(h);
    await h.services.settings.set(h.system(), 'invitationExpiryHours', 48);
    const [o] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'soon@example.com', roleIds: [await roleId(h, 'viewer')] }]);
    expect(o!.expiresAt!.toISOString()).to.equal('2030-01-03T09:00:00.000Z');
    expect(await h.services.invitations.defaultRoleIds()).to.deep.equal([await roleId(h, 'member')]);
  });
});
