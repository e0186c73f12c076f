// Each management API resource end to end, through the same service calls as the pages:
// an account created, read, edited, deactivated, reactivated and deleted; an invitation
// edited, resent, cancelled and deleted, with a shareable link shown once; a role granted
// and revoked; and the reference page served without anything from elsewhere.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, auditEvents } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor } from './api-kit.js';
import { asBuiltIn } from '../admin/admin-kit.js';

describeEachDatabase('management API: resources', (h) => {
  it('creates, reads, edits, deactivates, reactivates and deletes an account', async () => {
    const owner = await addOwner(h);
    const api = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner), { name: 'Portal' })));
    const member = (await h.services.roles.builtin('member')).id;
    const created = await api.post('/api/v1/people', { email: 'dana@example.com', username: 'dana', givenName: 'Dana', roleIds: [member] });
    expect(created.status, created.text).to.equal(201);
    expect(created.body.generatedPassword).to.be.a('string');
    const id = created.body.person.id as string;
    expect(created.get('location')).to.equal(`/api/v1/people/${id}`);
    expect(created.body.person).to.include({ status: 'active', username: 'dana', source: 'admin' });

    expect((await api.get(`/api/v1/people/${id}`)).body.roles.map((r: { name: string }) => r.name)).to.deep.equal(['Member']);
    const edited = await api.patch(`/api/v1/people/${id}`, { department: 'Support', familyName: 'Lee' });
    expect(edited.body).to.include({ department: 'Support', familyName: 'Lee', name: 'Dana Lee' });
    const listed = await api.get('/api/v1/people?search=dana');
    expect(listed.body.total).to.equal(1);
    expect(listed.body.items[0]).to.include({ id, type: 'account', department: 'Support' });

    expect((await api.post(`/api/v1/people/${id}/deactivate`)).body.status).to.equal('inactive');
    const twice = await api.post(`/api/v1/people/${id}/deactivate`, {});
    expect(twice.status).to.equal(409);
    expect(twice.body.type).to.equal('/api/docs#problem-invalid_transition');
    expect((await api.post(`/api/v1/people/${id}/reactivate`, {})).body.status).to.equal('active');

    const viewer = (await h.services.roles.builtin('viewer')).id;
    const granted = await api.post(`/api/v1/people/${id}/roles`, { roleId: viewer, reason: 'reads reports' });
    expect(granted.body.roles.map((r: { name: string }) => r.name).sort()).to.deep.equal(['Member', 'Viewer']);
    const revoked = await api.delete(`/api/v1/people/${id}/roles/${member}`);
    expect(revoked.body.roles.map((r: { name: string }) => r.name)).to.deep.equal(['Viewer']);
    const roles = await api.get('/api/v1/roles');
    expect(roles.body.items.map((r: { builtin: string | null }) => r.builtin)).to.include.members(['owner', 'admin', 'member', 'viewer']);

    expect((await api.delete(`/api/v1/people/${id}`)).status).to.equal(204);
    expect((await api.get(`/api/v1/people/${id}`)).status).to.equal(404);
    const labels = (await auditEvents(h, { targetId: id })).map((e) => `${e.action} by ${e.actorLabel} via ${e.source}`);
    expect(labels).to.include.members(['user.created by Portal via api', 'user.deactivated by Portal via api', 'user.deleted by Portal via api']);
  });

  it('edits, resends, cancels and deletes invitations; a shareable link is shown once', async () => {
    const owner = await addOwner(h);
    const api = apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner))));
    const sent = await api.post('/api/v1/invitations', { rows: [{ addresses: ['erin@example.com'], givenName: 'Erin', message: 'Welcome aboard' }, { addresses: ['link@example.com'], method: 'link' }] });
    const [mail, link] = sent.body.outcomes as Array<{ status: string; invitationId: string; link?: string }>;
    expect(mail!.status).to.equal('sent');
    expect(link!.status).to.equal('link_created');
    expect(link!.link).to.match(/^http:\/\/gatehouse\.test\//);
    const read = await api.get(`/api/v1/invitations/${link!.invitationId}`);
    expect(read.body).to.include({ method: 'link', status: 'pending' });
    expect(JSON.stringify(read.body)).to.not.include(link!.link!);

    const edited = await api.patch(`/api/v1/invitations/${mail!.invitationId}`, { familyName: 'Stone' });
    expect(edited.body.invitation).to.include({ givenName: 'Erin', familyName: 'Stone' });
    const resent = await api.post(`/api/v1/invitations/${link!.invitationId}/resend`, {});
    expect(resent.body.link).to.be.a('string').and.not.equal(link!.link);
    const cancelled = await api.post(`/api/v1/invitations/${mail!.invitationId}/cancel`);
    expect(cancelled.body.status).to.equal('cancelled');
    expect((await api.get('/api/v1/invitations?status=cancelled')).body.total).to.equal(1);
    expect((await api.delete(`/api/v1/invitations/${link!.invitationId}`)).status).to.equal(409);
    expect((await api.delete(`/api/v1/invitations/${mail!.invitationId}`)).status).to.equal(204);
    expect((await api.get(`/api/v1/invitations/${mail!.invitationId}`)).status).to.equal(404);
  });

  it('serves a reference page built from the operations, with nothing loaded from elsewhere', async () => {
    const res = await request(h.app).get('/api/docs').expect(200);
    expect(res.get('content-type')).to.include('text/html');
    for (const text of ['GET /api/v1/people', 'POST /api/v1/invitations', 'api:audit.read', 'id="problem-seat_limit_reached"', 'href="/api/v1/openapi.json"']) expect(res.text).to.include(text);
    expect(res.text).to.not.match(/(src|href)="https?:\/\//);
  });
});

describeEachDatabase('management API: registering an application on the Applications page', (h) => {
  it('registers a machine application with API scopes, bounded by the admin, and lists scopes on other types for consent', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const form = await admin.get('/admin/clients/new');
    expect(form.text).to.include('value="api:invitations"');
    const res = await admin.post('/admin/clients', { name: 'Portal', type: 'machine', redirectUris: '', idTokenSigningAlg: 'RS256', apiScopes: ['api:users.read', 'api:invitations'] });
    expect(res.status).to.equal(200);
    const portal = (await h.services.clients.list()).find((c) => c.name === 'Portal')!;
    expect(portal.api!.scopes).to.deep.equal(['api:invitations', 'api:users.read']);
    expect(portal.api!.permissions).to.include.members(['users.view', 'users.invite']).and.not.include('seats.manage');
    expect((await admin.get(`/admin/clients/${portal.clientId}`)).text).to.include('<code>api:invitations</code>');
    const seats = await admin.post('/admin/clients', { name: 'Seats', type: 'machine', redirectUris: '', idTokenSigningAlg: 'RS256', apiScopes: 'api:seats.manage' });
    expect(seats.status).to.equal(400);
    // An application people sign in to lists scopes for their consent: its set is what they open.
    const web = await admin.post('/admin/clients', { name: 'Web', type: 'web', redirectUris: 'https://app.example/cb', idTokenSigningAlg: 'RS256', apiScopes: 'api:users.read' });
    expect(web.status).to.equal(200);
    expect((await h.services.clients.list()).find((c) => c.name === 'Web')!.api!.permissions).to.deep.equal(['users.view']);
    expect((await h.services.clients.list()).map((c) => c.name)).to.deep.equal(['Portal', 'Web']);
  });
});
