// Helpers for the directory suites: one slapd for a file's suites (started before the suites
// on both databases, skipped — failing in CI — when slapd is not installed), settings that
// point the sync at one test's own organizational unit, and short ways to run and read it.
import type { Harness } from '../helpers/harness.js';
import { LdapTestServer, ROOT_DN, ROOT_PASSWORD, slapdAvailable, type LdapServerOptions } from '../helpers/ldap-server.js';
import { requireServer } from '../helpers/require-server.js';
import { DEFAULT_LDAP_SETTINGS, type LdapSettings } from '../../src/directory/ldap-settings.js';
import type { LdapSettingsInput } from '../../src/directory/ldap-settings-service.js';
import type { RunView } from '../../src/directory/sync-report.js';
import type { UserView } from '../../src/users/user-presenter.js';

export interface LdapHolder {
  server: LdapTestServer;
}

/**
 * Runs `body`'s suites with one slapd, started before them and removed after (inside a
 * describe, so a whole test run never holds more than one at a time).
 */
export function withLdapServer(options: LdapServerOptions, body: (ldap: LdapHolder) => void): void {
  describe('with a real LDAP server (slapd)', function () {
    const holder = {} as LdapHolder;
    before(async function () {
      this.timeout(60_000);
      requireServer(this, slapdAvailable(), 'OpenLDAP slapd (apt-get install slapd ldap-utils)');
      holder.server = await LdapTestServer.start(options);
    });
    after(async () => {
      await holder.server?.destroy();
    });
    body(holder);
  });
}

let ouSerial = 0;

/** A fresh OU name for one test (the directory is shared by every test of a file). */
export function nextOu(prefix = 't'): string {
  ouSerial += 1;
  return `${prefix}${process.pid}x${ouSerial}`;
}

export function ldapSettings(server: LdapTestServer, overrides: Partial<LdapSettings> = {}): LdapSettingsInput {
  return {
    ...structuredClone(DEFAULT_LDAP_SETTINGS),
    url: server.url,
    bindDn: ROOT_DN,
    baseDn: 'dc=example,dc=com',
    ...overrides,
    bindSecret: ROOT_PASSWORD,
  };
}

export async function configure(h: Harness, server: LdapTestServer, overrides: Partial<LdapSettings> = {}): Promise<void> {
  await h.services.directory.ldapSettings.save(h.system(), ldapSettings(server, overrides));
}

export function sync(h: Harness): Promise<RunView> {
  return h.services.directory.ldapSync.run(h.system(), { trigger: 'cli' });
}

export async function ldapUsers(h: Harness): Promise<UserView[]> {
  const rows = await h.services.models.User.findAll({ where: { source: 'ldap' }, attributes: ['id'], order: [['createdAt', 'ASC'], ['username', 'ASC']] });
  return h.services.users.getMany(rows.map((r) => r.id));
}

export async function byUsername(h: Harness, username: string): Promise<UserView> {
  const user = await h.services.users.findByLogin(username);
  if (!user) throw new Error(`no account ${username}`);
  return user;
}

export async function resultRows(h: Harness, runId: string) {
  return (await h.services.directory.runs.rows(runId, { phase: 'result', limit: 1000 })).rows;
}
