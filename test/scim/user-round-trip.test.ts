// What a directory sends comes back (RFC 7643 §8.2, §8.3 Users through POST, PUT and
// PATCH), multi-valued attributes as sent, at most one primary per attribute.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { createToken, ENTERPRISE_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';
import { comparable, enterpriseUser, fullUser } from './rfc-users.js';

describeEachDatabase('SCIM: the whole User round trip', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Directory'));
  });
  const get = async (id: string) => json(await scim.get(`/Users/${id}`).expect(200));

  it('POST then GET returns the full User of RFC 7643 §8.2 and the enterprise User of §8.3', async () => {
    for (const sent of [fullUser('bjensen'), enterpriseUser('ejensen')]) {
      const created = json(await scim.post('/Users', sent).expect(201));
      expect(comparable(created)).to.deep.equal(comparable(sent));
      expect(comparable(await get(created.id))).to.deep.equal(comparable(sent));
      expect(created).not.to.have.property('password');
    }
    // The account's email and phone are chosen from the values: primary, else work (then mobile), else first.
    const account = await h.services.users.findByLogin('bjensen');
    expect(account).to.include({ email: 'bjensen@example.com', phone: '555-555-5555' });
    // roles and entitlements are data: they grant nothing.
    expect(account!.roles).to.deep.equal([]);
  });

  it('PUT replaces: the whole User comes back, and what a later PUT omits is cleared', async () => {
    const created = json(await scim.post('/Users', { schemas: [USER_URN], userName: 'putter', emails: [{ value: 'putter@example.com', type: 'work' }] }).expect(201));
    const full = enterpriseUser('putter');
    expect(comparable(json(await scim.put(`/Users/${created.id}`, full).expect(200)))).to.deep.equal(comparable(full));
    expect(comparable(await get(created.id))).to.deep.equal(comparable(full));
    const { addresses: _a, nickName: _n, ims: _i, [ENTERPRISE_URN]: _e, name: _name, ...smaller } = full;
    const fewer = { ...smaller, schemas: [USER_URN], name: { givenName: 'Barbara' } };
    expect(comparable(json(await scim.put(`/Users/${created.id}`, fewer).expect(200)))).to.deep.equal(comparable(fewer));
    expect(comparable(await get(created.id))).to.deep.equal(comparable(fewer));
    expect(await h.services.users.get(created.id)).to.include({ nickName: null, nameFormatted: null, department: null, managerDisplayName: null });
  });

  it('ignores read-only attributes on input (RFC 7643 §2.2) and refuses two primary values', async () => {
    const sent = { ...fullUser('ro'), id: 'mine', meta: { created: '2000-01-01T00:00:00Z' }, groups: [{ value: 'g1', display: 'Admins' }] };
    const created = json(await scim.post('/Users', sent).expect(201));
    expect(created.id).not.to.equal('mine');
    expect(created.groups).to.deep.equal([]);
    const twoPrimaries = { ...fullUser('twice'), phoneNumbers: [{ value: '1', primary: true }, { value: '2', primary: true }] };
    const res = await scim.post('/Users', twoPrimaries).expect(400);
    expect(json(res)).to.include({ scimType: 'invalidValue' });
    expect(await h.services.users.findByLogin('twice')).to.equal(null);
  });

  it('PATCH add, replace and remove work on each multi-valued attribute and its value paths', async () => {
    const created = json(await scim.post('/Users', fullUser('patcher')).expect(201));
    let expected = comparable(created);
    const patch = async (...ops: unknown[]) => {
      const res = json(await scim.patch(`/Users/${created.id}`, patchOp(...ops)).expect(200));
      expect(comparable(res)).to.deep.equal(expected);
      expect(comparable(await get(created.id))).to.deep.equal(expected);
    };
    const samples: Record<string, { type: string; value: Record<string, unknown>; sub: string; subValue: string }> = {
      emails: { type: 'other', value: { value: 'other@example.net', type: 'other' }, sub: 'value', subValue: 'changed@example.net' },
      phoneNumbers: { type: 'fax', value: { value: '555-555-0000', type: 'fax' }, sub: 'value', subValue: '555-555-1111' },
      ims: { type: 'xmpp', value: { value: 'babs@jabber.example', type: 'xmpp' }, sub: 'value', subValue: 'bj@jabber.example' },
      photos: { type: 'photo2', value: { value: 'https://photos.example.com/2', type: 'photo2' }, sub: 'display', subValue: 'Second photo' },
      addresses: { type: 'other', value: { type: 'other', locality: 'Burbank', formatted: 'Line 1\nLine 2' }, sub: 'locality', subValue: 'Glendale' },
      entitlements: { type: 'badge', value: { value: 'gold', type: 'badge' }, sub: 'value', subValue: 'silver' },
      roles: { type: 'team', value: { value: 'lead', type: 'team' }, sub: 'display', subValue: 'Team lead' },
      x509Certificates: { type: 'signing', value: { value: 'QUJDRA==', type: 'signing' }, sub: 'value', subValue: 'RUZHSA==' },
    };
    for (const [attribute, s] of Object.entries(samples)) {
      expected = { ...expected, [attribute]: [...(expected[attribute] ?? []), s.value] };
      await patch({ op: 'add', path: attribute, value: [s.value] });
      expected = { ...expected, [attribute]: expected[attribute].map((v: any) => (v.type === s.type ? { ...v, [s.sub]: s.subValue } : v)) };
      await patch({ op: 'replace', path: `${attribute}[type eq "${s.type}"].${s.sub}`, value: s.subValue });
      expected = { ...expected, [attribute]: expected[attribute].filter((v: any) => v.type !== s.type) };
      await patch({ op: 'remove', path: `${attribute}[type eq "${s.type}"]` });
    }
    // A value path naming a value that does not exist yet adds it (as Entra sends a new mobile number).
    expected = { ...expected, addresses: [...expected.addresses, { type: 'billing', postalCode: '10001' }] };
    await patch({ op: 'replace', path: 'addresses[type eq "billing"].postalCode', value: '10001' });
    // A new primary value takes "primary" from the others (RFC 7643 §2.4).
    expected = { ...expected, emails: [{ ...expected.emails[0], primary: false }, expected.emails[1], { value: 'new@example.org', type: 'work', primary: true }] };
    await patch({ op: 'add', path: 'emails', value: [{ value: 'new@example.org', type: 'work', primary: true }] });
    expect((await h.services.users.get(created.id)).email).to.equal('new@example.org');
    // Removing a whole attribute.
    const { x509Certificates: _x, ...withoutCertificates } = expected;
    expected = withoutCertificates;
    await patch({ op: 'remove', path: 'x509Certificates' });
  });

  it('keeps the stored values following an email or phone changed outside SCIM', async () => {
    const created = json(await scim.post('/Users', fullUser('follower')).expect(201));
    await h.services.users.update(h.system(), created.id, { email: 'moved@example.com', phone: '+44 20 7946 0000' }, { origin: 'directory' });
    const after = await get(created.id);
    expect(after.emails).to.deep.equal([{ value: 'moved@example.com', type: 'work', primary: true }, created.emails[1]]);
    expect(after.phoneNumbers).to.deep.equal([{ value: '+44 20 7946 0000', type: 'work' }, created.phoneNumbers[1]]);
    const filtered = json(await scim.get(`/Users?filter=${encodeURIComponent('emails.value eq "moved@example.com"')}`).expect(200));
    expect(filtered.totalResults).to.equal(1);
  });

  it('exposes the primary address and phone for OIDC claims', async () => {
    const created = json(await scim.post('/Users', fullUser('claims')).expect(201));
    expect(await h.services.users.primaryValue(created.id, 'addresses')).to.include({ locality: 'Hollywood', streetAddress: '100 Universal City Plaza' });
    expect(await h.services.users.primaryValue(created.id, 'phoneNumbers')).to.include({ value: '555-555-5555' });
  });
});
