// The licence scenarios (seat limits for user and requester sync) through SCIM,
// as a directory such as Entra ID or Okta pushes users (the same four scenarios
// for SCIM, LDAP and CSV alike). `userType` names the seat pool.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { BULK_REQUEST, createToken, json, patchOp, scimClient, USER_URN, type ScimClient } from '../scim/scim-fixtures.js';

const scimUser = (name: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName: name, emails: [{ value: `${name}@corp.example`, type: 'work', primary: true }], userType: 'user', ...extra });

describeEachDatabase('licence scenarios: user and requester sync through SCIM', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Entra ID provisioning'));
  });

  it('sync adds a new user after the limit is reached → blocked, warning shown', async () => {
    await scim.post('/Users', scimUser('first')).expect(201);
    await h.services.seats.setLimit(h.system(), 'user', 1);
    const res = await scim.post('/Users', scimUser('late')).expect(403);
    expect(json(res)).to.deep.include({ status: '403', detail: 'Seat limit reached: 1 of 1 user seats in use' });
    expect(await h.services.users.findByLogin('late')).to.equal(null);
    const refusal = (await h.services.audit.recent(10)).find((e) => e.action === 'seats.limit_reached')!;
    expect(refusal).to.include({ actorLabel: 'Entra ID provisioning', source: 'scim' });
  });

  it('sync updates existing users → allowed', async () => {
    const one = json(await scim.post('/Users', scimUser('one')).expect(201));
    const two = json(await scim.post('/Users', scimUser('two')).expect(201));
    await h.services.seats.setLimit(h.system(), 'user', 2);
    await scim.put(`/Users/${one.id}`, scimUser('one', { title: 'Lead' })).expect(200);
    await scim.patch(`/Users/${two.id}`, patchOp({ op: 'replace', path: 'title', value: 'Analyst' })).expect(200);
    expect((await h.services.users.get(one.id)).title).to.equal('Lead');
    expect((await h.services.users.get(two.id)).title).to.equal('Analyst');
  });

  it('multiple new users exceed the limit → only those within it created', async () => {
    await scim.post('/Users', scimUser('existing')).expect(201);
    await h.services.seats.setLimit(h.system(), 'user', 3);
    const res = await scim
      .post('/Bulk', {
        schemas: [BULK_REQUEST],
        Operations: ['n1', 'n2', 'n3', 'n4'].map((n) => ({ method: 'POST', bulkId: n, path: '/Users', data: scimUser(n) })),
      })
      .expect(200);
    const statuses = (json(res).Operations as Array<{ bulkId: string; status: string }>).map((o) => [o.bulkId, o.status]);
    expect(statuses).to.deep.equal([['n1', '201'], ['n2', '201'], ['n3', '403'], ['n4', '403']]);
    expect(await h.services.users.findByLogin('n2')).to.not.equal(null);
    expect(await h.services.users.findByLogin('n3')).to.equal(null);
  });

  it('requester import exceeds licence → new requesters blocked, existing updated', async () => {
    const req1 = json(await scim.post('/Users', scimUser('req1', { userType: 'requester' })).expect(201));
    await h.services.seats.setLimit(h.system(), 'requester', 1);
    await scim.put(`/Users/${req1.id}`, scimUser('req1', { userType: 'requester', title: 'Customer' })).expect(200);
    const refused = await scim.post('/Users', scimUser('req2', { userType: 'requester' })).expect(403);
    expect(json(refused).detail).to.equal('Seat limit reached: 1 of 1 requester seats in use');
    await scim.post('/Users', scimUser('staff', { userType: 'user' })).expect(201);
    expect(await h.services.users.get(req1.id)).to.include({ title: 'Customer', kind: 'requester' });
    expect(await h.services.users.findByLogin('req2')).to.equal(null);
  });
});
