// Microsoft Entra ID's provisioning, request by request, as its documentation shows it
// ("Develop and plan provisioning for a SCIM endpoint", request/response examples, and
// "Known issues … SCIM 2.0 protocol compliance"): the userName lookup before a create, the
// create, PATCHes with capitalised ops, "True"/"False" strings, path-less operations,
// emails[type eq "work"].value, active=false then DELETE; the group lookup by displayName
// with excludedAttributes=members, and member add/remove.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditOf, createToken, ENTERPRISE_URN, filterQuery, GROUP_URN, json, LIST_RESPONSE, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

describeEachDatabase('SCIM: Entra ID replay', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Entra ID'));
  });

  const entraUser = {
    schemas: [USER_URN, ENTERPRISE_URN],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com',
    active: true,
    emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
  };

  it('provisions a user: lookup (empty), create, quirky PATCHes, disable, delete', async () => {
    // 1. Get User by query, zero results.
    let res = await scim.get(`/Users?${filterQuery(`userName eq "${entraUser.userName}"`)}`).expect(200);
    expect(res.headers['content-type']).to.match(/^application\/scim\+json/);
    expect(json(res)).to.deep.equal({ schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    // 2. Create User.
    res = await scim.post('/Users', entraUser).expect(201);
    const created = json(res);
    expect(res.headers.location).to.equal(`http://gatehouse.test/scim/v2/Users/${created.id}`);
    expect(created.meta.location).to.equal(res.headers.location);
    expect(res.headers.etag).to.equal(created.meta.version);
    expect(created).to.include({ userName: entraUser.userName, externalId: entraUser.externalId, active: true, userType: 'user' });
    expect(created.name).to.deep.include({ givenName: 'givenName', familyName: 'familyName' });
    expect(created.emails).to.deep.equal([{ value: entraUser.emails[0]!.value, type: 'work', primary: true }]);
    expect(created).not.to.have.property('password');
    const id = created.id as string;
    const account = await h.services.users.get(id);
    expect(account).to.include({ source: 'scim', status: 'active', email: entraUser.emails[0]!.value });

    // 3. Get User by query finds it (userName compares case-insensitively, RFC 7643 caseExact false).
    res = await scim.get(`/Users?${filterQuery(`userName eq "${entraUser.userName.toUpperCase()}"`)}`).expect(200);
    expect(json(res).totalResults).to.equal(1);
    expect(json(res).Resources[0].id).to.equal(id);

    // 4. Update User [multi-valued properties], capitalised "Replace".
    res = await scim.patch(`/Users/${id}`, patchOp(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    )).expect(200);
    expect(json(res).emails[0].value).to.equal('updatedEmail@microsoft.com');
    expect(json(res).name.familyName).to.equal('updatedFamilyName');
    expect(res.headers.etag).not.to.equal(created.meta.version);

    // 5. "Add" to a value path (Entra sends Add where Replace is meant) and single-valued Replace.
    await scim.patch(`/Users/${id}`, patchOp(
      { op: 'Replace', path: 'title', value: 'scim tester' },
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'again@microsoft.com' },
      { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
    )).expect(200);
    expect(await h.services.users.get(id)).to.include({ title: 'scim tester', email: 'again@microsoft.com', username: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' });

    // 6. Path-less operations whose keys are paths, enterprise attributes and the manager as a plain id.
    await scim.patch(`/Users/${id}`, patchOp(
      { op: 'Add', value: { 'name.givenName': 'Barbara', displayName: 'Babs Jensen', [`${ENTERPRISE_URN}:department`]: 'Tour Operations' } },
      { op: 'Add', path: `${ENTERPRISE_URN}:manager`, value: '26118915-6090-4610-87e4-49d8ca9f808d' },
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
    )).expect(200);
    const patched = await h.services.users.get(id);
    expect(patched).to.include({ givenName: 'Barbara', displayName: 'Babs Jensen', department: 'Tour Operations', manager: '26118915-6090-4610-87e4-49d8ca9f808d', phone: '+1 555 0100' });

    // 7. Disable User with the legacy "False" string, then the compliant form is a no-op.
    h.revoker.calls.length = 0;
    res = await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
    expect(json(res).active).to.equal(false);
    expect((await h.services.users.get(id)).status).to.equal('inactive');
    expect(h.revoker.calls).to.deep.equal([{ userId: id, reason: 'deactivated', inTransaction: true }]);
    await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } })).expect(200);
    expect(h.revoker.calls).to.have.length(1);

    // A disabled user is still found by the lookup, with active false.
    res = await scim.get(`/Users?${filterQuery('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`).expect(200);
    expect(json(res).Resources[0].active).to.equal(false);

    // 8. Delete User.
    await scim.delete(`/Users/${id}`).expect(204);
    await scim.get(`/Users/${id}`).expect(404);
    const deleted = await auditOf(h, 'user.deleted');
    expect(deleted).to.have.length(1);
    expect(deleted[0]).to.include({ actorLabel: 'Entra ID', source: 'scim' });
  });

  it('re-enables with "True" and matches by externalId', async () => {
    const id = json(await scim.post('/Users', { ...entraUser, active: false }).expect(201)).id as string;
    expect((await h.services.users.get(id)).status).to.equal('inactive');
    await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' })).expect(200);
    expect((await h.services.users.get(id)).status).to.equal('active');
    const res = await scim.get(`/Users?${filterQuery(`externalId eq "${entraUser.externalId}"`)}`).expect(200);
    expect(json(res).Resources.map((r: { id: string }) => r.id)).to.deep.equal([id]);
  });

  it('provisions a group: create, lookup by displayName without members, add and remove members, rename, delete', async () => {
    const alice = json(await scim.post('/Users', { schemas: [USER_URN], userName: 'alice@contoso.com', emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }] }).expect(201)).id as string;
    const bob = json(await scim.post('/Users', { schemas: [USER_URN], userName: 'bob@contoso.com', emails: [{ value: 'bob@contoso.com', type: 'work', primary: true }] }).expect(201)).id as string;

    // Entra's documented Create Group lists a Microsoft schema URN beside the core one.
    let res = await scim.post('/Groups', {
      schemas: [GROUP_URN, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales Team',
      meta: { resourceType: 'Group' },
    }).expect(201);
    const group = json(res);
    expect(group).to.include({ displayName: 'Sales Team' });
    expect(res.headers.location).to.equal(`http://gatehouse.test/scim/v2/Groups/${group.id}`);
    const role = await h.services.roles.get(group.id);
    expect(role.permissions).to.deep.equal([]);

    res = await scim.get(`/Groups?excludedAttributes=members&${filterQuery('displayName eq "sales team"')}`).expect(200);
    expect(json(res).totalResults).to.equal(1);
    expect(json(res).Resources[0]).to.have.keys('schemas', 'id', 'externalId', 'displayName', 'meta');
    expect(json(res).Resources[0].externalId).to.equal('8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
    res = await scim.get(`/Groups/${group.id}?excludedAttributes=members`).expect(200);
    expect(json(res)).not.to.have.property('members');

    await scim.patch(`/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: alice }, { $ref: null, value: bob }] })).expect(200);
    res = await scim.get(`/Groups/${group.id}`).expect(200);
    expect(json(res).members.map((m: { value: string }) => m.value).sort()).to.deep.equal([alice, bob].sort());
    expect((await h.services.users.get(alice)).roles.map((r) => r.name)).to.deep.equal(['Sales Team']);

    // Remove as Entra sends it (path "members" with a value list), and by value filter.
    await scim.patch(`/Groups/${group.id}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: alice }] })).expect(200);
    await scim.patch(`/Groups/${group.id}`, patchOp({ op: 'Remove', path: `members[value eq "${bob}"]` })).expect(200);
    res = await scim.get(`/Groups/${group.id}`).expect(200);
    expect(json(res).members).to.deep.equal([]);

    await scim.patch(`/Groups/${group.id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'Sales EMEA' })).expect(200);
    expect((await h.services.roles.get(group.id)).name).to.equal('Sales EMEA');

    await scim.delete(`/Groups/${group.id}`).expect(204);
    await scim.get(`/Groups/${group.id}`).expect(404);
    const changes = await auditOf(h, 'user.roles_changed');
    expect(changes.map((e) => e.actorLabel)).to.satisfy((labels: string[]) => labels.length === 4 && labels.every((l) => l === 'Entra ID'));
  });
});
