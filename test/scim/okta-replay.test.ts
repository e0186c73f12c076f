// Okta's SCIM 2.0 provisioning, request by request, as its "SCIM 2.0 protocol reference"
// and "Test your SCIM API" pages show it: the startIndex=1&count=2 connection test, the
// userName lookup, create (with a password and an empty groups list), PUT profile updates,
// deactivation with a path-less replace, and Group Push (create, rename with the id
// repeated, add members, remove by value filter, replace, delete).
import { expect } from 'chai';
import { verifyPassword } from '../../src/passwords/password-hasher.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditOf, createToken, filterQuery, GROUP_URN, json, LIST_RESPONSE, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

describeEachDatabase('SCIM: Okta replay', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Okta'));
  });

  const oktaUser = (overrides: Record<string, unknown> = {}) => ({
    schemas: [USER_URN],
    userName: 'test.user@okta.local',
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
    groups: [],
    password: '1mz050nq-okta',
    active: true,
    ...overrides,
  });

  it('connection test pages with startIndex=1&count=2', async () => {
    for (let i = 0; i < 3; i++) {
      await scim.post('/Users', oktaUser({ userName: `u${i}@okta.local`, emails: [{ value: `u${i}@okta.local`, type: 'work', primary: true }], externalId: `x${i}` })).expect(201);
      h.clock.advance(1000); // pages follow creation order
    }
    const res = await scim.get('/Users?startIndex=1&count=2').expect(200);
    const body = json(res);
    expect(body.schemas).to.deep.equal([LIST_RESPONSE]);
    expect(body).to.include({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(body.Resources).to.have.length(2);
    const second = json(await scim.get('/Users?startIndex=3&count=2').expect(200));
    expect(second).to.include({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
    expect(second.Resources[0].userName).to.equal('u2@okta.local');
  });

  it('provisions a user: lookup, create with password, PUT updates, deactivate, reactivate', async () => {
    let res = await scim.get(`/Users?${filterQuery('userName eq "test.user@okta.local"')}&startIndex=1&count=100`).expect(200);
    expect(json(res).totalResults).to.equal(0);

    res = await scim.post('/Users', oktaUser()).expect(201);
    const created = json(res);
    expect(created).not.to.have.property('password');
    expect(created.groups).to.deep.equal([]);
    const id = created.id as string;
    const hash = await h.services.users.passwordHashOf(id);
    expect(hash).to.match(/^\$argon2id\$/);
    expect(await verifyPassword(hash!, '1mz050nq-okta')).to.equal(true);

    res = await scim.get(`/Users/${id}`).expect(200);
    expect(json(res).locale).to.equal('en-US');

    // PUT with the whole profile (Okta repeats the id, groups and the unchanged password).
    res = await scim.put(`/Users/${id}`, { ...oktaUser({ name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User' }), id }).expect(200);
    expect(json(res).name).to.deep.include({ givenName: 'Another', familyName: 'User' });
    expect(await auditOf(h, 'user.password_set')).to.have.length(0);

    // PUT replaces: attributes left out are cleared.
    res = await scim.put(`/Users/${id}`, { schemas: [USER_URN], id, userName: 'test.user@okta.local', emails: [{ value: 'test.user@okta.local', type: 'work', primary: true }], active: true }).expect(200);
    const replaced = await h.services.users.get(id);
    expect(replaced).to.include({ givenName: null, familyName: null, displayName: null, locale: null, status: 'active' });
    expect(replaced.externalIds).to.deep.equal([]);

    // A new password through PUT is hashed, audited, never echoed.
    res = await scim.put(`/Users/${id}`, oktaUser({ password: 'a-new-okta-secret' })).expect(200);
    expect(res.text).not.to.contain('a-new-okta-secret');
    expect(await verifyPassword((await h.services.users.passwordHashOf(id))!, 'a-new-okta-secret')).to.equal(true);
    expect(await auditOf(h, 'user.password_set')).to.have.length(1);
    // A password set by someone else (the directory) ends the account's sessions and tokens.
    expect(h.revoker.calls).to.deep.equal([{ userId: id, reason: 'password_set', inTransaction: true }]);
    h.revoker.calls.length = 0;

    // Deactivate, as Okta sends it.
    res = await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } })).expect(200);
    expect(json(res).active).to.equal(false);
    expect(h.revoker.calls.map((c) => c.userId)).to.deep.equal([id]);
    // Reactivate.
    res = await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: true } })).expect(200);
    expect(json(res).active).to.equal(true);
    expect((await auditOf(h, 'user.reactivated'))[0]).to.include({ actorLabel: 'Okta' });
  });

  it('pushes a group: lookup, create, rename with the id repeated, add, remove by filter, replace, delete', async () => {
    const ids: string[] = [];
    for (const n of ['ann', 'ben', 'cat']) {
      ids.push(json(await scim.post('/Users', oktaUser({ userName: `${n}@okta.local`, emails: [{ value: `${n}@okta.local`, type: 'work', primary: true }], externalId: n })).expect(201)).id);
    }
    let res = await scim.get(`/Groups?${filterQuery('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`).expect(200);
    expect(json(res).totalResults).to.equal(0);

    res = await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Test SCIMv2', members: [] }).expect(201);
    const gid = json(res).id as string;
    expect(json(res).members).to.deep.equal([]);

    res = await scim.patch(`/Groups/${gid}`, patchOp({ op: 'replace', value: { id: gid, displayName: 'Test SCIMv2 renamed' } })).expect(200);
    expect(json(res).displayName).to.equal('Test SCIMv2 renamed');

    res = await scim.patch(`/Groups/${gid}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids[0], display: 'ann@okta.local' }, { value: ids[1], display: 'ben@okta.local' }] })).expect(200);
    expect(json(res).members.map((m: { display: string }) => m.display)).to.deep.equal(['ann@okta.local', 'ben@okta.local']);

    res = await scim.patch(`/Groups/${gid}`, patchOp({ op: 'remove', path: `members[value eq "${ids[0]}"]` })).expect(200);
    expect(json(res).members.map((m: { value: string }) => m.value)).to.deep.equal([ids[1]]);

    res = await scim.patch(`/Groups/${gid}`, patchOp({ op: 'replace', path: 'members', value: [{ value: ids[2] }] })).expect(200);
    expect(json(res).members.map((m: { value: string }) => m.value)).to.deep.equal([ids[2]]);
    expect((await h.services.users.get(ids[1]!)).roles).to.deep.equal([]);

    await scim.delete(`/Groups/${gid}`).expect(204);
    expect((await h.services.users.get(ids[2]!)).roles).to.deep.equal([]);
    const deleted = await auditOf(h, 'role.deleted');
    expect(deleted[0]).to.include({ actorLabel: 'Okta', source: 'scim' });
  });
});
