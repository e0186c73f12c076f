// The invitations page's actions: list with status
// filter and the 30-day archive, resend (new token, old link dead, fresh expiry), cancel
// (link dead), edit while pending or expired, delete when no longer pending.
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { InvalidTransition } from '../../src/errors.js';
import { InvitationCancelled, InvitationNotFound } from '../../src/invitations/invitation-errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, rejection } from '../accounts/account-fixtures.js';
import { AlreadyHasAccount } from '../../src/invitations/invitation-errors.js';
import { addAdmin, lastMailTo, linkTo, roleId, tokenOf, type Admin } from './invite-kit.js';

const DAY = 24 * HOUR_MS;

describeEachDatabase('invitations: the invitations page', (h) => {
  async function invite(admin: Admin, email: string, extra: { method?: 'email' | 'link'; kind?: string } = {}) {
    const [o] = await h.services.invitations.invite(admin.ctx, [{ addresses: email, roleIds: [await roleId(h, 'member')], ...extra }]);
    expect(o!.status, o!.message).to.be.oneOf(['sent', 'link_created']);
    return o!;
  }

  it('resend: a new link and a fresh expiry; the old link is dead', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'again@example.com');
    const oldLink = linkTo((await lastMailTo(h, 'again@example.com')).text, '/invitations/accept');
    h.clock.advance(100 * HOUR_MS);
    const { invitation, link } = await h.services.invitations.resend(admin.ctx, o.invitationId!);
    expect(link).to.equal(null);
    expect(invitation.expiresAt.toISOString()).to.equal(new Date(h.clock.now().getTime() + 168 * HOUR_MS).toISOString());
    expect(invitation.sentAt.toISOString()).to.equal(h.clock.now().toISOString());
    const newLink = linkTo((await lastMailTo(h, 'again@example.com')).text, '/invitations/accept');
    expect(newLink).not.to.equal(oldLink);
    await rejection(h.services.invitations.check(tokenOf(oldLink)), InvitationNotFound);
    expect((await h.services.invitations.check(tokenOf(newLink))).email).to.equal('again@example.com');
    expect(await auditEvents(h, { action: 'invitation.resent' })).to.have.length(1);
  });

  it('resend of a shareable link returns the new link once', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'share@example.com', { method: 'link' });
    const { link } = await h.services.invitations.resend(admin.ctx, o.invitationId!);
    expect(link).to.match(/^http:\/\/gatehouse\.test\/invitations\/accept\?token=/);
    expect(link).not.to.equal(o.link);
    await rejection(h.services.invitations.check(tokenOf(o.link!)), InvitationNotFound);
    await h.services.mailWorker.runOnce();
    expect(h.mail.to('share@example.com')).to.have.length(0);
  });

  it('resend of an expired invitation revives it; an accepted or cancelled one cannot be resent', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'expired@example.com');
    h.clock.advance(169 * HOUR_MS);
    expect((await h.services.invitations.get(admin.ctx, o.invitationId!)).status).to.equal('expired');
    const { invitation } = await h.services.invitations.resend(admin.ctx, o.invitationId!);
    expect(invitation.status).to.equal('pending');
    await h.services.invitations.cancel(admin.ctx, o.invitationId!);
    await rejection(h.services.invitations.resend(admin.ctx, o.invitationId!), InvalidTransition);
  });

  it('cancel: the link is dead, and only a pending invitation can be cancelled', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'stop@example.com');
    const link = linkTo((await lastMailTo(h, 'stop@example.com')).text, '/invitations/accept');
    const cancelled = await h.services.invitations.cancel(admin.ctx, o.invitationId!);
    expect(cancelled).to.deep.include({ status: 'cancelled', actions: { resend: false, cancel: false, edit: false, delete: true } });
    await rejection(h.services.invitations.check(tokenOf(link)), InvitationCancelled);
    await rejection(h.services.invitations.cancel(admin.ctx, o.invitationId!), InvalidTransition);
    expect((await auditEvents(h, { action: 'invitation.cancelled' }))[0]!.target!.id).to.equal(o.invitationId);
  });

  it('edit while pending: names, roles and kind; a new address gets a new link and the old one dies', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'typo@exmaple.com');
    const oldLink = linkTo((await lastMailTo(h, 'typo@exmaple.com')).text, '/invitations/accept');
    const viewer = await roleId(h, 'viewer');
    const { invitation } = await h.services.invitations.edit(admin.ctx, o.invitationId!, {
      email: 'fixed@example.com',
      givenName: 'Fay',
      familyName: 'Fixed',
      roleIds: [viewer],
      kind: 'requester',
    });
    expect(invitation).to.deep.include({ email: 'fixed@example.com', givenName: 'Fay', familyName: 'Fixed', kind: 'requester', status: 'pending' });
    expect(invitation.roles.map((r) => r.name)).to.deep.equal(['Viewer']);
    await rejection(h.services.invitations.check(tokenOf(oldLink)), InvitationNotFound);
    const mail = await lastMailTo(h, 'fixed@example.com');
    expect(mail.text).to.include('Hello Fay,');
    expect(mail.text).to.include('with the role Viewer');
    const preview = await h.services.invitations.check(tokenOf(linkTo(mail.text, '/invitations/accept')));
    expect(preview).to.deep.include({ email: 'fixed@example.com', kind: 'requester' });
    const edited = await auditEvents(h, { action: 'invitation.edited' });
    expect(edited[0]!.details.fields).to.include.members(['email', 'givenName', 'familyName', 'kind', 'roles']);

    // Names only: the link stays.
    await h.services.invitations.edit(admin.ctx, o.invitationId!, { givenName: 'Faye' });
    expect((await h.services.invitations.check(tokenOf(linkTo(mail.text, '/invitations/accept')))).givenName).to.equal('Faye');
  });

  it('edit refuses an address that has an account, and invitations that are no longer open', async () => {
    const admin = await addAdmin(h);
    await addUser(h, { email: 'exists@example.com' });
    const o = await invite(admin, 'free@example.com');
    await rejection(h.services.invitations.edit(admin.ctx, o.invitationId!, { email: 'exists@example.com' }), AlreadyHasAccount);
    await h.services.invitations.cancel(admin.ctx, o.invitationId!);
    await rejection(h.services.invitations.edit(admin.ctx, o.invitationId!, { givenName: 'X' }), InvalidTransition);
  });

  it('edit of an expired invitation changes it without reviving it; its old link is dead', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'old@example.com');
    const oldLink = linkTo((await lastMailTo(h, 'old@example.com')).text, '/invitations/accept');
    h.clock.advance(200 * HOUR_MS);
    const { invitation } = await h.services.invitations.edit(admin.ctx, o.invitationId!, { email: 'newer@example.com' });
    expect(invitation.status).to.equal('expired');
    await rejection(h.services.invitations.check(tokenOf(oldLink)), InvitationNotFound);
    const { invitation: revived } = await h.services.invitations.resend(admin.ctx, o.invitationId!);
    expect(revived).to.deep.include({ status: 'pending', email: 'newer@example.com' });
  });

  it('lists by status; expired invitations older than 30 days are archived unless asked for', async () => {
    const admin = await addAdmin(h);
    const a = await invite(admin, 'ancient@example.com');
    h.clock.advance(7 * DAY + 31 * DAY); // a expired 31 days ago
    const b = await invite(admin, 'recent@example.com');
    h.clock.advance(8 * DAY); // b expired a day ago
    const c = await invite(admin, 'live@example.com');
    const d = await invite(admin, 'cancel@example.com');
    await h.services.invitations.cancel(admin.ctx, d.invitationId!);

    const ids = async (filter: Parameters<typeof h.services.invitations.list>[1]) => (await h.services.invitations.list(admin.ctx, filter)).items.map((i) => i.id).sort();
    expect(await ids({})).to.deep.equal([b, c, d].map((x) => x.invitationId!).sort());
    expect(await ids({ includeArchived: true })).to.deep.equal([a, b, c, d].map((x) => x.invitationId!).sort());
    expect(await ids({ status: 'expired' })).to.deep.equal([b.invitationId!]);
    expect(await ids({ status: 'expired', includeArchived: true })).to.deep.equal([a, b].map((x) => x.invitationId!).sort());
    expect(await ids({ status: 'pending' })).to.deep.equal([c.invitationId!]);
    expect(await ids({ status: 'cancelled' })).to.deep.equal([d.invitationId!]);
    const archived = (await h.services.invitations.list(admin.ctx, { includeArchived: true })).items.find((i) => i.id === a.invitationId)!;
    expect(archived).to.deep.include({ status: 'expired', archived: true });
    expect((await h.services.invitations.list(admin.ctx, { limit: 2 })).total).to.equal(3);
    expect(await h.services.invitations.pendingCount()).to.equal(1);
  });

  it('deletes an invitation that is no longer pending', async () => {
    const admin = await addAdmin(h);
    const o = await invite(admin, 'bye@example.com');
    await rejection(h.services.invitations.remove(admin.ctx, o.invitationId!), InvalidTransition);
    h.clock.advance(169 * HOUR_MS);
    await h.services.invitations.remove(admin.ctx, o.invitationId!);
    expect(await h.services.models.Invitation.count()).to.equal(0);
    expect(await h.services.models.InvitationRole.count()).to.equal(0);
    expect(await auditEvents(h, { action: 'invitation.deleted' })).to.have.length(1);
  });

  it('lists invited addresses without an account for the users list, as Pending or Expired', async () => {
    const admin = await addAdmin(h);
    await invite(admin, 'waiting@example.com');
    const old = await invite(admin, 'lapsed@example.com');
    h.clock.advance(169 * HOUR_MS);
    await invite(admin, 'Waiting@example.com'); // a second, live one for the same address
    await invite(admin, 'joined@example.com');
    await addUser(h, { email: 'joined@example.com' });
    const invitees = await h.services.invitations.invitees(admin.ctx);
    expect(invitees.map((i) => [i.email.toLowerCase(), i.status])).to.deep.equal([
      ['waiting@example.com', 'pending'],
      ['lapsed@example.com', 'expired'],
    ]);
    expect(invitees[1]!.invitation.id).to.equal(old.invitationId);
    expect((await h.services.invitations.invitees(admin.ctx, { status: 'expired' })).map((i) => i.email)).to.deep.equal(['lapsed@example.com']);
  });
});
