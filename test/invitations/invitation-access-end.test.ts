// An invitation row may carry an access end date (entered in the organization's time
// zone): the account made on acceptance gets it, with the inviter receiving its reminders;
// a date already past refuses the row, and an invitation whose date passed meanwhile
// cannot be accepted. Add user carries a date the same way.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addWithRole, rejection } from '../accounts/account-fixtures.js';
import { Gone, ValidationError } from '../../src/errors.js';
import { asBuiltIn, expectFieldError } from '../admin/admin-kit.js';

describeEachDatabase('invitations: access end dates', (h) => {
  let member: string;
  beforeEach(async () => {
    await h.services.settings.update(h.system(), { timeZone: 'Europe/Berlin' });
    member = (await h.services.roles.builtin('member')).id;
  });

  const tokenOf = (link: string | undefined) => new URL(link!).searchParams.get('token') ?? link!.split('/').pop()!;

  it('carries the row date to the account on acceptance, the inviter receiving the reminders', async () => {
    const inviter = await addWithRole(h, 'admin');
    const ctx = await h.as(inviter);
    const [outcome] = await h.services.invitations.invite(ctx, [{ addresses: 'auditor@example.com', roleIds: [member], method: 'link', accessEndsAt: '2030-02-01T18:00' }]);
    expect(outcome!.status).to.equal('link_created');
    const row = await h.services.models.Invitation.findByPk(outcome!.invitationId!);
    expect(row!.accessEndsAt?.toISOString()).to.equal('2030-02-01T17:00:00.000Z');
    const { user } = await h.services.invitations.accept(h.system(), tokenOf(outcome!.link), { password: 'a long enough password 42' });
    expect(user.accessEndsAt?.toISOString()).to.equal('2030-02-01T17:00:00.000Z');
    const stored = await h.services.models.User.findByPk(user.id);
    expect(stored!.accessEndSetBy).to.equal(inviter.id);
  });

  it('refuses a past date on the row, and acceptance after the date', async () => {
    const inviter = await addWithRole(h, 'admin');
    const ctx = await h.as(inviter);
    const err = await rejection(h.services.invitations.invite(ctx, [{ addresses: 'late@example.com', roleIds: [member], accessEndsAt: '2029-06-01T10:00' }]), ValidationError);
    expect(err.fields['rows.0.accessEndsAt']).to.match(/future/);
    const [outcome] = await h.services.invitations.invite(ctx, [{ addresses: 'brief@example.com', roleIds: [member], method: 'link', accessEndsAt: '2030-01-01T12:00' }]);
    h.clock.advance(3 * 3_600_000); // 12:00 UTC: an hour past 12:00 Berlin
    await rejection(h.services.invitations.accept(h.system(), tokenOf(outcome!.link), { password: 'a long enough password 42' }), Gone);
    expect(await h.services.users.findByLogin('brief@example.com')).to.equal(null);
  });

  it('the invite form and Add user take the date per row, refused beside the field', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const refused = await admin.post('/admin/invitations/new', { action: 'send', 'rows.0.addresses': 'x@example.com', 'rows.0.kind': 'user', 'rows.0.method': 'email', 'rows.0.roles': member, 'rows.0.accessEndsAt': 'tomorrow' });
    expect(refused.status).to.equal(400);
    expectFieldError(refused.text, 'rows.0.accessEndsAt', 'not a date and time');
    const sent = await admin.post('/admin/invitations/new', { action: 'send', 'rows.0.addresses': 'x@example.com', 'rows.0.kind': 'user', 'rows.0.method': 'email', 'rows.0.roles': member, 'rows.0.accessEndsAt': '2030-03-01T09:30' });
    expect(sent.status).to.be.oneOf([200, 303]);
    const invitation = await h.services.models.Invitation.findOne({ where: { emailNormalized: 'x@example.com' } });
    expect(invitation!.accessEndsAt?.toISOString()).to.equal('2030-03-01T08:30:00.000Z');

    const added = await admin.post('/admin/users/new', { mode: 'create', email: 'added@example.com', username: 'added', kind: 'user', passwordMode: 'random', confirmed: 'on', accessEndsAt: '2030-04-01T09:00' });
    expect(added.status).to.equal(200);
    expect((await h.services.users.findByLogin('added@example.com'))!.accessEndsAt?.toISOString()).to.equal('2030-04-01T07:00:00.000Z');
    const past = await admin.post('/admin/users/new', { mode: 'create', email: 'past@example.com', username: 'past', kind: 'user', passwordMode: 'random', confirmed: 'on', accessEndsAt: '2029-04-01T09:00' });
    expect(past.status).to.equal(400);
    expectFieldError(past.text, 'accessEndsAt', 'future');
  });

  it('bulk invitations read an optional "access ends" column, flagging a past or unreadable date on its row', async () => {
    const inviter = await addWithRole(h, 'admin');
    const ctx = await h.as(inviter);
    const review = await h.services.invitations.bulk.review(ctx, 'email,role,access ends\r\nok@example.com,Member,2030-05-01 08:00\r\npast@example.com,Member,2029-05-01\r\nbad@example.com,Member,someday\r\n');
    expect(review.rows.map((r) => r.status)).to.deep.equal(['ready', 'invalid', 'invalid']);
    expect(review.rows[1]!.problems.join(' ')).to.match(/future/);
    await h.services.invitations.bulk.send(ctx, review.batchId);
    const invitation = await h.services.models.Invitation.findOne({ where: { emailNormalized: 'ok@example.com' } });
    expect(invitation!.accessEndsAt?.toISOString()).to.equal('2030-05-01T06:00:00.000Z');
  });
});
