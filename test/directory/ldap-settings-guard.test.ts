// Whoever decides where the LDAP directory is and how it is read decides who signs in as its
// accounts. An admin with directory.manage who could not manage every account the directory
// signs in may not change its server, bind or mapping (403 on the settings page, audited as
// access.refused, nothing saved), nor send the stored bind password to another server with
// "Test connection", nor map a directory group to a role they do not hold; other settings
// still save. With a second slapd holding the same entry under the attacker's password: the
// takeover fails.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { asBuiltIn, asCustom } from '../admin/admin-kit.js';
import { rejection } from '../accounts/account-fixtures.js';
import { InvalidCredentials } from '../../src/signin/sign-in-service.js';
import { DEFAULT_LDAP_SETTINGS } from '../../src/directory/ldap-settings.js';
import { LdapTestServer, ROOT_DN, ROOT_PASSWORD } from '../helpers/ldap-server.js';
import { byUsername, configure, nextOu, sync, withLdapServer } from './directory-fixtures.js';

const STORED = { url: 'ldap://ldap.corp.example:389', bindDn: ROOT_DN, baseDn: 'ou=people,dc=example,dc=com' };

/** The settings form as the page posts it. */
function form(overrides: Record<string, string> = {}): Record<string, string> {
  const a = DEFAULT_LDAP_SETTINGS.attributes;
  return {
    ...STORED,
    filter: DEFAULT_LDAP_SETTINGS.filter,
    attr_username: a.username, attr_email: a.email, attr_givenName: a.givenName, attr_familyName: a.familyName, attr_displayName: a.displayName,
    attr_phone: a.phone, attr_department: a.department, attr_title: a.title, attr_externalId: a.externalId,
    kindMode: 'none', intervalMinutes: '0', groupDn_0: '', roleId_0: '', bindSecret: '', action: 'save',
    ...overrides,
  };
}

async function refusals(h: Harness) {
  return (await h.services.audit.recent(50)).filter((e) => e.action === 'access.refused');
}

describeEachDatabase('LDAP settings: changing where the directory signs in needs dominance over its accounts', (h) => {
  it('refuses a directory.manage admin who does not dominate an LDAP-sourced admin (403, audited, nothing saved); other fields save; an Admin may', async () => {
    await h.services.directory.ldapSettings.save(h.system(), { ...DEFAULT_LDAP_SETTINGS, ...STORED, bindSecret: 'stored bind password' });
    const admin = await h.services.roles.builtin('admin');
    const lena = await h.services.users.create(h.system(), { username: 'lena', email: 'lena@corp.example' }, { source: 'ldap', origin: 'directory', roleIds: [admin.id] });
    await h.services.models.LdapAccount.create({ userId: lena.id, dn: 'uid=lena,ou=people,dc=example,dc=com', fingerprint: '0'.repeat(64), userVersion: 0, syncedAt: h.clock.now() });
    const actor = await asCustom(h, ['directory.manage']);

    const refused = await actor.post('/admin/directory/ldap', form({ url: 'ldap://attacker.example:389' }));
    expect(refused.status).to.equal(403);
    expect(refused.text).to.include('only someone who could manage every one of them may change them');
    expect(refused.text).to.include('lena');
    expect((await h.services.directory.ldapSettings.get()).settings.url).to.equal(STORED.url);
    const [event] = await refusals(h);
    expect(event?.target?.id).to.equal(lena.id);
    expect(event?.details).to.include({ change: 'identity_link' });

    // The bind password alone, the filter, the attribute mapping: each refused the same way.
    const changes: Array<Record<string, string>> = [{ bindSecret: 'new password' }, { filter: '(uid=*)' }, { attr_email: 'otherMail' }, { baseDn: 'dc=example,dc=com' }];
    // Nor what the next sync sets on those accounts: their seat pool (kind mapping).
    changes.push({ kindMode: 'attribute', kindAttribute: 'employeeType', kindValue: 'requester' });
    for (const change of changes) {
      expect((await actor.post('/admin/directory/ldap', form(change))).status, JSON.stringify(change)).to.equal(403);
    }
    // "Test connection" does not send the stored password to another server either.
    const tested = await actor.post('/admin/directory/ldap', form({ url: 'ldap://attacker.example:389', action: 'test' }));
    expect(tested.status).to.equal(403);
    expect(await refusals(h)).to.have.length(7);
    // Nor map a directory group to a role carrying permissions the actor does not hold.
    const mapped = await actor.post('/admin/directory/ldap', form({ groupDn_0: 'cn=admins,ou=groups,dc=example,dc=com', roleId_0: admin.id }));
    expect(mapped.status).to.equal(400);
    expect(mapped.text).to.include('You cannot map a group to this role: it carries permissions you do not hold (');
    expect((await h.services.directory.ldapSettings.get()).settings.groupRoles).to.deep.equal([]);

    // Settings that do not decide who signs in still save, and record who saved them.
    expect((await actor.post('/admin/directory/ldap', form({ intervalMinutes: '60' }))).status).to.equal(303);
    expect((await h.services.directory.ldapSettings.get()).settings.intervalMinutes).to.equal(60);
    expect((await h.services.models.LdapConfig.findByPk('default'))!.configuredBy).to.equal(actor.user!.id);

    // An Admin holds what lena holds: may move the directory.
    const peer = await asBuiltIn(h, 'admin');
    expect((await peer.post('/admin/directory/ldap', form({ url: 'ldap://ldap2.corp.example:389', intervalMinutes: '60' }))).status).to.equal(303);
    expect((await h.services.directory.ldapSettings.get()).settings.url).to.equal('ldap://ldap2.corp.example:389');
    expect((await h.services.models.LdapConfig.findByPk('default'))!.configuredBy).to.equal(peer.user!.id);
  });
});

