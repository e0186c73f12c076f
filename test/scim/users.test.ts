// The Users endpoint's semantics beyond the directory replays: atomic PATCH, PUT's
// replacement, deprovisioning through the AccessRevoker, owner protection, credentials per
// the `provisionedCredentialMode` setting, and RFC 7644 PATCH details.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditOf, createToken, ENTERPRISE_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const user = (n: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }], ...extra });

describeEachDatabase('SCIM: users', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h, 'Directory'));
  });
  const create = async (n: string, extra: Record<string, unknown> = {}) => json(await scim.post('/Users', user(n, extra)).expect(201));

  it('applies a PATCH atomically: one failing operation changes nothing', async () => {
    const u = await create('atomic', { title: 'Before' });
    await create('other');
    for (const bad of [
      patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'emails[type eq "work"].value', value: 'not an email' }),
      patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'userName', value: 'OTHER' }),
      patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'nickName.x', value: 1 }),
    ]) {
      const res = await scim.patch(`/Users/${u.id}`, bad);
      expect(res.status, res.text).to.be.oneOf([400, 409]);
    }
    const after = await h.services.users.get(u.id);
    expect(after).to.include({ title: 'Before', status: 'active', username: 'atomic' });
    expect(`W/"${after.version}"`).to.equal(u.meta.version);
    expect(h.revoker.calls).to.deep.equal([]);
  });

  it('follows RFC 7644 PATCH: replace merges complex values, replaces lists; remove clears; add of a primary value wins', async () => {
    const u = await create('rfc', { name: { givenName: 'Ann', familyName: 'Lee' }, phoneNumbers: [{ value: '+44 1', type: 'work' }], [ENTERPRISE_URN]: { department: 'Ops', employeeNumber: '1' } });
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'name', value: { familyName: 'Ng' } })).expect(200);
    expect(await h.services.users.get(u.id)).to.include({ givenName: 'Ann', familyName: 'Ng' });
    // A path-less replace of a multi-valued attribute replaces it (scimmy's PatchOp appends).
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { emails: [{ value: 'new@example.com', type: 'work' }] } })).expect(200);
    expect((await h.services.users.get(u.id)).email).to.equal('new@example.com');
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: 'newer@example.com', type: 'work', primary: true }] })).expect(200);
    expect((await h.services.users.get(u.id)).email).to.equal('newer@example.com');
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'remove', path: 'phoneNumbers' }, { op: 'remove', path: 'name.givenName' }, { op: 'remove', path: `${ENTERPRISE_URN}:department` })).expect(200);
    expect(await h.services.users.get(u.id)).to.include({ phone: null, givenName: null, department: null, employeeNumber: '1' });
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'add', value: { [ENTERPRISE_URN]: { department: 'R&D' }, preferredLanguage: 'de-DE' } })).expect(200);
    const res = json(await scim.get(`/Users/${u.id}`).expect(200));
    expect(res[ENTERPRISE_URN]).to.deep.equal({ employeeNumber: '1', department: 'R&D' });
    // preferredLanguage and locale are two attributes (RFC 7643 §4.1.1): one does not set the other.
    expect(res).to.include({ preferredLanguage: 'de-DE' });
    expect(res).not.to.have.property('locale');
    // Removing a manager Entra-style, and an unchanged PATCH still answers 200.
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'Remove', path: `${ENTERPRISE_URN}:manager` })).expect(200);
    const before = (await h.services.users.get(u.id)).version;
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: null })).expect(200);
    expect((await h.services.users.get(u.id)).version).to.equal(before);
  });

  it('deprovisions: active=false through PUT deactivates and revokes, DELETE deletes and revokes', async () => {
    const u = await create('leaver');
    await scim.put(`/Users/${u.id}`, user('leaver', { active: false })).expect(200);
    expect(await h.services.users.get(u.id)).to.include({ status: 'inactive', deactivationReason: 'Deactivated by the directory (SCIM active=false).' });
    expect(h.revoker.calls).to.deep.equal([{ userId: u.id, reason: 'deactivated', inTransaction: true }]);
    await scim.delete(`/Users/${u.id}`).expect(204);
    expect(h.revoker.calls[1]).to.deep.equal({ userId: u.id, reason: 'deleted', inTransaction: true });
    const [deactivated] = await auditOf(h, 'user.deactivated');
    expect(deactivated).to.include({ actorLabel: 'Directory', source: 'scim' });
  });

  it('a revoker failure rolls the deactivation back', async () => {
    const u = await create('sticky');
    h.revoker.failWith = new Error('token store down');
    const res = await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expect(res.status).to.equal(500);
    expect((await h.services.users.get(u.id)).status).to.equal('active');
  });

  it('cannot deactivate or delete the owner', async () => {
    const owner = await h.services.users.createOwner(h.system(), { email: 'owner@example.com', username: 'owner' }, 'a long owner passphrase');
    expect((await scim.patch(`/Users/${owner.id}`, patchOp({ op: 'replace', path: 'active', value: false }))).status).to.equal(403);
    expect((await scim.delete(`/Users/${owner.id}`)).status).to.equal(403);
    expect((await h.services.users.get(owner.id)).status).to.equal('active');
  });

  it('confirms an unconfirmed account when the directory sets active=true', async () => {
    const pending = await h.services.users.create(h.system(), { email: 'pending@example.com' }, { source: 'admin', origin: 'page', status: 'unconfirmed' });
    const res = json(await scim.get(`/Users/${pending.id}`).expect(200));
    expect(res.active).to.equal(false);
    await scim.patch(`/Users/${pending.id}`, patchOp({ op: 'replace', value: { active: true } })).expect(200);
    expect((await h.services.users.get(pending.id)).status).to.equal('active');
  });

  it('handles credentials per provisionedCredentialMode, never returning a password', async () => {
    expect((await h.services.settings.get('provisionedCredentialMode'))).to.equal('scim_password');
    const res = await scim.post('/Users', user('weak', { password: 'short' }));
    expect(res.status).to.equal(400);
    expect(json(res).scimType).to.equal('invalidValue');
    const u = await create('strong', { password: 'correct horse battery' });
    expect(await h.services.users.passwordHashOf(u.id)).to.match(/^\$argon2id\$/);
    await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'password', value: 'another long secret' })).expect(200);
    expect(await auditOf(h, 'user.password_set')).to.have.length(1);
    for (const r of [await scim.get(`/Users/${u.id}`), await scim.get('/Users'), await scim.get(`/Users/${u.id}?attributes=password`)]) expect(r.text).not.to.match(/password/i);

    await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'activation_email');
    const a = await create('activated', { password: 'not stored in this mode' });
    expect(await h.services.users.passwordHashOf(a.id)).to.equal(null);
  });

  it('activation_email mode mails a new active account a 72-hour set-password link, in the creating transaction', async () => {
    await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'activation_email');
    const linkOf = async (address: string) => {
      await h.services.mailWorker.runOnce();
      const mails = h.mail.to(address).filter((m) => m.subject.includes('Set your'));
      const match = /http:\/\/gatehouse\.test\/password\/reset\?token=([A-Za-z0-9_%-]+)/.exec(mails.at(-1)?.text ?? '');
      return { count: mails.length, token: match ? decodeURIComponent(match[1]!) : null, text: mails.at(-1)?.text ?? '' };
    };

    const u = await create('newcomer');
    const mail = await linkOf('newcomer@example.com');
    expect(mail.count).to.equal(1);
    expect(mail.token).to.not.equal(null);
    expect(mail.text).to.include('newcomer').and.to.include('for 72 hours');
    expect(await auditOf(h, 'password.activation_sent')).to.have.length(1);
    // The link sets the first password; the account then signs in with it.
    h.clock.advance(71 * 3_600_000);
    await h.services.passwordResets.reset(h.system(), mail.token!, 'a brand new passphrase');
    const account = await h.services.signIn.authenticate(h.system(), 'newcomer', 'a brand new passphrase');
    expect(account.id).to.equal(u.id);

    // An account created inactive gets no link; neither does a refused creation (rolled back whole).
    await create('dormant', { active: false });
    expect((await linkOf('dormant@example.com')).count).to.equal(0);
    await h.services.seats.setLimit(h.system(), 'user', 1);
    await scim.post('/Users', user('refused')).expect(403);
    expect((await linkOf('refused@example.com')).count).to.equal(0);
    expect(await auditOf(h, 'password.activation_sent')).to.have.length(1);

    // An unused link says how long it lived once it has expired.
    await h.services.seats.setLimit(h.system(), 'user', null);
    await create('late');
    const late = await linkOf('late@example.com');
    h.clock.advance(73 * 3_600_000);
    const expired = await h.services.passwordResets.check(late.token!).catch((e: Error) => e);
    expect((expired as Error).message).to.include('Links work for 72 hours.');
  });

  it('returns only the requested attributes on writes, and the Location of a new user', async () => {
    const res = await scim.post('/Users?attributes=userName', user('picky', { title: 'T' })).expect(201);
    expect(json(res)).to.deep.equal({ schemas: [USER_URN], id: json(res).id, userName: 'picky' });
    expect(res.headers.location).to.equal(`http://gatehouse.test/scim/v2/Users/${json(res).id}`);
  });

  it('accepts directory user names (UPNs, spaces inside) and keeps them as sent', async () => {
    const u = await create('Ada Lovelace@contoso.onmicrosoft.com', { emails: [{ value: 'ada@contoso.com', primary: true }] });
    expect(u.userName).to.equal('Ada Lovelace@contoso.onmicrosoft.com');
    const found = json(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ada lovelace@contoso.onmicrosoft.com"')}`).expect(200));
    expect(found.totalResults).to.equal(1);
  });
});
