// A sync by the CLI `directory sync` as a real child process, against a slapd seeded with a
// few thousand entries: killed midway, it leaves no half-applied account — every
// account it created has its directory link, its mapped role and its kind, each written in
// one transaction — and the next run (another process, taking over the dead runner's
// lease at once) completes. A runner that is alive keeps the lease: a second is refused.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/wait.js';
import { SUFFIX } from '../helpers/ldap-server.js';
import { configure, withLdapServer } from './directory-fixtures.js';
import { spawnCli } from '../helpers/cli-process.js';
import { DirectoryLease } from '../../src/directory/lease.js';
import { SYNC_LEASE } from '../../src/directory/ldap-sync-service.js';
import { systemClock } from '../../src/clock.js';

const PEOPLE = 3000;
const STAFF = 1500;
// The sync reads the departments D0 and D1 of the seeded directory (seeded people i have
// departmentNumber D(i mod 7)): enough entries to be killed midway, few enough that the
// second run on both databases stays within a CI budget (account creation runs ~20-50 ms
// a row here, mostly commits).
const FILTER = '(&(objectClass=inetOrgPerson)(|(departmentNumber=D0)(departmentNumber=D1)))';
const SELECTED = Array.from({ length: PEOPLE }, (_, i) => i % 7).filter((d) => d <= 1).length;

withLdapServer({ people: PEOPLE, staffMembers: STAFF }, (ldap) => {
  describeEachDatabase('LDAP sync across processes', (h) => {
    async function count(sql: string): Promise<number> {
      const [row] = await h.services.models.sequelizeQuery<{ n: number | string }>(sql, {});
      return Number(row!.n);
    }

    /** Every account of the sync is whole: link row, role per group, kind per attribute, its creation audited. */
    async function assertWhole(h: Harness, memberRoleId: string): Promise<number> {
      const accounts = await count(`SELECT COUNT(*) AS n FROM users WHERE source = 'ldap'`);
      expect(await count(`SELECT COUNT(*) AS n FROM users u LEFT JOIN ldap_accounts la ON la.user_id = u.id WHERE u.source = 'ldap' AND la.user_id IS NULL`), 'accounts without their directory link').to.equal(0);
      expect(await count(`SELECT COUNT(*) AS n FROM ldap_accounts`)).to.equal(accounts);
      const staffWithoutRole = await count(
        `SELECT COUNT(*) AS n FROM users u WHERE u.source = 'ldap' AND u.username <= 'person${String(STAFF).padStart(5, '0')}'
           AND NOT EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_id = '${memberRoleId}')`,
      );
      expect(staffWithoutRole, 'staff accounts created without their mapped role').to.equal(0);
      const othersWithRole = await count(
        `SELECT COUNT(*) AS n FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE u.source = 'ldap' AND u.username > 'person${String(STAFF).padStart(5, '0')}'`,
      );
      expect(othersWithRole).to.equal(0);
      // Every 10th seeded person is a requester (employeeType).
      const kinds = await h.services.models.User.findAll({ where: { source: 'ldap' }, attributes: ['username', 'kind'] });
      const wrongKind = kinds.filter((u) => (u.kind === 'requester') !== (Number(u.username.slice('person'.length)) % 10 === 0));
      expect(wrongKind.map((u) => u.username), 'accounts with the wrong kind').to.deep.equal([]);
      expect(await count(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'user.created' AND actor_label = 'LDAP sync'`)).to.equal(accounts);
      return accounts;
    }

    it('a sync killed midway leaves no half-applied account, and the next run completes', async function () {
      this.timeout(600_000);
      const member = await h.services.roles.builtin('member');
      await configure(h, ldap.server, {
        baseDn: `ou=people,${SUFFIX}`,
        filter: FILTER,
        kind: { mode: 'attribute', attribute: 'employeeType', value: 'requester', groupDn: '' },
        groupRoles: [{ groupDn: `cn=staff,ou=groups,${SUFFIX}`, roleId: member.id }],
      });

      const first = spawnCli(h.config.database.url, ['directory', 'sync']);
      try {
        await waitUntil(async () => {
          if (first.child.exitCode !== null) throw new Error(`the sync ended before it was killed:\n${first.stdout()}\n${first.stderr()}`);
          return (await count(`SELECT COUNT(*) AS n FROM users WHERE source = 'ldap'`)) >= 150;
        }, 'the first accounts of the sync', 240_000, 20);
      } finally {
        first.kill();
      }
      expect((await first.exited).signal).to.equal('SIGKILL');
      const partial = await assertWhole(h, member.id);
      expect(partial).to.be.within(150, SELECTED - 1);

      const second = spawnCli(h.config.database.url, ['directory', 'sync']);
      const { code } = await second.exited;
      expect(code, second.stderr()).to.equal(0);
      expect(second.stdout()).to.match(/^LDAP sync completed/);
      expect(second.stdout()).to.include(`created ${SELECTED - partial}, updated 0`);
      expect(second.stdout()).to.include(`unchanged ${partial}`);
      // The progress bar went to stderr.
      expect(second.stderr()).to.match(/Syncing \[[#-]+\]/);
      expect(await assertWhole(h, member.id)).to.equal(SELECTED);

      const runs = await h.services.models.DirectoryRun.findAll({ where: { kind: 'ldap' }, order: [['createdAt', 'ASC']] });
      expect(runs.map((r) => r.status)).to.deep.equal(['interrupted', 'completed']);
    });

    it('refuses a second runner while a live process holds the lease, and runs once it is released', async function () {
      this.timeout(120_000);
      const ou = await ldap.server.addOu('lease' + process.pid + h.dialect);
      await ldap.server.addPerson(ou, { uid: `leasy-${h.dialect}`, sn: 'Lee', mail: `leasy-${h.dialect}@corp.example` });
      await configure(h, ldap.server, { baseDn: ou });
      // Another runner, alive (this test process), holds the lease.
      const other = new DirectoryLease(h.services.models, systemClock);
      expect(await other.acquire(SYNC_LEASE)).to.equal(true);
      const refused = spawnCli(h.config.database.url, ['directory', 'sync']);
      expect((await refused.exited).code).to.equal(1);
      expect(refused.stderr()).to.match(/A directory sync is already running \(since /);
      await other.release(SYNC_LEASE);
      const ran = spawnCli(h.config.database.url, ['directory', 'sync']);
      expect((await ran.exited).code, ran.stderr()).to.equal(0);
      expect(ran.stdout()).to.include('created 1');
    });
  });
});
