// Settings, role editing and the audit CSV over the management API: the same service calls
// as the Settings, Roles and Audit pages, so validation, the dominance rule and the audit
// trail behave as there.
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, auditEvents } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor } from './api-kit.js';

describeEachDatabase('management API: settings, roles and the audit CSV', (h) => {
  it('reads and changes settings as the Settings page does, audited', async () => {
    const owner = await addOwner(h);
    const api = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner), { name: 'Portal' })));
    const read = await api.get('/api/v1/settings');
    expect(read.body).to.include({ organizationName: 'Gatehouse', invitationExpiryHours: 168 });
    const changed = await api.patch('/api/v1/settings', { organizationName: 'Acme', invitationExpiryHours: 48 });
    expect(changed.status, changed.text).to.equal(200);
    expect(changed.body).to.include({ organizationName: 'Acme', invitationExpiryHours: 48 });
    const audited = (await auditEvents(h, { action: 'settings.changed' })).map((e) => `${e.target?.id} by ${e.actorLabel} via ${e.source}`);
    expect(audited).to.include.members(['organizationName by Portal via api', 'invitationExpiryHours by Portal via api']);

    const wrong = await api.patch('/api/v1/settings', { organizationName: 'Globex', invitationExpiryHours: -1 });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.type).to.equal('/api/docs#problem-validation_failed');
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).to.include('invitationExpiryHours');
    expect((await api.patch('/api/v1/settings', { noSuchSetting: true })).status).to.equal(400);
    expect((await api.patch('/api/v1/settings', { organizationName: 5 })).status).to.equal(400);
    expect((await api.get('/api/v1/settings')).body.organizationName).to.equal('Acme');

    const reader = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner), { name: 'Reader', scopes: ['api:users.read'] }), ['api:users.read']));
    const refused = await reader.get('/api/v1/settings');
    expect(refused.status).to.equal(403);
    expect(refused.body).to.include({ scope: 'api:settings' });
  });

  it('creates, changes and deletes roles under the dominance rule', async () => {
    const owner = await addOwner(h);
    const api = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner), { name: 'Portal' })));
    const created = await api.post('/api/v1/roles', { name: 'Auditors', permissions: ['audit.view'], description: 'Read the log' });
    expect(created.status, created.text).to.equal(201);
    expect(created.body).to.include({ name: 'Auditors', builtin: null, description: 'Read the log', holders: 0 });
    expect(created.get('location')).to.equal(`/api/v1/roles/${created.body.id}`);
    const id = created.body.id as string;
    const changed = await api.patch(`/api/v1/roles/${id}`, { name: 'Reviewers', permissions: ['audit.view', 'users.view'] });
    expect(changed.body).to.include({ name: 'Reviewers' });
    expect(changed.body.permissions).to.have.members(['audit.view', 'users.view']);
    expect((await api.post('/api/v1/roles', { name: 'reviewers' })).status).to.equal(409);
    expect((await api.post('/api/v1/roles', { name: 'X', permissions: ['no such!'] })).status).to.equal(400);
    const member = await h.services.roles.builtin('member');
    expect((await api.patch(`/api/v1/roles/${member.id}`, { name: 'Staff' })).status).to.be.within(400, 499);

    const holder = await addUser(h, { username: 'rita', email: 'rita@example.com' });
    expect((await api.put(`/api/v1/people/${holder.id}/roles`, { roleIds: [id] })).status).to.equal(200);
    const held = await api.delete(`/api/v1/roles/${id}`);
    expect(held.status).to.equal(409);
    expect(held.body.type).to.equal('/api/docs#problem-invalid_transition');
    expect((await api.delete(`/api/v1/roles/${id}?reassignTo=${member.id}`)).status).to.equal(204);
    expect((await api.get(`/api/v1/roles/${id}`)).status).to.equal(404);
    expect((await h.services.roles.rolesOf(holder.id)).map((r) => r.name)).to.deep.equal(['Member']);
    const labels = (await auditEvents(h, { targetId: id })).map((e) => `${e.action} by ${e.actorLabel}`);
    expect(labels).to.include.members(['role.created by Portal', 'role.renamed by Portal', 'role.permissions_changed by Portal', 'role.deleted by Portal']);

    // An application whose set lacks a permission can neither put it in a role nor edit a role that carries it.
    const limited = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner), { name: 'Limited', scopes: ['api:roles'], permissions: ['roles.manage', 'users.view'] }), ['api:roles']));
    const grant = await limited.post('/api/v1/roles', { name: 'Sneaky', permissions: ['settings.manage'] });
    expect(grant.status).to.equal(403);
    const admins = (await limited.get('/api/v1/roles')).body.items.find((r: { builtin: string }) => r.builtin === 'admin');
    expect((await limited.patch(`/api/v1/roles/${admins.id}`, { name: 'Mine' })).status).to.equal(403);
    const mine = await limited.post('/api/v1/roles', { name: 'Directory readers', permissions: ['users.view'] });
    expect(mine.status, mine.text).to.equal(201);
    expect((await limited.patch(`/api/v1/roles/${mine.body.id}`, { permissions: ['users.view', 'users.manage'] })).status).to.equal(403);
  });

  it('exports the audit log as CSV with the list\'s filters, formula cells defused, the export audited', async () => {
    const owner = await addOwner(h);
    const api = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner), { name: '=HYPERLINK("http://evil")' })));
    await api.post('/api/v1/roles', { name: 'Auditors', permissions: ['audit.view'] });
    await api.post('/api/v1/roles', { name: 'Readers', permissions: ['users.view'] });
    const res = await api.get('/api/v1/audit.csv?action=role.created');
    expect(res.status, res.text).to.equal(200);
    expect(res.get('content-type')).to.equal('text/csv; charset=utf-8');
    expect(res.get('content-disposition')).to.match(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parse(res.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.target)).to.have.members(['role: Readers', 'role: Auditors']);
    expect(rows.every((r) => r.action === 'role.created' && r.actor === `'=HYPERLINK("http://evil")`)).to.equal(true);
    expect((await auditEvents(h, { action: 'audit.exported' })).length).to.equal(1);
    const bad = await api.get('/api/v1/audit.csv?from=yesterday');
    expect(bad.status).to.equal(400);
    expect(bad.get('content-type')).to.include('application/problem+json');
    expect((await api.get('/api/v1/audit.csv?limit=5')).status).to.equal(400);
  });
});
