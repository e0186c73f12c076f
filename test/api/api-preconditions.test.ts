// ETag and If-Match on the management API's updates (people, roles, settings,
// invitations): a GET carries the ETag, a change with a stale If-Match answers 412 and
// changes nothing, a matching one (or `*`) goes through and answers the new ETag.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor, type ApiClient } from './api-kit.js';

describeEachDatabase('management API: ETag and If-Match', (h) => {
  async function machineApi(): Promise<ApiClient> {
    const owner = await addOwner(h);
    return apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner))));
  }

  /** Reads `url`, changes it once with its ETag, then refuses a change made with the stale one. */
  async function roundTrip(api: ApiClient, url: string, change: object, stale: object, unchanged: (body: Record<string, unknown>) => void) {
    const read = await api.get(url);
    expect(read.status, read.text).to.equal(200);
    const etag = read.get('etag')!;
    expect(etag).to.match(/^"[\w-]+"$/);
    expect((await api.get(url)).get('etag')).to.equal(etag);

    const changed = await api.raw('patch', url, (r) => r.set('If-Match', etag).send(change));
    expect(changed.status, changed.text).to.equal(200);
    const after = await api.get(url);
    expect(changed.get('etag')).to.equal(after.get('etag')).and.not.equal(etag);

    const refused = await api.raw('patch', url, (r) => r.set('If-Match', etag).send(stale));
    expect(refused.status).to.equal(412);
    expect(refused.get('content-type')).to.include('application/problem+json');
    expect(refused.body.type).to.equal('/api/docs#problem-precondition_failed');
    const now = await api.get(url);
    expect(now.get('etag')).to.equal(after.get('etag'));
    unchanged(now.body as Record<string, unknown>);

    expect((await api.raw('patch', url, (r) => r.set('If-Match', `W/${after.get('etag')}`).send(stale))).status).to.equal(412);
    expect((await api.raw('patch', url, (r) => r.set('If-Match', 'not-a-tag').send(stale))).status).to.equal(400);
    expect((await api.raw('patch', url, (r) => r.set('If-Match', `"other", ${after.get('etag')}`).send(change))).status).to.equal(200);
    expect((await api.raw('patch', url, (r) => r.set('If-Match', '*').send(change))).status).to.equal(200);
  }

  it('guards changes to a person', async () => {
    const api = await machineApi();
    const dana = await addUser(h, { username: 'dana', email: 'dana@example.com' });
    await roundTrip(api, `/api/v1/people/${dana.id}`, { department: 'Support' }, { department: 'Sales' }, (b) => expect(b.department).to.equal('Support'));
    expect((await api.raw('patch', '/api/v1/people/nobody', (r) => r.set('If-Match', '"x"').send({ department: 'x' }))).status).to.equal(404);
  });

  it('guards changes to a role', async () => {
    const api = await machineApi();
    const role = await api.post('/api/v1/roles', { name: 'Auditors', permissions: ['audit.view'] });
    expect(role.status, role.text).to.equal(201);
    await roundTrip(api, `/api/v1/roles/${role.body.id}`, { name: 'Reviewers' }, { name: 'Readers' }, (b) => expect(b.name).to.equal('Reviewers'));
    const etag = (await api.get(`/api/v1/roles/${role.body.id}`)).get('etag')!;
    expect((await api.raw('delete', `/api/v1/roles/${role.body.id}`, (r) => r.set('If-Match', '"stale"'))).status).to.equal(412);
    expect((await api.raw('delete', `/api/v1/roles/${role.body.id}`, (r) => r.set('If-Match', etag))).status).to.equal(204);
  });

  it('guards changes to the settings', async () => {
    const api = await machineApi();
    await roundTrip(api, '/api/v1/settings', { organizationName: 'Acme' }, { organizationName: 'Globex' }, (b) => expect(b.organizationName).to.equal('Acme'));
  });

  it('guards changes to an invitation', async () => {
    const api = await machineApi();
    const sent = await api.post('/api/v1/invitations', { rows: [{ addresses: ['erin@example.com'], givenName: 'Erin' }] });
    const id = sent.body.outcomes[0].invitationId as string;
    await roundTrip(api, `/api/v1/invitations/${id}`, { familyName: 'Stone' }, { familyName: 'Lake' }, (b) => expect(b.familyName).to.equal('Stone'));
  });
});