const REAL_PASSWORD = 'dana real directory password';
const ATTACKER_PASSWORD = 'chosen by the attacker';

withLdapServer({}, (ldap) => {
  describeEachDatabase('LDAP settings: pointing the directory at another server to sign in as its accounts', (h) => {
    it('fails: the LDAP-synced admin still signs in only with her own directory password', async function () {
      this.timeout(60_000);
      const ouName = nextOu('g');
      const ou = await ldap.server.addOu(ouName);
      await ldap.server.addPerson(ou, { uid: 'dana', givenName: 'Dana', sn: 'Scully', mail: 'dana@corp.example', password: REAL_PASSWORD });
      await configure(h, ldap.server, { baseDn: ou });
      expect((await sync(h)).created).to.equal(1);
      const dana = await byUsername(h, 'dana');
      await h.services.roles.setUserRoles(h.system(), dana.id, [(await h.services.roles.builtin('admin')).id]);

      const evil = await LdapTestServer.start();
      try {
        await evil.addPerson(await evil.addOu(ouName), { uid: 'dana', givenName: 'Dana', sn: 'Scully', mail: 'dana@corp.example', password: ATTACKER_PASSWORD });
        const attacker = await asCustom(h, ['directory.manage']);
        const res = await attacker.post('/admin/directory/ldap', form({ url: evil.url, baseDn: ou, bindSecret: ROOT_PASSWORD }));
        expect(res.status).to.equal(403);
        expect((await h.services.directory.ldapSettings.get()).settings.url).to.equal(ldap.server.url);

        const ctx = { actor: { userId: null, label: 'anonymous', permissions: new Set<string>() }, source: 'oidc' as const, ip: '198.51.100.9' };
        await rejection(h.services.signIn.authenticate(ctx, 'dana', ATTACKER_PASSWORD), InvalidCredentials);
        expect((await h.services.signIn.authenticate(ctx, 'dana', REAL_PASSWORD)).id).to.equal(dana.id);
      } finally {
        await evil.destroy();
      }
    });
  });
});
