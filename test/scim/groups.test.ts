// Groups are roles: a directory's group becomes a role
// with no permissions; members are holders, changed under the same rules as anywhere else
// (nobody grants what they do not hold); the owner role is read-only through SCIM and
// built-in roles cannot be renamed or deleted; a deleted group takes its role from holders.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditOf, BULK_REQUEST, createToken, GROUP_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const user = (n: string) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }] });

describeEachDatabase('SCIM: groups are roles', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Okta'));
  });
  const newUser = async (n: string) => json(await scim.post('/Users', user(n)).expect(201)).id as string;

  it('lists every role as a group, built-ins included, with members', async () => {
    const ann = await newUser('ann');
    const viewer = await h.services.roles.builtin('viewer');
    await h.services.roles.setUserRoles(h.system(), ann, [viewer.id]);
    const res = json(await scim.get('/Groups?sortBy=displayName').expect(200));
    expect(res.Resources.map((g: { displayName: string }) => g.displayName)).to.deep.equal(['Admin', 'Member', 'Owner', 'Viewer']);
    const viewerGroup = res.Resources.find((g: { id: string }) => g.id === viewer.id);
    expect(viewerGroup.members).to.deep.equal([{ value: ann, display: 'ann', $ref: `http://gatehouse.test/scim/v2/Users/${ann}`, type: 'User' }]);
    const annAsScim = json(await scim.get(`/Users/${ann}`).expect(200));
    expect(annAsScim.groups).to.deep.equal([{ value: viewer.id, display: 'Viewer', $ref: `http://gatehouse.test/scim/v2/Groups/${viewer.id}`, type: 'direct' }]);
  });

  it('keeps the owner role read-only and built-in roles fixed', async () => {
    const owner = await h.services.roles.builtin('owner');
    const admin = await h.services.roles.builtin('admin');
    const ann = await newUser('ann');
    for (const res of [
      await scim.patch(`/Groups/${owner.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ann }] })),
      await scim.put(`/Groups/${owner.id}`, { schemas: [GROUP_URN], displayName: 'Owner', members: [] }),
      await scim.delete(`/Groups/${owner.id}`),
      await scim.patch(`/Groups/${admin.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Root' })),
      await scim.delete(`/Groups/${admin.id}`),
    ]) {
      expect(res.status, res.text).to.equal(403);
    }
    expect((await h.services.roles.builtin('admin')).name).to.equal('Admin');
    expect(await h.services.roles.ownerId()).to.equal(null);
  });

  it('fills the groups its token creator could fill, and refuses roles carrying permissions beyond them', async () => {
    const ann = await newUser('ann');
    // This token was created by an operator (no account): it acts with the Admin role's permissions.
    const admin = await h.services.roles.builtin('admin');
    await scim.patch(`/Groups/${admin.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ann }] })).expect(200);
    expect((await h.services.users.get(ann)).roles.map((r) => r.name)).to.deep.equal(['Admin']);
    const billing = await h.services.roles.create(h.system(), { name: 'Billing', permissions: ['billing.manage'] });
    const res = await scim.patch(`/Groups/${billing.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ann }] })).expect(403);
    expect(json(res).detail).to.match(/permissions you do not hold/);
    expect((await h.services.users.get(ann)).roles.map((r) => r.name)).to.deep.equal(['Admin']);
    await scim.patch(`/Groups/${admin.id}`, patchOp({ op: 'remove', path: `members[value eq "${ann}"]` })).expect(200);
    // A directory group is a role with no permissions until an admin grants some.
    const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Engineering', members: [{ value: ann }] }).expect(201)).id;
    expect((await h.services.roles.get(gid)).permissions).to.deep.equal([]);
    expect((await h.services.users.get(ann)).roles.map((r) => r.name)).to.deep.equal(['Engineering']);
  });

  it('applies a PATCH atomically: a failing operation leaves name and members unchanged', async () => {
    const [ann, ben] = [await newUser('ann'), await newUser('ben')];
    const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Atomic', members: [{ value: ann }] }).expect(201)).id;
    const before = await h.services.roles.get(gid);
    await scim.patch(`/Groups/${gid}`, patchOp(
      { op: 'replace', path: 'displayName', value: 'Renamed' },
      { op: 'add', path: 'members', value: [{ value: ben }] },
      { op: 'add', path: 'members', value: [{ value: 'no-such-user' }] },
    )).expect(400);
    expect(await h.services.roles.get(gid)).to.include({ name: 'Atomic', version: before.version });
    expect(json(await scim.get(`/Groups/${gid}`).expect(200)).members.map((m: { value: string }) => m.value)).to.deep.equal([ann]);
    await scim.patch(`/Groups/${gid}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'x', type: 'Group' }] })).expect(400);
    await scim.patch(`/Groups/${gid}`, patchOp({ op: 'remove', path: 'displayName' })).expect(400);
    await scim.patch(`/Groups/${gid}`, patchOp({ op: 'replace', path: 'description', value: 'x' })).expect(400);
  });

  it('handles large member batches and filtered removals', async () => {
    const ids: string[] = [];
    const ops = Array.from({ length: 150 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: user(`bulk${String(i).padStart(3, '0')}`) }));
    const created = json(await scim.post('/Bulk', { schemas: [BULK_REQUEST], Operations: ops }).expect(200));
    for (const o of created.Operations) ids.push(o.location.split('/').pop());
    const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Everyone' }).expect(201)).id;
    await scim.patch(`/Groups/${gid}`, patchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) })).expect(200);
    expect((await h.services.roles.get(gid)).holders).to.equal(150);
    expect(await auditOf(h, 'user.roles_changed')).to.have.length(150);
    // Remove by a filter on display (the member's userName), and by value in one request.
    await scim.patch(`/Groups/${gid}`, patchOp(
      { op: 'remove', path: 'members[display sw "bulk00"]' },
      { op: 'remove', path: `members[value eq "${ids[149]}"]` },
      { op: 'add', path: 'members', value: [{ value: ids[0] }] },
    )).expect(200);
    const members = json(await scim.get(`/Groups/${gid}`).expect(200)).members.map((m: { display: string }) => m.display);
    expect(members).to.have.length(150 - 10 - 1 + 1);
    expect(members).to.include('bulk000');
    expect(members).not.to.include('bulk001');
    expect(members).not.to.include('bulk149');
    // PUT replaces the membership.
    await scim.put(`/Groups/${gid}`, { schemas: [GROUP_URN], displayName: 'Everyone', members: [{ value: ids[5] }] }).expect(200);
    expect((await h.services.roles.get(gid)).holders).to.equal(1);
  });

  it('deleting a group takes the role from its holders, each loss audited', async () => {
    const [ann, ben] = [await newUser('ann'), await newUser('ben')];
    const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Temp', members: [{ value: ann }, { value: ben }] }).expect(201)).id;
    await scim.delete(`/Groups/${gid}`).expect(204);
    expect((await h.services.users.get(ann)).roles).to.deep.equal([]);
    const losses = (await auditOf(h, 'user.roles_changed')).filter((e) => (e.details.removed as string[]).includes('Temp'));
    expect(losses.map((e) => e.target?.label).sort()).to.deep.equal(['ann', 'ben']);
    // Pages still refuse deleting an assigned role without reassigning (the domain rule is unchanged).
    const kept = await h.services.roles.create(h.system(), { name: 'Kept' });
    await h.services.roles.setUserRoles(h.system(), ann, [kept.id]);
    const err = await h.services.roles.delete(h.system(), kept.id).catch((e: Error) => e);
    expect(err).to.have.property('code', 'invalid_transition');
  });
});
