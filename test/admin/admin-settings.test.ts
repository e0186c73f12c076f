// The Settings page over HTTP and SettingsService.update: every value validated on the
// server with its message beside the field and the values kept; only changed keys stored
// and audited; default roles stored by name, as registration and invitations read them.
import { expect } from 'chai';
import { Forbidden, ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { addUser, auditEvents, rejection } from '../accounts/account-fixtures.js';
import { asBuiltIn, expectFieldError, fieldError, inputValue, isChecked, selectedValue, textareaValue, type Form } from './admin-kit.js';

/** The form as the page submits it with the default settings. */
function defaults(): Form {
  return {
    organizationName: 'Gatehouse',
    invitationExpiryHours: '168',
    invitationDefaultRoles: ['Member'],
    registrationMode: 'off',
    registrationDomains: '',
    registrationDefaultRoles: ['Viewer'],
    requireEmailConfirmation: 'on',
    totpRequired: 'off',
    sessionIdleMinutes: '30',
    sessionLifetimeHours: '12',
    provisionedCredentialMode: 'scim_password',
    timeZone: 'UTC',
  };
}

describeEachDatabase('admin pages: settings', (h) => {
  it('shows the current settings, default roles spelled as the roles are', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.get('/admin/settings');
    expect(res.status).to.equal(200);
    expect(inputValue(res.text, 'organizationName')).to.equal('Gatehouse');
    expect(inputValue(res.text, 'invitationExpiryHours')).to.equal('168');
    expect(selectedValue(res.text, 'registrationMode')).to.equal('off');
    expect(isChecked(res.text, 'registrationDefaultRoles', 'Viewer')).to.equal(true);
    expect(isChecked(res.text, 'invitationDefaultRoles', 'Member')).to.equal(true);
    expect(res.text, 'the owner role is never a default').to.not.include('name="invitationDefaultRoles" value="Owner"');
    expect(res.text).to.match(/id="f-requireEmailConfirmation" name="requireEmailConfirmation" value="on" checked/);
    expect(selectedValue(res.text, 'provisionedCredentialMode')).to.equal('scim_password');
  });

  it('writes nothing and audits nothing when the page is saved unchanged (values compared as normalised)', async () => {
    const admin = await asBuiltIn(h, 'admin');
    // The stored defaults spell roles in lower case ("member"); the page sends "Member".
    const before = (await auditEvents(h, { action: 'settings.changed' })).length;
    const res = await admin.post('/admin/settings', defaults());
    expect(res.status).to.equal(303);
    expect((await auditEvents(h, { action: 'settings.changed' })).length).to.equal(before);
    // A second save after a real change audits only that change, once.
    await admin.post('/admin/settings', { ...defaults(), invitationExpiryHours: '72' });
    await admin.post('/admin/settings', { ...defaults(), invitationExpiryHours: '72' });
    const events = await auditEvents(h, { action: 'settings.changed' });
    expect(events.map((e) => e.details)).to.deep.equal([{ key: 'invitationExpiryHours', from: 168, to: 72 }]);
  });

  it('keeps the time zone as a setting (UTC by default), spelled as Intl spells it, and refuses an unknown zone', async () => {
    const admin = await asBuiltIn(h, 'admin');
    expect(await h.services.settings.get('timeZone')).to.equal('UTC');
    expect(selectedValue((await admin.get('/admin/settings')).text, 'timeZone')).to.equal('UTC');
    let res = await admin.post('/admin/settings', { ...defaults(), timeZone: 'europe/berlin' });
    expect(res.status).to.equal(303);
    expect(await h.services.settings.get('timeZone')).to.equal('Europe/Berlin');
    expect(selectedValue((await admin.get('/admin/settings')).text, 'timeZone')).to.equal('Europe/Berlin');
    res = await admin.post('/admin/settings', { ...defaults(), timeZone: 'Mars/Olympus_Mons' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'timeZone', 'Time zone must be a time zone name');
    expect(await h.services.settings.get('timeZone')).to.equal('Europe/Berlin');
    // Times on the admin pages are shown in the zone, named: 09:00 UTC is 10:00 in Berlin.
    const audit = await asBuiltIn(h, 'owner');
    expect((await audit.get('/admin/audit')).text).to.include('1 Jan 2030, 10:00 Europe/Berlin');
  });

  it('saves every setting, stores default roles by name and audits only the changed keys', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const support = await h.services.roles.create(h.system(), { name: 'Support', permissions: ['users.view'] });
    const res = await admin.post('/admin/settings', {
      ...defaults(),
      organizationName: ' Fluxera Labs ',
      invitationExpiryHours: '72',
      invitationDefaultRoles: ['Support', 'Viewer'],
      registrationMode: 'domains',
      registrationDomains: '@Corp.Example\nlab.example, corp.example',
      requireEmailConfirmation: '',
      totpRequired: 'roles',
      totpRequiredRoleIds: [support.id],
      sessionIdleMinutes: '15',
      provisionedCredentialMode: 'activation_email',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/settings?done=saved');
    const s = await h.services.settings.all();
    expect(s).to.deep.include({
      organizationName: 'Fluxera Labs',
      invitationExpiryHours: 72,
      invitationDefaultRoles: ['Support', 'Viewer'],
      registrationMode: 'domains',
      registrationDomains: ['corp.example', 'lab.example'],
      registrationDefaultRoles: ['Viewer'],
      requireEmailConfirmation: false,
      totpRequired: 'roles',
      totpRequiredRoleIds: [support.id],
      sessionIdleMinutes: 15,
      sessionLifetimeHours: 12,
      provisionedCredentialMode: 'activation_email',
    });
    const changed = (await auditEvents(h, { action: 'settings.changed' })).map((e) => e.target!.id).sort();
    // registrationDefaultRoles went from "viewer" to "Viewer": the same role, only spelled as
    // the role is, so no change is recorded.
    expect(changed).to.deep.equal([
      'invitationDefaultRoles', 'invitationExpiryHours', 'organizationName', 'provisionedCredentialMode',
      'registrationDomains', 'registrationMode', 'requireEmailConfirmation', 'sessionIdleMinutes', 'totpRequired', 'totpRequiredRoleIds',
    ]);
    const expiry = (await auditEvents(h, { action: 'settings.changed', targetId: 'invitationExpiryHours' }))[0]!;
    expect(expiry.details).to.deep.equal({ key: 'invitationExpiryHours', from: 168, to: 72 });
    expect(expiry.actorId).to.equal(admin.user!.id);

    // Saving the same values again changes and audits nothing.
    const before = (await auditEvents(h)).length;
    const again = await admin.get('/admin/settings?done=saved');
    expect(again.text).to.include('Settings saved.');
    expect(textareaValue(again.text, 'registrationDomains')).to.equal('corp.example\nlab.example');
    expect(isChecked(again.text, 'totpRequiredRoleIds', support.id)).to.equal(true);
    await admin.post('/admin/settings', {
      ...defaults(), organizationName: 'Fluxera Labs', invitationExpiryHours: '72', invitationDefaultRoles: ['Support', 'Viewer'], registrationMode: 'domains',
      registrationDomains: 'corp.example\nlab.example', requireEmailConfirmation: '', totpRequired: 'roles', totpRequiredRoleIds: [support.id], sessionIdleMinutes: '15',
      provisionedCredentialMode: 'activation_email',
    });
    expect((await auditEvents(h)).length).to.equal(before);
  });

  it('is read by the services that use it: default roles by name, the TOTP roles by id', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const support = await h.services.roles.create(h.system(), { name: 'Support', permissions: ['users.view'] });
    const res = await admin.post('/admin/settings', { ...defaults(), invitationDefaultRoles: ['Support'], totpRequired: 'roles', totpRequiredRoleIds: [support.id] });
    expect(res.status).to.equal(303);
    expect(await h.services.invitations.defaultRoleIds()).to.deep.equal([support.id]);
    const holder = await addUser(h, {}, { roleIds: [support.id] });
    const other = await addUser(h);
    expect(await h.services.totp.requiredFor(holder.id)).to.equal(true);
    expect(await h.services.totp.requiredFor(other.id)).to.equal(false);
  });

  it('follows a renamed or deleted role: defaults keep the new name, a deleted one leaves them', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const support = await h.services.roles.create(h.system(), { name: 'Support', permissions: ['users.view'] });
    await admin.post('/admin/settings', { ...defaults(), invitationDefaultRoles: ['Member', 'Support'], registrationDefaultRoles: ['Support'], totpRequired: 'roles', totpRequiredRoleIds: [support.id] });
    expect((await admin.post(`/admin/roles/${support.id}/rename`, { name: 'Helpdesk' })).status).to.equal(303);
    expect(await h.services.settings.get('invitationDefaultRoles')).to.deep.equal(['Member', 'Helpdesk']);
    expect(await h.services.settings.get('registrationDefaultRoles')).to.deep.equal(['Helpdesk']);
    expect(await h.services.invitations.defaultRoleIds()).to.include(support.id);
    expect(isChecked((await admin.get('/admin/settings')).text, 'invitationDefaultRoles', 'Helpdesk')).to.equal(true);

    expect((await admin.post(`/admin/roles/${support.id}/delete`, {})).status).to.equal(303);
    expect(await h.services.settings.get('invitationDefaultRoles')).to.deep.equal(['Member']);
    expect(await h.services.settings.get('registrationDefaultRoles')).to.deep.equal([]);
    expect(await h.services.settings.get('totpRequiredRoleIds')).to.deep.equal([]);
    // A new role under the old name does not become a default by accident.
    await h.services.roles.create(h.system(), { name: 'Helpdesk', permissions: ['users.manage'] });
    expect(await h.services.invitations.defaultRoleIds()).to.deep.equal([(await h.services.roles.builtin('member')).id]);
    const reasons = (await auditEvents(h, { action: 'settings.changed' })).map((e) => e.details.reason).filter(Boolean);
    expect(reasons).to.deep.equal(['role renamed', 'role renamed', 'role deleted', 'role deleted', 'role deleted']);
  });

  it('refuses every bad value beside its field, keeps what was typed and stores nothing', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const before = await h.services.settings.all();
    const res = await admin.post('/admin/settings', {
      organizationName: '   ',
      invitationExpiryHours: 'a week',
      invitationDefaultRoles: ['Owner'],
      registrationMode: 'sometimes',
      registrationDomains: 'corp.example\nbad_domain!.com',
      registrationDefaultRoles: ['Ghosts'],
      totpRequired: 'maybe',
      totpRequiredRoleIds: ['no-such-role'],
      sessionIdleMinutes: '0',
      sessionLifetimeHours: '1000',
      provisionedCredentialMode: 'carrier pigeon',
    });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Nothing was saved');
    expectFieldError(res.text, 'organizationName', 'Organization name is required.');
    expectFieldError(res.text, 'invitationExpiryHours', 'Invitation expiry must be a whole number from 1 to 720.');
    expectFieldError(res.text, 'invitationDefaultRoles', 'The owner role cannot be a default role');
    expectFieldError(res.text, 'registrationMode', 'Registration must be one of off, open, domains.');
    expectFieldError(res.text, 'registrationDomains', '"bad_domain!.com" is not a domain name such as example.com.');
    expectFieldError(res.text, 'registrationDefaultRoles', 'There is no role named "Ghosts".');
    expectFieldError(res.text, 'totpRequired', 'must be one of off, all, roles.');
    expectFieldError(res.text, 'totpRequiredRoleIds', 'One of the chosen roles does not exist');
    expectFieldError(res.text, 'sessionIdleMinutes', 'Idle timeout must be from 1 to 1440.');
    expectFieldError(res.text, 'sessionLifetimeHours', 'Session lifetime must be from 1 to 720.');
    expectFieldError(res.text, 'provisionedCredentialMode', 'must be one of upstream, activation_email, scim_password.');
    expect(inputValue(res.text, 'invitationExpiryHours')).to.equal('a week');
    expect(textareaValue(res.text, 'registrationDomains')).to.equal('corp.example\nbad_domain!.com');
    expect(inputValue(res.text, 'sessionLifetimeHours')).to.equal('1000');
    expect(res.text, 'unchecked box stays unchecked').to.not.match(/id="f-requireEmailConfirmation"[^>]*checked/);
    expect(await h.services.settings.all()).to.deep.equal(before);
    expect(await auditEvents(h, { action: 'settings.changed' })).to.have.length(0);
  });

  it('asks for domains when registration is limited to them, and for roles when TOTP is required by role', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.post('/admin/settings', { ...defaults(), registrationMode: 'domains', registrationDomains: '', totpRequired: 'roles' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'registrationDomains', 'List at least one domain, or choose another registration mode.');
    expectFieldError(res.text, 'totpRequiredRoleIds', 'Choose at least one role');
    expect(fieldError(res.text, 'registrationMode')).to.equal(null);
    expect(selectedValue(res.text, 'registrationMode')).to.equal('domains');
    expect(selectedValue(res.text, 'totpRequired')).to.equal('roles');
  });

  it('refuses a default role carrying permissions the admin does not hold', async () => {
    const admin = await asBuiltIn(h, 'admin');
    await h.services.roles.create(h.system(), { name: 'Licence keepers', permissions: ['seats.manage'] });
    const res = await admin.post('/admin/settings', { ...defaults(), registrationDefaultRoles: ['Viewer', 'Licence keepers'] });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'registrationDefaultRoles', 'You cannot make Licence keepers a default role: it carries permissions you do not hold (seats.manage).');
    expect(isChecked(res.text, 'registrationDefaultRoles', 'Licence keepers')).to.equal(true);
    expect(await h.services.settings.get('registrationDefaultRoles')).to.deep.equal(['viewer']);
  });

  it('update() authorizes settings.manage and validates keys it is given directly', async () => {
    await rejection(h.services.settings.update(h.withPermissions(['users.manage']), { organizationName: 'X' }), Forbidden);
    const err = await rejection(h.services.settings.update(h.withPermissions(['settings.manage']), { invitationExpiryHours: 2.5, requireEmailConfirmation: 'yes' } as never), ValidationError);
    expect(err.fields).to.have.keys('invitationExpiryHours', 'requireEmailConfirmation');
    const saved = await h.services.settings.update(h.withPermissions(['settings.manage']), { invitationExpiryHours: 48 });
    expect(saved.invitationExpiryHours).to.equal(48);
    expect(await h.services.settings.get('invitationExpiryHours')).to.equal(48);
  });
});

describeEachDatabase(
  'settings: the organization name on the sign-in page',
  (h) => {
    it('names the organization above the sign-in form, as the setting says', async () => {
      await h.services.settings.update(h.system(), { organizationName: 'Fluxera Labs' });
      const page = await new UserAgent(h.baseUrl).get(`${h.baseUrl}/auth/login`);
      expect(page.body).to.include('<h1>Sign in</h1>');
      expect(page.body).to.include('<a class="brand" href="/">Fluxera Labs</a>');
      expect(page.body).to.include('<title>Sign in · Fluxera Labs</title>');
    });
  },
  { serve: true },
);
