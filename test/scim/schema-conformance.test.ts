// /Schemas tells the truth: walking it, every attribute it lists takes a valid value of its
// type and gives it back, unless its mutability says otherwise (readOnly: ignored;
// writeOnly/returned never: accepted, never returned); a User with only the required
// attributes is created.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { createToken, ENTERPRISE_URN, json, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

type Described = { name: string; type: string; multiValued: boolean; required: boolean; mutability: string; returned: string; uniqueness: string; caseExact?: boolean; canonicalValues?: string[]; subAttributes?: Described[] };

/** Strings whose format RFC 7643 fixes (§4.1.1: language tags, Olson time zones). */
const FORMATTED: Record<string, string> = { locale: 'en-US', preferredLanguage: 'en-US', timezone: 'America/Los_Angeles' };

/** A valid value of an attribute's declared type (formats and canonical values where they constrain it). */
function sample(a: Described, path: string): unknown {
  const one = (): unknown => {
    if (a.canonicalValues?.length && path === 'userType') return a.canonicalValues[0];
    if (FORMATTED[path]) return FORMATTED[path];
    switch (a.type) {
      case 'string': return path.startsWith('emails') && a.name === 'value' ? 'walker@example.com' : `${a.name}-sample`;
      case 'reference': return `https://example.com/${a.name.replace('$', '')}`;
      case 'binary': return 'QUJDRA==';
      case 'boolean': return path === 'active' ? true : a.name === 'primary';
      case 'dateTime': return '2030-01-01T00:00:00Z';
      case 'integer': return 7;
      case 'decimal': return 1.5;
      case 'complex': return Object.fromEntries((a.subAttributes ?? []).filter((s) => s.mutability !== 'readOnly').map((s) => [s.name, sample(s, `${path}.${s.name}`)]));
    }
    throw new Error(`no sample for ${a.type}`);
  };
  return a.multiValued ? [one()] : one();
}

describeEachDatabase('SCIM: /Schemas tells the truth', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Directory'));
  });

  it('says only userName is required for Users, and a User with only it is created', async () => {
    const user = json(await scim.get(`/Schemas/${USER_URN}`).expect(200));
    const required = (user.attributes as Described[]).filter((a) => a.required).map((a) => a.name);
    expect(required).to.deep.equal(['userName']);
    const described = Object.fromEntries((user.attributes as Described[]).map((a) => [a.name, a]));
    expect(described.userName).to.include({ uniqueness: 'server', caseExact: false });
    expect(described.externalId).to.include({ caseExact: true, uniqueness: 'none' });
    expect(described.password).to.include({ mutability: 'writeOnly', returned: 'never' });
    expect(described.groups).to.include({ mutability: 'readOnly' });
    expect(described.id).to.include({ mutability: 'readOnly', returned: 'always' });
    // A UPN-shaped userName doubles as the account's email while emails are optional.
    await scim.post('/Users', { schemas: [USER_URN], userName: 'minimal@example.com' }).expect(201);
    const types = json(await scim.get('/ResourceTypes/User').expect(200));
    expect(types).to.include({ schema: USER_URN, endpoint: '/Users' });
    expect(types.schemaExtensions).to.deep.equal([{ schema: ENTERPRISE_URN, required: false }, { schema: 'urn:gatehouse:params:scim:schemas:extension:2.0:User', required: false }]);
  });

  it('gives back every listed attribute sent with a valid value, per its mutability', async () => {
    const core = json(await scim.get(`/Schemas/${USER_URN}`).expect(200)).attributes as Described[];
    const enterprise = json(await scim.get(`/Schemas/${ENTERPRISE_URN}`).expect(200)).attributes as Described[];
    const sent: Record<string, any> = { schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: {} };
    for (const a of core) sent[a.name] = sample(a, a.name);
    sent.userName = 'walker';
    for (const a of enterprise) sent[ENTERPRISE_URN][a.name] = sample(a, a.name);
    const res = await scim.post("/Users", sent);
    expect(res.status, res.text).to.equal(201);
    const created = json(res);
    const back = json(await scim.get(`/Users/${created.id}`).expect(200));
    const check = (attrs: Described[], got: Record<string, any>, given: Record<string, any>, where: string) => {
      for (const a of attrs) {
        const label = `${where}${a.name}`;
        if (a.returned === 'never') expect(got, label).not.to.have.property(a.name);
        else if (a.mutability === 'readOnly') expect(got[a.name], label).not.to.deep.equal(given[a.name]);
        else expect(got[a.name], label).to.deep.equal(given[a.name]);
      }
    };
    for (const resource of [created, back]) {
      check(core, resource, sent, '');
      check(enterprise, resource[ENTERPRISE_URN], sent[ENTERPRISE_URN], 'enterprise:');
    }
  });

  it('describes Groups truthfully: displayName required, members of users', async () => {
    const group = json(await scim.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group').expect(200));
    const required = (group.attributes as Described[]).filter((a) => a.required).map((a) => a.name);
    expect(required).to.deep.equal(['displayName']);
    const all = json(await scim.get('/Schemas').expect(200));
    expect(all.Resources.map((s: { id: string }) => s.id)).to.have.members([USER_URN, ENTERPRISE_URN, 'urn:gatehouse:params:scim:schemas:extension:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:Group']);
  });
});
