// cli backup / restore: a populated SQLite instance moves to MariaDB and its people sign
// in there (password and TOTP, tokens signed with the restored keys), a SCIM token keeps
// working; the file is 0600; sealed secrets need their key (ENCRYPTION_KEY, or the stored
// key with --include-keys) and are refused without it; a non-empty database is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { writeBackup } from '../../src/backup/backup-writer.js';
import { restoreBackup, type RestoreSummary } from '../../src/backup/backup-restore.js';
import { createServices } from '../../src/services.js';
import { startGatehouse } from '../../src/gatehouse.js';
import { currentTotpCode } from '../../src/totp/totp-service.js';
import { createOidcEdge } from '../../oidc/index.js';
import { runCli } from '../helpers/cli-process.js';
import { freePort } from '../helpers/free-port.js';
import { CALLBACK, PASSWORD, startAuth } from '../helpers/relying-party.js';
import { requireServer } from '../helpers/require-server.js';
import { TEST_MYSQL_URL, createTestDatabaseConfig, openTestDatabase, testLogger } from '../helpers/test-databases.js';
import { UserAgent } from '../helpers/user-agent.js';

const ENCRYPTION_KEY = 'ab'.repeat(32);

interface Source {
  url: string;
  clientId: string;
  clientSecret: string;
  scimToken: string;
  totpSecret: string;
  drop(): Promise<void>;
}

/** A SQLite Gatehouse with an owner, a member with TOTP, a custom role, a client and a SCIM token. */
async function populatedSqlite(ctx: Mocha.Context, env: Record<string, string>): Promise<Source> {
  const opened = await openTestDatabase(ctx, 'sqlite');
  const services = createServices(loadConfig({ DATABASE_URL: opened.config.url, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', ...env }), opened.db, testLogger(), systemClock);
  await createOidcEdge(services); // generates the signing keys, as a first start does
  const system = systemContext('system', 'test');
  await services.setup.createOwnerAccount(system, { email: 'owner@example.com', name: 'Olive Owner', username: 'olive' }, PASSWORD);
  const role = await services.roles.create(system, { name: 'Auditors', permissions: ['users.view'] });
  const member = (await services.roles.findByName('Member'))!;
  const alice = await services.users.create(system, { username: 'alice', email: 'alice@example.com', givenName: 'Alice', familyName: 'Doe' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id, role.id] });
  await services.users.create(system, { username: 'bob', email: 'bob@example.com', givenName: 'Bob', familyName: 'Roe' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id] });
  const enrolment = await services.totp.startEnrolment(alice.id);
  await services.totp.confirmEnrolment(system, alice.id, currentTotpCode(enrolment.secret, new Date()));
  const { client, clientSecret } = await services.clients.add(system, { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], postLogoutRedirectUris: [], firstParty: false });
  const { token } = await services.scimTokens.create(system, 'Entra ID');
  await opened.db.close();
  return { url: opened.config.url, clientId: client.clientId, clientSecret: clientSecret!, scimToken: token, totpSecret: enrolment.secret, drop: opened.drop };
}

/** The database at `url`, opened and migrated as the CLI does, for `work`. */
async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig({ DATABASE_URL: url }).database, testLogger(), 5_000);
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

const backupOf = (url: string, file: string, options: { includeKeys?: boolean; keyConfigured?: boolean } = {}) =>
  withDatabase(url, (db) => writeBackup(db, file, { includeKeys: !!options.includeKeys, encryptionKeyConfigured: !!options.keyConfigured, now: new Date() }));

const restoreInto = (url: string, file: string, encryptionKey: string | null = null): Promise<RestoreSummary> =>
  withDatabase(url, (db) => restoreBackup(db, file, { encryptionKey }));

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    expect((err as Error).name).to.equal('BackupRefused');
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
  return Number(row!.n);
}

async function countsIn(url: string, tables: string[]): Promise<Record<string, number>> {
  const db = await openDatabase(loadConfig({ DATABASE_URL: url }).database, testLogger(), 5_000);
  try {
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = await count(db, t);
    return out;
  } finally {
    await db.close();
  }
}

