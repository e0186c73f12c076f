// Bulk (RFC 7644 §3.7): bulkId references resolved (also forward ones), per-operation
// errors, version as If-Match, maxOperations and maxPayloadSize.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { BULK_REQUEST, createToken, GROUP_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const user = (n: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }], ...extra });

describeEachDatabase('SCIM: Bulk', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Bulk client'));
  });
  const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => scim.post('/Bulk', { schemas: [BULK_REQUEST], Operations, ...extra });

  it('resolves bulkId references, forward ones included, in data and in paths', async () => {
    const res = json(await bulk([
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_URN], displayName: 'Bulk Group', members: [{ value: 'bulkId:ann' }, { value: 'bulkId:ben' }] } },
      { method: 'POST', path: '/Users', bulkId: 'ann', data: user('ann') },
      { method: 'POST', path: '/Users', bulkId: 'ben', data: user('ben') },
      { method: 'PATCH', path: '/Users/bulkId:ben', data: patchOp({ op: 'replace', path: 'title', value: 'Patched' }) },
      { method: 'PUT', path: '/Users/bulkId:ann', data: user('ann', { displayName: 'Ann Put' }) },
    ]).expect(200));
    expect(res.schemas).to.deep.equal([BULK_RESPONSE]);
    expect(res.Operations.map((o: { method: string; bulkId?: string; status: string }) => `${o.method}:${o.bulkId ?? ''}:${o.status}`)).to.deep.equal(['POST:g:201', 'POST:ann:201', 'POST:ben:201', 'PATCH::200', 'PUT::200']);
    const gid = res.Operations[0].location.split('/').pop();
    const members = json(await scim.get(`/Groups/${gid}`).expect(200)).members.map((m: { display: string }) => m.display).sort();
    expect(members).to.deep.equal(['ann', 'ben']);
    expect((await h.services.users.findByLogin('ben'))!.title).to.equal('Patched');
    expect((await h.services.users.findByLogin('ann'))!.displayName).to.equal('Ann Put');
    expect(res.Operations[3].location).to.equal(`http://gatehouse.test/scim/v2/Users/${(await h.services.users.findByLogin('ben'))!.id}`);
  });

  it('reports each failing operation in its own response and carries on', async () => {
    await scim.post('/Users', user('taken')).expect(201);
    const existing = (await h.services.users.findByLogin('taken'))!;
    const res = json(await bulk([
      { method: 'GET', path: '/Users' },
      { method: 'POST', path: '/Users', data: user('no-bulk-id') },
      { method: 'POST', path: '/Widgets', bulkId: 'w', data: {} },
      { method: 'PUT', path: '/Users', data: user('x') },
      { method: 'POST', path: '/Users', bulkId: 'dup', data: user('taken') },
      { method: 'PATCH', path: `/Users/${existing.id}`, version: 'W/"99"', data: patchOp({ op: 'replace', path: 'title', value: 'x' }) },
      { method: 'PATCH', path: `/Users/${existing.id}`, version: `W/"${existing.version}"`, data: patchOp({ op: 'replace', path: 'title', value: 'ok' }) },
      { method: 'POST', path: '/Groups', bulkId: 'g2', data: { schemas: [GROUP_URN], displayName: 'Refs a failure', members: [{ value: 'bulkId:dup' }] } },
      { method: 'POST', path: '/Users', bulkId: 'c1', data: user('c1', { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'bulkId:c2' } } }) },
      { method: 'POST', path: '/Users', bulkId: 'c2', data: user('c2', { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'bulkId:c1' } } }) },
      { method: 'DELETE', path: `/Users/${existing.id}` },
    ]).expect(200));
    const statuses = res.Operations.map((o: { status: string }) => o.status);
    expect(statuses).to.deep.equal(['400', '400', '400', '400', '409', '412', '200', '400', '409', '400', '204']);
    expect(res.Operations[4].response.scimType).to.equal('uniqueness');
    for (const o of res.Operations.filter((x: { status: string }) => Number(x.status) >= 400)) expect(o.response.schemas).to.deep.equal(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(await h.services.users.findByLogin('taken')).to.equal(null);
  });

  it('enforces maxOperations, maxPayloadSize, failOnErrors and the request schema', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/u${i}` }));
    let res = await bulk(many).expect(413);
    expect(json(res).detail).to.match(/at most 1000 operations/);
    res = await bulk([{ method: 'POST', path: '/Users', bulkId: 'big', data: user('big', { title: 'x'.repeat(1_100_000) }) }]).expect(413);
    await bulk([{ method: 'DELETE', path: '/Users/x' }], { failOnErrors: 0 }).expect(400);
    await scim.post('/Bulk', { Operations: [{ method: 'DELETE', path: '/Users/x' }] }).expect(400);
    await bulk([]).expect(400);
    res = await bulk([
      { method: 'DELETE', path: '/Users/missing-1' },
      { method: 'DELETE', path: '/Users/missing-2' },
      { method: 'POST', path: '/Users', bulkId: 'never', data: user('never') },
    ], { failOnErrors: 2 }).expect(200);
    expect(json(res).Operations.map((o: { status: string }) => o.status)).to.deep.equal(['404', '404']);
    expect(await h.services.users.findByLogin('never')).to.equal(null);
  });
});
