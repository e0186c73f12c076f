// Group round trips: what a client POSTs, PUTs or PATCHes into a Group's members comes back
// on GET with value, display, $ref and type, and /Schemas describes exactly that — members
// are Users (no nested groups), their sub-attributes never change in place, and display is
// the member's userName, kept by the server.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { createToken, GROUP_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const BASE = 'http://gatehouse.test/scim/v2';

interface Member {
  value: string;
  display: string;
  $ref: string;
  type: string;
}

describeEachDatabase('SCIM: group members round trip', (h) => {
  let scim: ScimClient;
  const ids: Record<string, string> = {};
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Directory'));
    for (const n of ['ann', 'ben', 'cat']) {
      const body = { schemas: [USER_URN], userName: `${n}@corp.example`, displayName: `${n.toUpperCase()} Person`, emails: [{ value: `${n}@corp.example`, type: 'work', primary: true }] };
      ids[n] = json(await scim.post('/Users', body).expect(201)).id;
    }
  });
  const expected = (...names: string[]): Member[] =>
    names.map((n) => ({ value: ids[n]!, display: `${n}@corp.example`, $ref: `${BASE}/Users/${ids[n]}`, type: 'User' }));
  const membersOf = async (gid: string): Promise<Member[]> => {
    const members = (json(await scim.get(`/Groups/${gid}`).expect(200)).members ?? []) as Member[];
    return [...members].sort((a, b) => a.display.localeCompare(b.display));
  };

  it('returns on GET the members POST, PUT and PATCH set, each with value, display, $ref and type', async () => {
    let res = await scim.post('/Groups', {
      schemas: [GROUP_URN],
      displayName: 'Engineering',
      members: [
        { value: ids.ann, display: 'ann@corp.example', $ref: `${BASE}/Users/${ids.ann}`, type: 'User' },
        { value: ids.ben },
      ],
    }).expect(201);
    const gid = json(res).id as string;
    expect([...json(res).members].sort((a: Member, b: Member) => a.display.localeCompare(b.display))).to.deep.equal(expected('ann', 'ben'));
    expect(await membersOf(gid)).to.deep.equal(expected('ann', 'ben'));

    // PUT with a relative $ref: it names the same User.
    res = await scim.put(`/Groups/${gid}`, { schemas: [GROUP_URN], displayName: 'Engineering', members: [{ value: ids.cat, $ref: `Users/${ids.cat}`, type: 'User' }] });
    expect(res.status, res.text).to.equal(200);
    expect(json(res).members).to.deep.equal(expected('cat'));
    expect(await membersOf(gid)).to.deep.equal(expected('cat'));

    await scim.patch(`/Groups/${gid}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids.ann, type: 'User', $ref: null }] })).expect(200);
    expect(await membersOf(gid)).to.deep.equal(expected('ann', 'cat'));
    await scim.patch(`/Groups/${gid}`, patchOp({ op: 'remove', path: 'members[type eq "User" and display eq "CAT@corp.example"]' })).expect(200);
    expect(await membersOf(gid)).to.deep.equal(expected('ann'));
  });

  it('keeps display as the member userName, whatever display a client sends, and follows a renamed account', async () => {
    const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Sales', members: [{ value: ids.ann, display: 'Somebody Else' }] }).expect(201)).id as string;
    expect(await membersOf(gid)).to.deep.equal(expected('ann'));
    await scim.patch(`/Users/${ids.ann}`, patchOp({ op: 'replace', path: 'userName', value: 'ann.new@corp.example' })).expect(200);
    expect((await membersOf(gid)).map((m) => m.display)).to.deep.equal(['ann.new@corp.example']);
  });

  it('refuses members that are not this server\'s Users, and in-place changes of a member, leaving the group as it was', async () => {
    const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Fixed', members: [{ value: ids.ann }] }).expect(201)).id as string;
    const version = (await h.services.roles.get(gid)).version;
    for (const member of [
      { value: ids.ben, type: 'Group' },
      { value: ids.ben, type: 'Robot' },
      { value: ids.ben, $ref: `${BASE}/Groups/${ids.ben}` },
      { value: ids.ben, $ref: `${BASE}/Users/${ids.cat}` },
      { value: ids.ben, $ref: 42 },
      { display: 'ben@corp.example' },
    ]) {
      const res = await scim.patch(`/Groups/${gid}`, patchOp({ op: 'add', path: 'members', value: [member] }));
      expect(res.status, JSON.stringify(member)).to.equal(400);
      expect(json(res).scimType, JSON.stringify(member)).to.equal('invalidValue');
    }
    const put = await scim.put(`/Groups/${gid}`, { schemas: [GROUP_URN], displayName: 'Fixed', members: [{ value: ids.ben, type: 'Group' }] });
    expect(put.status).to.equal(400);
    for (const path of [`members[value eq "${ids.ann}"].display`, 'members.type', `members[value eq "${ids.ann}"].value`]) {
      const res = await scim.patch(`/Groups/${gid}`, patchOp({ op: 'replace', path, value: 'x' }));
      expect(res.status, path).to.equal(400);
      expect(json(res).scimType, path).to.equal('mutability');
    }
    expect(await membersOf(gid)).to.deep.equal(expected('ann'));
    expect((await h.services.roles.get(gid)).version).to.equal(version);
  });

  it('filters groups on every member sub-attribute', async () => {
    const both = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Both', members: [{ value: ids.ann }, { value: ids.ben }] }).expect(201)).id;
    const annOnly = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'AnnOnly', members: [{ value: ids.ann }] }).expect(201)).id;
    const empty = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Empty' }).expect(201)).id;
    const found = async (filter: string) => {
      const res = json(await scim.get(`/Groups?filter=${encodeURIComponent(filter)}&excludedAttributes=members`).expect(200));
      return (res.Resources as Array<{ id: string }>).map((g) => g.id).filter((id) => [both, annOnly, empty].includes(id)).sort();
    };
    expect(await found(`members.value eq "${ids.ben}"`)).to.deep.equal([both]);
    expect(await found('members.display eq "ANN@corp.example"')).to.deep.equal([both, annOnly].sort());
    expect(await found('members[display sw "ben" and type eq "User"]')).to.deep.equal([both]);
    expect(await found('members.type eq "User"')).to.deep.equal([both, annOnly].sort());
    expect(await found('not (members pr)')).to.deep.equal([empty]);
    // $ref as GET returns it: the member's absolute User URI, compared case-exactly.
    expect(await found(`members.$ref eq "${BASE}/Users/${ids.ben}"`)).to.deep.equal([both]);
    expect(await found(`members[$ref eq "${BASE}/Users/${ids.ann}"]`)).to.deep.equal([both, annOnly].sort());
    expect(await found(`members.$ref eq "${BASE.toUpperCase()}/Users/${ids.ann}"`)).to.deep.equal([]);
    expect(await found(`members.$ref sw "${BASE}/Users/"`)).to.deep.equal([both, annOnly].sort());
    expect(await found(`members.$ref ew "${ids.ben}"`)).to.deep.equal([both]);
    expect(await found(`members.$ref eq "Users/${ids.ann}"`)).to.deep.equal([]);
  });

  it('describes the Group schema as it behaves, and creates a group from its required attributes alone', async () => {
    const schema = json(await scim.get(`/Schemas/${GROUP_URN}`).expect(200));
    const attr = (name: string) => (schema.attributes as Array<Record<string, any>>).find((a) => a.name === name)!;
    expect(attr('displayName')).to.include({ required: true, uniqueness: 'server', caseExact: false, mutability: 'readWrite' });
    const subs = Object.fromEntries((attr('members').subAttributes as Array<Record<string, any>>).map((s) => [s.name, s]));
    expect(Object.keys(subs)).to.have.members(['value', 'display', '$ref', 'type']);
    expect(subs.value).to.include({ required: true, caseExact: true, mutability: 'immutable' });
    expect(subs.display).to.include({ mutability: 'readOnly', returned: 'default' });
    expect(subs.$ref).to.include({ type: 'reference', mutability: 'immutable' });
    expect(subs.$ref.referenceTypes).to.deep.equal(['User']);
    expect(subs.type).to.include({ mutability: 'immutable' });
    expect(subs.type.canonicalValues).to.deep.equal(['User']);

    const required = Object.fromEntries((schema.attributes as Array<{ name: string; required: boolean }>).filter((a) => a.required).map((a) => [a.name, 'Minimal']));
    const created = json(await scim.post('/Groups', { schemas: [GROUP_URN], ...required }).expect(201));
    expect(created).to.include({ displayName: 'Minimal' });
    // displayName is unique without regard to case.
    const clash = await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'MINIMAL' }).expect(409);
    expect(json(clash).scimType).to.equal('uniqueness');
  });
});