/** Starts Gatehouse on the restored database; alice signs in with password and TOTP, and the SCIM token answers. */
async function signInOn(url: string, source: Source, env: Record<string, string>): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const running = await startGatehouse(loadConfig({ DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, MAIL_WORKER: 'false', LOG_LEVEL: 'silent', ...env }), testLogger());
  try {
    const config = await oidc.discovery(new URL(base), source.clientId, undefined, oidc.ClientSecretBasic(source.clientSecret), { execute: [oidc.allowInsecureRequests] });
    const started = await startAuth(config);
    const ua = new UserAgent(base);
    let page = await ua.get(started.url.toString());
    page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
    expect(page.body, 'the TOTP step').to.include('Two-step verification');
    page = await ua.submit(page, '/totp', { code: currentTotpCode(source.totpSecret, new Date()) });
    if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
    expect(page.location, page.body.slice(0, 300)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
    // The ID token verifies against the restored signing keys (published at the JWKS endpoint).
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    expect(tokens.claims()!.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
    const scim = await fetch(`${base}/scim/v2/Users?filter=${encodeURIComponent('userName eq "bob"')}`, { headers: { authorization: `Bearer ${source.scimToken}` } });
    expect(scim.status).to.equal(200);
    expect(((await scim.json()) as { totalResults: number }).totalResults).to.equal(1);
  } finally {
    await running.stop();
  }
}

describe('backup and restore from SQLite to MariaDB', function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-backup-'));
  const drops: Array<() => Promise<void>> = [];

  before(function () {
    requireServer(this, !!TEST_MYSQL_URL, 'MariaDB/MySQL (set TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:3306/gatehouse_test)');
  });

  after(async () => {
    for (const drop of drops) await drop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function emptyMariaDb(): Promise<string> {
    const created = await createTestDatabaseConfig('mysql');
    drops.push(created.drop);
    return created.config.url;
  }

  it('moves an instance whose key is ENCRYPTION_KEY: the restore needs that key, then everyone signs in', async function () {
    this.timeout(240_000);
    const source = await populatedSqlite(this, { ENCRYPTION_KEY });
    drops.push(source.drop);
    const file = path.join(dir, 'with-configured-key.jsonl');
    const made = await backupOf(source.url, file, { keyConfigured: true });
    expect(made.header.keys).to.equal('excluded');
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.to.include('internal.encryptionKey');
    expect(text).not.to.include('internal.cookieKeys');
    expect(text).to.include('"private_jwk"');

    const target = await emptyMariaDb();
    // Started once before its owner exists (keys, a setup link): still empty enough to restore into.
    const once = await startGatehouse(loadConfig({ DATABASE_URL: target, PORT: '0', HOST: '127.0.0.1', MAIL_WORKER: 'false', LOG_LEVEL: 'silent' }), testLogger());
    await once.stop();
    expect((await countsIn(target, ['setup_tokens', 'oidc_keys'])).oidc_keys).to.be.greaterThan(0);
    const withoutKey = await refusal(restoreInto(target, file));
    expect(withoutKey).to.include('Nothing was restored');
    expect(withoutKey).to.include('1 × TOTP');
    expect(withoutKey).to.include('signing keys');
    expect(withoutKey).to.include('set the same ENCRYPTION_KEY');
    expect((await countsIn(target, ['users'])).users).to.equal(0);

    const restored = await restoreInto(target, file, ENCRYPTION_KEY);
    expect(restored.rows).to.be.greaterThan(0);
    const tables = ['users', 'roles', 'user_roles', 'oidc_clients', 'oidc_keys', 'scim_tokens', 'recovery_codes', 'audit_events'];
    expect(await countsIn(target, tables)).to.deep.equal(await countsIn(source.url, tables));
    const auditBefore = (await countsIn(target, ['audit_events'])).audit_events;
    await signInOn(target, source, { ENCRYPTION_KEY });
    // New events get ids after the restored ones (the auto-increment counter moved with them).
    expect((await countsIn(target, ['audit_events'])).audit_events).to.be.greaterThan(auditBefore);

    expect(await refusal(restoreInto(target, file, ENCRYPTION_KEY))).to.match(/The database is not empty \(.*users: 3/);
    expect(await refusal(backupOf(source.url, file))).to.include('exists already');
  });

  it('moves an instance whose key is stored in its database only with --include-keys, and says so (command line)', async function () {
    this.timeout(300_000);
    const source = await populatedSqlite(this, {});
    drops.push(source.drop);
    const keyless = path.join(dir, 'stored-key-left-out.jsonl');
    const made = await runCli(source.url, ['backup', '--out', keyless]);
    expect(made.code, made.stderr).to.equal(0);
    expect(made.stdout).to.match(/Wrote \d+ rows of \d+ tables/);
    expect(made.stderr).to.include('--include-keys');
    const target = await emptyMariaDb();
    expect(await refusal(restoreInto(target, keyless))).to.include('make the backup again with --include-keys');

    const withKeys = path.join(dir, 'stored-key-included.jsonl');
    const full = await runCli(source.url, ['export', '--out', withKeys, '--include-keys']);
    expect(full.code, full.stderr).to.equal(0);
    expect(full.stderr).to.include('Keep it encrypted');
    expect(fs.statSync(withKeys).mode & 0o777).to.equal(0o600);
    const restored = await runCli(target, ['restore', withKeys]);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.match(/Restored \d+ rows of \d+ tables/);
    await signInOn(target, source, {});

    // And back: the MariaDB instance restores into a new SQLite database just as well.
    const back = path.join(dir, 'from-mariadb.jsonl');
    await backupOf(target, back, { includeKeys: true });
    const sqlite = `sqlite:${path.join(dir, 'back.sqlite')}`;
    await restoreInto(sqlite, back);
    await signInOn(sqlite, source, {});
  });

  it('refuses a file cut short or not a backup, writing nothing', async () => {
    const target = await emptyMariaDb();
    const junk = path.join(dir, 'junk.jsonl');
    fs.writeFileSync(junk, '{"hello":"world"}\n');
    expect(await refusal(restoreInto(target, junk))).to.include('is not a Gatehouse backup');
    const whole = path.join(dir, 'fresh.jsonl');
    await backupOf(`sqlite:${path.join(dir, 'fresh.sqlite')}`, whole);
    const lines = fs.readFileSync(whole, 'utf8').split('\n');
    const cut = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(cut, lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n');
    expect(await refusal(restoreInto(target, cut))).to.match(/cut short|damaged/);
    expect((await countsIn(target, ['users'])).users).to.equal(0);
  });
});
