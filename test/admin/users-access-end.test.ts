// The access end date on the admin pages: set in the organization's time zone, extended by
// one action, cleared — each a confirmed POST; shown on the user's page and in the users
// list's "Ends" column with its "ending within 30 days" filter; reactivating an account
// ended by its date asks for a new date or none; the reminder settings.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser } from '../accounts/account-fixtures.js';
import { scheduler } from '../accounts/access-end-fixtures.js';
import { asBuiltIn, expectFieldError, inputValue, signIn, type AdminClient } from './admin-kit.js';

const DAY = 86_400_000;

describeEachDatabase('admin pages: access end dates', (h) => {
  let admin: AdminClient;
  beforeEach(async () => {
    admin = await asBuiltIn(h, 'admin');
    await h.services.settings.update(h.system(), { timeZone: 'Europe/Berlin' });
  });

  it('sets the date in the organization time zone, extends it by 30 days, clears it', async () => {
    const user = await addUser(h, { username: 'auditor' });
    // The harness clock stands at 2030-01-01 09:00 UTC; Berlin is UTC+1 in winter.
    const set = await admin.post(`/admin/users/${user.id}/access-end`, { intent: 'set', accessEndsAt: '2030-01-20T17:00' });
    expect(set.status).to.equal(303);
    expect((await h.services.users.get(user.id)).accessEndsAt?.toISOString()).to.equal('2030-01-20T16:00:00.000Z');
    const page = await admin.get(`/admin/users/${user.id}`);
    expect(page.text).to.include('20 Jan 2030, 17:00 Europe/Berlin');
    expect(inputValue(page.text, 'accessEndsAt')).to.equal('2030-01-20T17:00');
    expect((await h.services.users.get(user.id)).accessEndsAt).to.not.equal(null);

    await admin.post(`/admin/users/${user.id}/access-end`, { intent: 'extend' });
    expect((await h.services.users.get(user.id)).accessEndsAt?.toISOString()).to.equal('2030-02-19T16:00:00.000Z');
    await admin.post(`/admin/users/${user.id}/access-end`, { intent: 'clear' });
    expect((await h.services.users.get(user.id)).accessEndsAt).to.equal(null);
  });

  it('refuses a past or unreadable date beside the field', async () => {
    const user = await addUser(h);
    const past = await admin.post(`/admin/users/${user.id}/access-end`, { intent: 'set', accessEndsAt: '2029-12-31T10:00' });
    expect(past.status).to.equal(400);
    expectFieldError(past.text, 'accessEndsAt', 'must be in the future');
    const bad = await admin.post(`/admin/users/${user.id}/access-end`, { intent: 'set', accessEndsAt: 'soon' });
    expect(bad.status).to.equal(400);
    expect((await h.services.users.get(user.id)).accessEndsAt).to.equal(null);
  });

  it('lists the end date in the Ends column and filters those ending within 30 days', async () => {
    const soon = await addUser(h, { username: 'soon' }, { accessEndsAt: new Date(h.clock.now().getTime() + 10 * DAY) });
    const later = await addUser(h, { username: 'later' }, { accessEndsAt: new Date(h.clock.now().getTime() + 60 * DAY) });
    await addUser(h, { username: 'forever' });
    const all = await admin.get('/admin/users');
    expect(all.text).to.include('<th>Ends</th>');
    expect(all.text).to.include('11 Jan 2030, 10:00 Europe/Berlin');
    const ending = await admin.get('/admin/users?ends=30');
    const ids = [...ending.text.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).to.deep.equal([soon.id]);
    expect(ids).to.not.include(later.id);
  });

  it('reactivating an account ended by its date asks for a new date or none', async () => {
    const user = await addUser(h, {}, { accessEndsAt: new Date(h.clock.now().getTime() + DAY) });
    h.clock.advance(DAY);
    await scheduler(h).tick();
    admin = await signIn(h, admin.user!); // the page session ended while the day passed
    const page = await admin.get(`/admin/users/${user.id}`);
    expect(page.text).to.include('Access ended on its end date');
    expect(page.text).to.not.include('id="reactivation-link"');
    const refused = await admin.post(`/admin/users/${user.id}/reactivate`, {});
    expect(refused.status).to.equal(400);
    expectFieldError(refused.text, 'accessEndsAt', 'new end date');
    expect((await h.services.users.get(user.id)).status).to.equal('inactive');
    const back = await admin.post(`/admin/users/${user.id}/reactivate`, { accessEndsAt: '2030-03-01T12:00' });
    expect(back.status).to.equal(303);
    const after = await h.services.users.get(user.id);
    expect(after.status).to.equal('active');
    expect(after.accessEndsAt?.toISOString()).to.equal('2030-03-01T11:00:00.000Z');
  });

  it('keeps the reminder settings', async () => {
    const saved = await admin.post('/admin/settings', {
      organizationName: 'Acme', invitationExpiryHours: '168', registrationMode: 'off', registrationDomains: '', invitationDefaultRoles: 'Member', registrationDefaultRoles: 'Viewer',
      totpRequired: 'off', sessionIdleMinutes: '30', sessionLifetimeHours: '12', provisionedCredentialMode: 'scim_password', timeZone: 'Europe/Berlin',
      accessEndFirstReminderDays: '14', accessEndLastReminderDays: '2', accessEndRemindPerson: 'on',
    });
    expect(saved.status).to.equal(303);
    const s = await h.services.settings.all();
    expect(s).to.include({ accessEndFirstReminderDays: 14, accessEndLastReminderDays: 2, accessEndRemindPerson: true });
    const wrong = await admin.post('/admin/settings', { organizationName: 'Acme', accessEndFirstReminderDays: '1', accessEndLastReminderDays: '3' });
    expect(wrong.status).to.equal(400);
    expectFieldError(wrong.text, 'accessEndLastReminderDays', 'fewer days');
  });
});
