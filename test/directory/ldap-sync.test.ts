// LDAP sync against a real slapd: attribute, kind and group→role mapping;
// create, update, skip unchanged, deactivate missing, reactivate on return; seats taken in
// directory order with per-row outcomes (the licence table scenarios); a directory that is
// down; one runner at a time and the schedule.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { rejection } from '../accounts/account-fixtures.js';
import { SyncAlreadyRunning } from '../../src/directory/ldap-sync-service.js';
import { ROOT_PASSWORD } from '../helpers/ldap-server.js';
import { byUsername, configure, ldapSettings, ldapUsers, nextOu, resultRows, sync, withLdapServer } from './directory-fixtures.js';


withLdapServer({}, (ldap) => {
  describeEachDatabase('LDAP sync', (h) => {
    async function person(ou: string, uid: string, extra: Record<string, string> = {}) {
      return ldap.server.addPerson(ou, { uid, givenName: uid[0]!.toUpperCase() + uid.slice(1), sn: 'Doe', mail: `${uid}@corp.example`, ...extra });
    }

    it('maps attributes, the requester kind and groups to roles, as the sync (source ldap)', async () => {
      const ou = await ldap.server.addOu(nextOu());
      const alice = await person(ou, 'alice', { title: 'Engineer', telephoneNumber: '+44 20 7946 0958', departmentNumber: 'R&D', displayName: 'Alice D.', employeeType: 'staff' });
      await person(ou, 'bob', { employeeType: 'requester' });
      const admins = await ldap.server.addGroup(ou, 'admins', [alice]);
      const adminRole = await h.services.roles.builtin('admin');
      await configure(h, ldap.server, {
        baseDn: ou,
        kind: { mode: 'attribute', attribute: 'employeeType', value: 'Requester', groupDn: '' },
        groupRoles: [{ groupDn: admins, roleId: adminRole.id }],
      });

      const run = await sync(h);
      expect(run.status, run.message ?? '').to.equal('completed');
      expect([run.created, run.updated, run.blocked, run.failed]).to.deep.equal([2, 0, 0, 0]);
      const a = await byUsername(h, 'alice');
      expect(a).to.include({ email: 'alice@corp.example', givenName: 'Alice', familyName: 'Doe', displayName: 'Alice D.', title: 'Engineer', phone: '+44 20 7946 0958', department: 'R&D', kind: 'user', source: 'ldap', status: 'active', hasPassword: false });
      // Kept under the LDAP sync's own provisioning connection.
      expect(a.externalIds.map((x) => [x.connectionId, x.connection])).to.deep.equal([['ldap', 'LDAP directory']]);
      expect(a.externalIds[0]!.value).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(a.roles.map((r) => r.name)).to.deep.equal(['Admin']);
      const b = await byUsername(h, 'bob');
      expect(b.kind).to.equal('requester');
      expect(b.roles).to.deep.equal([]);
      // Audited with the sync as actor.
      const created = (await h.services.audit.recent(50)).filter((e) => e.action === 'user.created');
      expect(created.map((e) => [e.actorLabel, e.source])).to.deep.equal([['LDAP sync', 'ldap'], ['LDAP sync', 'ldap']]);
      const done = (await h.services.audit.recent(50)).find((e) => e.action === 'directory.sync_completed')!;
      expect(done).to.include({ actorLabel: 'LDAP sync', source: 'ldap' });
      expect(done.details).to.include({ runId: run.id, created: 2 });
      expect((await resultRows(h, run.id)).map((r) => [r.position, r.outcome, r.label])).to.deep.equal([[1, 'created', 'alice'], [2, 'created', 'bob']]);
    });

    it('updates changed entries, skips unchanged ones without a write, deactivates missing ones and reactivates them on return', async () => {
      const ou = await ldap.server.addOu(nextOu());
      const alice = await person(ou, 'alice');
      const bob = await person(ou, 'bob');
      await person(ou, 'carol');
      await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true });
      expect((await sync(h)).created).to.equal(3);
      const before = await byUsername(h, 'carol');

      await ldap.server.replace(alice, 'title', ['Head of Sales']);
      await ldap.server.remove(bob);
      const second = await sync(h);
      expect([second.created, second.updated, second.unchanged, second.deactivated, second.failed]).to.deep.equal([0, 1, 1, 1, 0]);
      expect((await byUsername(h, 'alice')).title).to.equal('Head of Sales');
      const gone = await byUsername(h, 'bob');
      expect(gone).to.include({ status: 'inactive', deactivationReason: 'Not in the directory any more (LDAP sync).' });
      expect(h.revoker.calls.map((c) => c.userId)).to.deep.equal([gone.id]);
      // Unchanged: not even the version moved.
      expect((await byUsername(h, 'carol')).version).to.equal(before.version);
      expect((await resultRows(h, second.id)).map((r) => [r.outcome, r.label])).to.deep.equal([['updated', 'alice'], ['deactivated', 'bob']]);

      // Back in the directory (a new entry: a new entryUUID, matched by email): reactivated.
      await person(ou, 'bob');
      const third = await sync(h);
      expect([third.reactivated, third.unchanged, third.deactivated]).to.deep.equal([1, 2, 0]);
      const back = await byUsername(h, 'bob');
      expect(back.id).to.equal(gone.id);
      expect(back.status).to.equal('active');

      // A run with nothing changed writes nothing but its report.
      const events = (await h.services.audit.recent(1000)).length;
      const fourth = await sync(h);
      expect([fourth.unchanged, fourth.updated, fourth.created]).to.deep.equal([3, 0, 0]);
      const after = await h.services.audit.recent(1000);
      expect(after.length).to.equal(events + 1);
      expect(after[0]!.action).to.equal('directory.sync_completed');
    });

    it('matches by the LDAP connection\'s external id and reports an ambiguous one instead of guessing', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await person(ou, 'alice');
      await person(ou, 'bob');
      await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true });
      expect((await sync(h)).created).to.equal(2);
      const [alice, bob] = [await byUsername(h, 'alice'), await byUsername(h, 'bob')];
      const aliceId = alice.externalIds[0]!.value;
      // Two accounts carrying one value under the LDAP connection (externalId is not unique).
      await h.db.sequelize.query("UPDATE user_external_ids SET external_id = :v, external_id_normalized = :n WHERE user_id = :id AND connection_id = 'ldap'", { replacements: { v: aliceId, n: aliceId.toLowerCase(), id: bob.id } });

      const run = await sync(h);
      expect([run.failed, run.updated, run.deactivated]).to.deep.equal([1, 1, 0]);
      const rows = (await resultRows(h, run.id)).map((r) => [r.outcome, r.label, r.message]);
      expect(rows).to.deep.include(['failed', 'alice', `Ambiguous external id "${aliceId}" matches 2 accounts in the "LDAP directory" connection; no account was changed.`]);
      // Bob's entry found Bob by email and put his own id back; nobody was deactivated as missing.
      expect((await byUsername(h, 'bob')).externalIds.map((x) => x.value)).to.not.include(aliceId);
      expect([(await byUsername(h, 'alice')).status, (await byUsername(h, 'bob')).status]).to.deep.equal(['active', 'active']);
      expect((await sync(h)).failed).to.equal(0);
    });

    it('leaves an account an admin deactivated alone, and deactivates only accounts from the directory', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await person(ou, 'alice');
      const bob = await person(ou, 'bob');
      await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true });
      await sync(h);
      const local = await h.services.users.create(h.system(), { username: 'local', email: 'local@corp.example' }, { source: 'admin', origin: 'page' });
      await h.services.users.deactivate(h.system(), (await byUsername(h, 'alice')).id, 'left');
      await ldap.server.remove(bob);
      const run = await sync(h);
      expect([run.unchanged, run.deactivated, run.reactivated]).to.deep.equal([1, 1, 0]);
      expect((await byUsername(h, 'alice')).status).to.equal('inactive');
      expect((await h.services.users.get(local.id)).status).to.equal('active');
    });

    it('does not deactivate anybody when the directory returns no entries (a wrong base DN or filter)', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await person(ou, 'alice');
      await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true });
      await sync(h);
      await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true, filter: '(uid=nobody-matches)' });
      const run = await sync(h);
      expect(run.deactivated).to.equal(0);
      expect(run.warnings.join(' ')).to.match(/returned no entries/);
      expect((await byUsername(h, 'alice')).status).to.equal('active');
    });

    it('maps groups to roles and follows membership, keeping roles given by hand; a group can mark requesters', async () => {
      const ou = await ldap.server.addOu(nextOu());
      const alice = await person(ou, 'alice');
      const bob = await person(ou, 'bob');
      const admins = await ldap.server.addGroup(ou, 'admins', [alice]);
      const helpdesk = await ldap.server.addGroup(ou, 'helpdesk', [bob]);
      const custom = await h.services.roles.create(h.system(), { name: 'Agents', permissions: ['assets.view'] });
      const [adminRole, memberRole] = [await h.services.roles.builtin('admin'), await h.services.roles.builtin('member')];
      await configure(h, ldap.server, {
        baseDn: ou,
        kind: { mode: 'group', attribute: '', value: '', groupDn: helpdesk },
        groupRoles: [{ groupDn: admins, roleId: adminRole.id }, { groupDn: helpdesk, roleId: custom.id }],
      });
      await sync(h);
      expect((await byUsername(h, 'alice')).roles.map((r) => r.name)).to.deep.equal(['Admin']);
      expect(await byUsername(h, 'bob')).to.deep.include({ kind: 'requester', roles: [{ id: custom.id, name: 'Agents', builtin: null }] });

      // Alice leaves the admins group and is given Member by hand: Admin goes, Member stays.
      const a = await byUsername(h, 'alice');
      await h.services.roles.setUserRoles(h.system(), a.id, [adminRole.id, memberRole.id]);
      await ldap.server.replace(admins, 'member', [bob]);
      const run = await sync(h);
      expect(run.updated).to.equal(2);
      expect((await byUsername(h, 'alice')).roles.map((r) => r.name)).to.deep.equal(['Member']);
      expect((await byUsername(h, 'bob')).roles.map((r) => r.name)).to.deep.equal(['Admin', 'Agents']);
      const changed = (await h.services.audit.recent(50)).filter((e) => e.action === 'user.roles_changed' && e.actorLabel === 'LDAP sync');
      expect(changed.map((e) => [e.target?.label, e.details.reason])).to.have.deep.members([['alice', 'LDAP group mapping'], ['bob', 'LDAP group mapping']]);
    });

    it('takes seats in directory order: those within the limit are created, the rest reported one by one', async () => {
      const ou = await ldap.server.addOu(nextOu());
      for (const uid of ['u1', 'u2', 'u3', 'u4']) await person(ou, uid);
      await h.services.seats.setLimit(h.system(), 'user', 2);
      await configure(h, ldap.server, { baseDn: ou });
      const run = await sync(h);
      expect([run.created, run.blocked, run.failed]).to.deep.equal([2, 2, 0]);
      expect((await ldapUsers(h)).map((u) => u.username).sort()).to.deep.equal(['u1', 'u2']);
      expect((await resultRows(h, run.id)).map((r) => [r.position, r.outcome, r.label, r.message])).to.deep.equal([
        [1, 'created', 'u1', null],
        [2, 'created', 'u2', null],
        [3, 'blocked', 'u3', 'Seat limit reached: 2 of 2 user seats in use'],
        [4, 'blocked', 'u4', 'Seat limit reached: 2 of 2 user seats in use'],
      ]);
      expect(run.warnings.join(' ')).to.match(/2 new accounts were not created: the seat limit is reached/);
      const refusals = (await h.services.audit.recent(50)).filter((e) => e.action === 'seats.limit_reached');
      expect(refusals.map((e) => [e.actorLabel, e.details.attempted])).to.deep.equal([['LDAP sync', 'u4'], ['LDAP sync', 'u3']]);
    });

    describe('licence scenarios: user and requester sync', () => {
      it('sync adds a new user after the limit is reached → blocked, warning shown', async () => {
        const ou = await ldap.server.addOu(nextOu());
        await person(ou, 'first');
        await configure(h, ldap.server, { baseDn: ou });
        await sync(h);
        await h.services.seats.setLimit(h.system(), 'user', 1);
        await person(ou, 'late');
        const run = await sync(h);
        expect([run.created, run.blocked]).to.deep.equal([0, 1]);
        expect(run.warnings.join(' ')).to.match(/not created: the seat limit is reached/);
        expect((await resultRows(h, run.id)).map((r) => [r.outcome, r.label, r.message])).to.deep.equal([['blocked', 'late', 'Seat limit reached: 1 of 1 user seats in use']]);
        expect(await h.services.users.findByLogin('late')).to.equal(null);
      });

      it('sync updates existing users → allowed', async () => {
        const ou = await ldap.server.addOu(nextOu());
        const one = await person(ou, 'one');
        const two = await person(ou, 'two');
        await configure(h, ldap.server, { baseDn: ou });
        await sync(h);
        await h.services.seats.setLimit(h.system(), 'user', 2);
        await ldap.server.replace(one, 'title', ['Lead']);
        await ldap.server.replace(two, 'sn', ['Smith']);
        const run = await sync(h);
        expect([run.updated, run.blocked, run.failed]).to.deep.equal([2, 0, 0]);
        expect((await byUsername(h, 'one')).title).to.equal('Lead');
        expect((await byUsername(h, 'two')).familyName).to.equal('Smith');
      });

      it('multiple new users exceed the limit → only those within it created', async () => {
        const ou = await ldap.server.addOu(nextOu());
        await person(ou, 'existing');
        await configure(h, ldap.server, { baseDn: ou });
        await sync(h);
        await h.services.seats.setLimit(h.system(), 'user', 3);
        for (const uid of ['n1', 'n2', 'n3', 'n4']) await person(ou, uid);
        const run = await sync(h);
        expect([run.created, run.blocked, run.unchanged]).to.deep.equal([2, 2, 1]);
        expect((await ldapUsers(h)).map((u) => u.username).sort()).to.deep.equal(['existing', 'n1', 'n2']);
        expect((await resultRows(h, run.id)).filter((r) => r.outcome === 'blocked').map((r) => r.label)).to.deep.equal(['n3', 'n4']);
      });

      it('requester import exceeds licence → new requesters blocked, existing updated', async () => {
        const ou = await ldap.server.addOu(nextOu());
        const req = await person(ou, 'req1', { employeeType: 'requester' });
        await configure(h, ldap.server, { baseDn: ou, kind: { mode: 'attribute', attribute: 'employeeType', value: 'requester', groupDn: '' } });
        await sync(h);
        await h.services.seats.setLimit(h.system(), 'requester', 1);
        await ldap.server.replace(req, 'title', ['Customer']);
        await person(ou, 'req2', { employeeType: 'requester' });
        await person(ou, 'staff1', { employeeType: 'staff' });
        const run = await sync(h);
        expect([run.updated, run.created, run.blocked]).to.deep.equal([1, 1, 1]);
        expect((await byUsername(h, 'req1')).title).to.equal('Customer');
        expect(await h.services.users.findByLogin('req2')).to.equal(null);
        expect((await byUsername(h, 'staff1')).kind).to.equal('user');
        expect((await resultRows(h, run.id)).find((r) => r.outcome === 'blocked')).to.include({ label: 'req2', message: 'Seat limit reached: 1 of 1 requester seats in use' });
      });
    });

    it('creates an entry without email as an account without an address, and reports an email taken by a local account', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await ldap.server.addPerson(ou, { uid: 'nomail' });
      await person(ou, 'clash');
      await person(ou, 'fine');
      await h.services.users.create(h.system(), { username: 'localclash', email: 'clash@corp.example' }, { source: 'admin', origin: 'page' });
      await configure(h, ldap.server, { baseDn: ou });
      const run = await sync(h);
      expect([run.created, run.failed]).to.deep.equal([2, 1]);
      const rows = await resultRows(h, run.id);
      expect(rows[0]).to.include({ outcome: 'created', label: 'nomail' });
      expect((await byUsername(h, 'nomail')).email).to.equal(null);
      expect(rows[1]).to.include({ outcome: 'failed', label: 'clash', message: 'An account with this email address already exists.' });
      // The local account was not taken over.
      expect((await h.services.users.findByLogin('clash@corp.example'))!.source).to.equal('admin');
    });

    it('fails a run with a clear message when the directory is down, changing nothing', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await person(ou, 'alice');
      await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true });
      await sync(h);
      await ldap.server.stop();
      try {
        const run = await sync(h);
        expect(run.status).to.equal('failed');
        expect(run.message).to.match(/^Nothing answers at ldap:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
        expect((await byUsername(h, 'alice')).status).to.equal('active');
        const test = await h.services.directory.ldapSettings.test(h.system(), ldapSettings(ldap.server, { baseDn: ou }));
        expect(test.ok).to.equal(false);
        expect(test.message).to.match(/connection refused/);
        expect((await h.services.audit.recent(5))[0]).to.deep.include({ action: 'directory.sync_failed', actorLabel: 'LDAP sync' });
      } finally {
        await ldap.server.restart();
      }
    });

    it('tests a connection: entries found, or what to fix (bind password, base DN)', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await person(ou, 'alice');
      const settings = h.services.directory.ldapSettings;
      const good = await settings.test(h.system(), ldapSettings(ldap.server, { baseDn: ou }));
      expect(good).to.deep.equal({ ok: true, message: `Connected and bound as cn=admin,dc=example,dc=com: 1 entry matches the filter (for example uid=alice,${ou}).` });
      const wrong = await settings.test(h.system(), { ...ldapSettings(ldap.server, { baseDn: ou }), bindSecret: 'not the password' });
      expect(wrong.message).to.equal('The directory refused the bind DN or password (invalid credentials) for cn=admin,dc=example,dc=com.');
      const missing = await settings.test(h.system(), ldapSettings(ldap.server, { baseDn: 'ou=nowhere,dc=example,dc=com' }));
      expect(missing.message).to.equal('The base DN ou=nowhere,dc=example,dc=com does not exist in the directory.');
      const noPassword = await settings.test(h.system(), { ...ldapSettings(ldap.server, { baseDn: ou }), bindSecret: '', clearSecret: true });
      expect(noPassword.message).to.equal('No bind password is stored for cn=admin,dc=example,dc=com: enter it in the directory settings (or set LDAP_BIND_PASSWORD).');
    });

    it('keeps the bind password sealed and validates settings field by field', async () => {
      await configure(h, ldap.server, { baseDn: 'dc=example,dc=com' });
      const row = await h.services.models.LdapConfig.findByPk('default');
      expect(row!.bindSecret).to.match(/^v1:/).and.not.include('root-secret');
      expect(await h.services.directory.ldapSettings.secret()).to.equal('root-secret-for-tests');
      const changed = (await h.services.audit.recent(5)).find((e) => e.action === 'directory.settings_changed')!;
      expect(JSON.stringify(changed.details)).not.to.include('root-secret');
      const err = await rejection(
        h.services.directory.ldapSettings.save(h.system(), { ...ldapSettings(ldap.server), url: 'http://x', filter: 'uid=x', baseDn: '', intervalMinutes: -1 }),
        Error,
      );
      expect((err as unknown as { fields: Record<string, string> }).fields).to.have.keys('url', 'filter', 'baseDn', 'intervalMinutes');
      await rejection(h.services.directory.ldapSettings.save(h.withPermissions(['users.view']), ldapSettings(ldap.server)), Error);
    });

    it('runs one sync at a time and on its schedule', async () => {
      const ou = await ldap.server.addOu(nextOu());
      await person(ou, 'alice');
      await configure(h, ldap.server, { baseDn: ou, intervalMinutes: 60 });
      const first = await h.services.directory.ldapSync.start(h.system(), { trigger: 'page' });
      await rejection(h.services.directory.ldapSync.start(h.system(), { trigger: 'page' }), SyncAlreadyRunning);
      expect((await first.done).status).to.equal('completed');

      const scheduler = h.services.directory.ldapScheduler;
      expect(await scheduler.tick()).to.equal(false); // ran just now
      h.clock.advance(61 * 60_000);
      expect(await scheduler.tick()).to.equal(true);
      expect(await scheduler.tick()).to.equal(false);
      const runs = await h.services.directory.runs.recent('ldap');
      expect(runs.map((r) => r.trigger)).to.deep.equal(['schedule', 'page']);
      await configure(h, ldap.server, { baseDn: ou, intervalMinutes: 0 });
      h.clock.advance(24 * 60 * 60_000);
      expect(await scheduler.tick()).to.equal(false);
    });
  });

  describeEachDatabase(
    'LDAP sync with the bind password from LDAP_BIND_PASSWORD',
    (h) => {
      it('binds with the configured password, which the page cannot change', async () => {
        const ou = await ldap.server.addOu(nextOu());
        await ldap.server.addPerson(ou, { uid: 'eve', sn: 'Ng', mail: 'eve@corp.example' });
        const { bindSecret: _typed, ...settings } = ldapSettings(ldap.server, { baseDn: ou });
        await h.services.directory.ldapSettings.save(h.system(), settings);
        expect(await h.services.directory.ldapSettings.get()).to.include({ hasSecret: true, secretFromConfig: true });
        expect((await h.services.models.LdapConfig.findByPk('default'))!.bindSecret).to.equal(null);
        expect((await sync(h)).created).to.equal(1);
        const err = await rejection(h.services.directory.ldapSettings.save(h.system(), ldapSettings(ldap.server, { baseDn: ou })), Error);
        expect(err.message).to.include('The bind password is set by configuration (LDAP_BIND_PASSWORD)');
      });
    },
    { env: { LDAP_BIND_PASSWORD: ROOT_PASSWORD } },
  );
});
