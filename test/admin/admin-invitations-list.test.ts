// The invitations page over HTTP: the columns, the
// status filter (the users list's Pending/Expired rows link to it), archived expired
// invitations hidden unless asked, paging, and the actions — resend (a new link, shown
// once for shareable links; the old one dead), cancel and delete (confirmed first), edit.
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { InvitationLinkError } from '../../src/invitations/invitation-errors.js';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addInvitation, addUser, rejection } from '../accounts/account-fixtures.js';
import { lastMailTo, linkTo } from '../invitations/invite-kit.js';
import { expectFieldError, inputValue, isChecked, selectedValue } from './admin-kit.js';
import { asAdmin, linksShown, roleIdOf, signInAs, tableRows, textOf, tokenOf, type InviterClient } from './admin-invitations-kit.js';

describeEachDatabase('admin pages: the invitations list', (h: Harness) => {
  let admin: InviterClient;
  beforeEach(async () => {
    admin = await asAdmin(h);
  });

  async function invite(email: string, options: { roles?: Array<'member' | 'viewer' | 'admin'>; method?: 'email' | 'link'; givenName?: string } = {}) {
    const ctx = await h.as(admin.user);
    const roleIds = await Promise.all((options.roles ?? ['member']).map((r) => roleIdOf(h, r)));
    const [o] = await h.services.invitations.invite(ctx, [{ addresses: email, roleIds, method: options.method, givenName: options.givenName }]);
    expect(o!.status, o!.message).to.be.oneOf(['sent', 'link_created']);
    return { id: o!.invitationId!, link: o!.link ?? linkTo((await lastMailTo(h, email)).text, '/invitations/accept') };
  }

  const listed = (body: string) => tableRows(body, 'invitations');
  const emails = (body: string) => listed(body).map((r) => r.cells[0]!.split(' ')[0]).sort();
  const linkDead = async (link: string) => rejection(h.services.invitations.check(tokenOf(link)), InvitationLinkError);

  it('shows email, roles, inviter, sent, expires and status, with the actions each status allows', async () => {
    await invite('ann@example.com', { roles: ['member', 'viewer'], givenName: 'Ann' });
    const res = await admin.get('/admin/invitations');
    expect(res.status).to.equal(200);
    const [row] = listed(res.text);
    expect(row!.attrs.status).to.equal('pending');
    expect(row!.cells.slice(0, 6)).to.deep.equal(['ann@example.com Ann', 'Member, Viewer', 'Ada Admin', '1 Jan 2030, 09:00 UTC', '8 Jan 2030, 09:00 UTC', 'Pending']);
    expect(row!.cells[6]).to.equal('Resend Edit Cancel');
    // Times are in the organization's time zone, which is named.
    await h.services.settings.set(h.system(), 'timeZone', 'America/New_York');
    expect(listed((await admin.get('/admin/invitations')).text)[0]!.cells.slice(3, 5)).to.deep.equal(['1 Jan 2030, 04:00 America/New_York', '8 Jan 2030, 04:00 America/New_York']);
    await h.services.settings.set(h.system(), 'timeZone', 'UTC');
    expect(textOf(res.text)).to.include('1 invitation');
    expect(res.text).to.include('<a href="/admin/invitations" aria-current="page"><span>Invitations</span><span class="badge" title="Pending invitations">1</span></a>');
  });

  it('filters by status; archived expired invitations appear only when asked; the users list links here', async () => {
    await invite('pending@example.com');
    await addInvitation(h, 'expired@example.com', { expiresInHours: -24 });
    await addInvitation(h, 'archived@example.com', { expiresInHours: -31 * 24 });
    await addInvitation(h, 'accepted@example.com', { status: 'accepted' });
    await addInvitation(h, 'cancelled@example.com', { status: 'cancelled' });
    await addInvitation(h, 'superseded@example.com', { status: 'superseded' });

    expect(emails((await admin.get('/admin/invitations')).text)).to.deep.equal(['accepted@example.com', 'cancelled@example.com', 'expired@example.com', 'pending@example.com', 'superseded@example.com']);
    expect(emails((await admin.get('/admin/invitations?archived=1')).text)).to.include('archived@example.com');
    expect(emails((await admin.get('/admin/invitations?status=pending')).text)).to.deep.equal(['pending@example.com']);
    expect(emails((await admin.get('/admin/invitations?status=expired')).text)).to.deep.equal(['expired@example.com']);
    const archived = await admin.get('/admin/invitations?status=expired&archived=1');
    expect(emails(archived.text)).to.deep.equal(['archived@example.com', 'expired@example.com']);
    expect(listed(archived.text).find((r) => r.cells[0] === 'archived@example.com')!.cells[5]).to.equal('Expired archived');
    expect(selectedValue(archived.text, 'status')).to.equal('expired');
    expect(archived.text).to.match(/name="archived" value="on" checked/);
    for (const status of ['accepted', 'cancelled', 'superseded']) expect(emails((await admin.get(`/admin/invitations?status=${status}`)).text)).to.deep.equal([`${status}@example.com`]);
    // Expired: resend, edit and delete; ended ones: delete only.
    expect(listed((await admin.get('/admin/invitations?status=expired')).text)[0]!.cells[6]).to.equal('Resend Edit Delete');
    expect(listed((await admin.get('/admin/invitations?status=accepted')).text)[0]!.cells[6]).to.equal('Delete');
    // An unknown filter value shows everything (not an error page).
    expect(emails((await admin.get('/admin/invitations?status=bogus&page=x')).text)).to.have.length(5);

    // The users list's Pending and Expired rows lead to the matching filtered list.
    const users = await admin.get('/admin/users');
    const hrefs = [...new Set([...users.text.matchAll(/href="(\/admin\/invitations\?status=[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')))].sort();
    expect(hrefs).to.deep.equal(['/admin/invitations?status=expired', '/admin/invitations?status=pending']);
    expect(emails((await admin.get(hrefs[0]!)).text)).to.deep.equal(['expired@example.com']);
    expect(emails((await admin.get(hrefs[1]!)).text)).to.deep.equal(['pending@example.com']);
  });

  it('pages through long lists, keeping the filter', async () => {
    for (let i = 0; i < 53; i++) await addInvitation(h, `p${String(i).padStart(2, '0')}@example.com`);
    await addInvitation(h, 'gone@example.com', { status: 'cancelled' });
    const first = await admin.get('/admin/invitations?status=pending');
    expect(listed(first.text)).to.have.length(50);
    expect(textOf(first.text)).to.include('53 pending invitations');
    expect(first.text).to.include('href="/admin/invitations?status=pending&amp;page=2" rel="next"');
    expect(first.text).to.not.include('rel="prev"');
    const second = await admin.get('/admin/invitations?status=pending&page=2');
    expect(listed(second.text)).to.have.length(3);
    expect(textOf(second.text)).to.include('showing 51–53');
    expect(second.text).to.include('href="/admin/invitations?status=pending" rel="prev"');
    expect(second.text).to.not.include('rel="next"');
    const all = new Set([...emails(first.text), ...emails(second.text)]);
    expect(all.size).to.equal(53);
  });

  it('resends an emailed invitation: a new link by mail, the old one dead, back to the same list', async () => {
    const { id, link } = await invite('ann@example.com');
    h.clock.advance(200 * HOUR_MS); // expired
    admin = await signInAs(h, admin.user); // the page session ended meanwhile too
    const res = await admin.post(`/admin/invitations/${id}/resend`, { back: 'status=expired' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/invitations?status=expired&done=resent');
    await linkDead(link);
    const fresh = linkTo((await lastMailTo(h, 'ann@example.com')).text, '/invitations/accept');
    expect(fresh).to.not.equal(link);
    expect((await h.services.invitations.check(tokenOf(fresh))).email).to.equal('ann@example.com');
    const back = await admin.get(res.headers.location!);
    expect(textOf(back.text)).to.include('Invitation sent again with a fresh expiry; the old link no longer works.');
    expect(emails(back.text)).to.deep.equal([]);
    expect(listed((await admin.get('/admin/invitations?status=pending')).text)[0]!.cells[4]).to.equal('16 Jan 2030, 17:00 UTC');
  });

  it('resends a shareable link: the new link shown once, the old one dead', async () => {
    const { id, link } = await invite('linked@example.com', { method: 'link' });
    const res = await admin.post(`/admin/invitations/${id}/resend`, {});
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const [fresh] = linksShown(res.text);
    expect(fresh).to.be.a('string').and.not.equal(link);
    expect((await h.services.invitations.check(tokenOf(fresh!))).email).to.equal('linked@example.com');
    await linkDead(link);
    expect(await h.services.models.MailOutbox.count()).to.equal(0);
    expect((await admin.get('/admin/invitations')).text).to.not.include(tokenOf(fresh!));
  });

  it('cancels after a confirmation: the link dies; an expired one cannot be cancelled', async () => {
    const { id, link } = await invite('ann@example.com');
    const confirm = await admin.get(`/admin/invitations/${id}/cancel?status=pending`);
    expect(confirm.status).to.equal(200);
    expect(textOf(confirm.text)).to.include('Cancel the invitation to ann@example.com?');
    expect(confirm.text).to.include('<input type="hidden" name="back" value="status=pending">');
    const res = await admin.post(`/admin/invitations/${id}/cancel`, { back: 'status=pending' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/invitations?status=pending&done=cancelled');
    expect((await h.services.invitations.get(h.system(), id)).status).to.equal('cancelled');
    await linkDead(link);
    expect(textOf((await admin.get(res.headers.location!)).text)).to.include('Invitation cancelled; its link no longer works.');

    const expired = await addInvitation(h, 'old@example.com', { expiresInHours: -1 });
    const refused = await admin.post(`/admin/invitations/${expired}/cancel`, {});
    expect(refused.status).to.equal(409);
    expect(textOf(refused.text)).to.include('This invitation has already expired; delete it or resend it.');
    expect((await admin.get(`/admin/invitations/${expired}/cancel`)).status).to.equal(409);
  });

  it('deletes ended invitations after a confirmation, never a pending one', async () => {
    const { id } = await invite('ann@example.com');
    const pending = await admin.get(`/admin/invitations/${id}/delete`);
    expect(pending.status).to.equal(409);
    expect(textOf(pending.text)).to.include('Cancel the pending invitation to ann@example.com before deleting it.');
    const refused = await admin.post(`/admin/invitations/${id}/delete`, {});
    expect(refused.status).to.equal(409);
    expect(await h.services.models.Invitation.count()).to.equal(1);

    const ended = await addInvitation(h, 'ended@example.com', { status: 'cancelled' });
    const confirm = await admin.get(`/admin/invitations/${ended}/delete`);
    expect(confirm.status).to.equal(200);
    expect(textOf(confirm.text)).to.include('Delete the invitation to ended@example.com?');
    const res = await admin.post(`/admin/invitations/${ended}/delete`, { back: 'status=cancelled&archived=1' });
    expect(res.headers.location).to.equal('/admin/invitations?status=cancelled&archived=1&done=deleted');
    expect(await h.services.models.Invitation.findByPk(ended)).to.equal(null);
    // A `back` that is not a list query is ignored: never an open redirect.
    const other = await addInvitation(h, 'other@example.com', { status: 'accepted' });
    const odd = await admin.post(`/admin/invitations/${other}/delete`, { back: '//evil.example/?status=accepted' });
    expect(odd.headers.location).to.equal('/admin/invitations?done=deleted');
    expect((await admin.get('/admin/invitations/no-such-id/delete')).status).to.equal(404);
  });

  it('edits a pending invitation: values shown, refusals beside their field, a new address re-sent', async () => {
    const { id, link } = await invite('ann@example.com', { givenName: 'Ann' });
    const viewer = await roleIdOf(h, 'viewer');
    const member = await roleIdOf(h, 'member');
    const form = await admin.get(`/admin/invitations/${id}/edit?status=pending`);
    expect(form.status).to.equal(200);
    expect(inputValue(form.text, 'email')).to.equal('ann@example.com');
    expect(inputValue(form.text, 'givenName')).to.equal('Ann');
    expect(isChecked(form.text, 'roles', member)).to.equal(true);
    expect(selectedValue(form.text, 'kind')).to.equal('user');

    await addUser(h, { email: 'taken@example.com' });
    const taken = await admin.post(`/admin/invitations/${id}/edit`, { email: 'taken@example.com', givenName: 'Ann', roles: [viewer], kind: 'user' });
    expect(taken.status).to.equal(409);
    expectFieldError(taken.text, 'email', 'taken@example.com already has an account.');
    expect(isChecked(taken.text, 'roles', viewer)).to.equal(true);
    expect(isChecked(taken.text, 'roles', member)).to.equal(false);

    const bad = await admin.post(`/admin/invitations/${id}/edit`, { email: 'not an address', deliveryEmail: 'also bad', roles: [], kind: 'robot' });
    expect(bad.status).to.equal(400);
    expectFieldError(bad.text, 'email', 'Enter a valid email address');
    expectFieldError(bad.text, 'deliveryEmail', 'Enter a valid email address');
    expectFieldError(bad.text, 'roles', 'Choose at least one role.');
    expectFieldError(bad.text, 'kind', 'Kind must be one of');
    expect(inputValue(bad.text, 'email')).to.equal('not an address');

    const res = await admin.post(`/admin/invitations/${id}/edit`, { email: 'ann.b@example.com', givenName: 'Ann', familyName: 'Bee', roles: [viewer], kind: 'requester', back: 'status=pending' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/invitations?status=pending&done=edited');
    const edited = await h.services.invitations.get(h.system(), id);
    expect(edited).to.deep.include({ email: 'ann.b@example.com', familyName: 'Bee', kind: 'requester', status: 'pending' });
    expect(edited.roles.map((r) => r.name)).to.deep.equal(['Viewer']);
    await linkDead(link);
    const resent = linkTo((await lastMailTo(h, 'ann.b@example.com')).text, '/invitations/accept');
    expect((await h.services.invitations.check(tokenOf(resent))).email).to.equal('ann.b@example.com');

    // Accepted invitations cannot be edited.
    const accepted = await addInvitation(h, 'done@example.com', { status: 'accepted' });
    expect((await admin.get(`/admin/invitations/${accepted}/edit`)).status).to.equal(409);
    const late = await admin.post(`/admin/invitations/${accepted}/edit`, { email: 'done@example.com', roles: [viewer], kind: 'user' });
    expect(late.status).to.equal(409);
    expect(textOf(late.text)).to.include('Only pending or expired invitations can be edited; this one is accepted.');
  });

  it('edits the address of a shareable-link invitation: the new link shown once', async () => {
    const { id, link } = await invite('linked@example.com', { method: 'link' });
    const res = await admin.post(`/admin/invitations/${id}/edit`, { email: 'linked.new@example.com', roles: [await roleIdOf(h, 'member')], kind: 'user' });
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const [fresh] = linksShown(res.text);
    expect((await h.services.invitations.check(tokenOf(fresh!))).email).to.equal('linked.new@example.com');
    await linkDead(link);
  });
});
