// Two Gatehouse processes on one MariaDB database (several
// stateless processes share one database). Real `tsx src/server.ts` processes sit behind a
// switching proxy that plays the load balancer: the sign-in starts on A and finishes on B
// (interaction, session and grant live in the database, cookie keys are shared), the code
// is exchanged on A, both sign with the same keys from the database, and a deactivation made
// by another process (the CLI) is honoured by B: refresh refused, introspection inactive.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createServices } from '../../src/services.js';
import { runCli } from '../helpers/cli-process.js';
import { freePort } from '../helpers/free-port.js';
import { requireServer } from '../helpers/require-server.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { SwitchingProxy } from '../helpers/switching-proxy.js';
import { createTestDatabaseConfig, TEST_MYSQL_URL, testLogger } from '../helpers/test-databases.js';
import { UserAgent } from '../helpers/user-agent.js';
import { waitUntil } from '../helpers/wait.js';

const PASSWORD = 'a long enough passphrase';
const CALLBACK = 'http://127.0.0.1:9/cb';

type Jwk = { kid: string; [k: string]: unknown };

async function waitReady(server: ServerProcess, port: number): Promise<void> {
  await waitUntil(async () => {
    if (server.hasExited()) throw new Error(`gatehouse on port ${port} exited:\n${server.stdout()}\n${server.stderr()}`);
    return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
  }, `gatehouse on port ${port} to be ready`, 90_000, 100);
}


async function jwksOf(port: number): Promise<Jwk[]> {
  const res = await fetch(`http://127.0.0.1:${port}/oidc/jwks`);
  return ((await res.json()) as { keys: Jwk[] }).keys;
}

/** Verifies an ES256 ID token's signature against a published JWKS. */
function signedBy(idToken: string, keys: Jwk[]): boolean {
  const [header, payload, signature] = idToken.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string; alg: string };
  expect(alg).to.equal('ES256');
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  return verify('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'));
}

describe('Two Gatehouse processes on one MariaDB', function () {
  this.timeout(180_000);
  let db: Database | null = null;
  let drop: (() => Promise<void>) | null = null;
  let proxy: SwitchingProxy | null = null;
  const servers: ServerProcess[] = [];
  let varDir = '';
  let env: Record<string, string> = {};
  let portA = 0;
  let portB = 0;
  let client: { clientId: string; clientSecret: string };

  before(async function () {
    requireServer(this, !!TEST_MYSQL_URL, 'MariaDB/MySQL (set TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:3306/gatehouse_test)');
    const created = await createTestDatabaseConfig('mysql');
    drop = created.drop;
    [portA, portB] = [await freePort(), await freePort()];
    proxy = await SwitchingProxy.start(portA);
    varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-multi-'));
    // The same PUBLIC_URL (the balancer) and cookie keys for both, as in a real deployment.
    env = {
      DATABASE_URL: created.config.url,
      PUBLIC_URL: proxy.url,
      COOKIE_KEYS: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
      MAIL_WORKER: 'false',
      HOST: '127.0.0.1',
      VAR_DIR: varDir,
    };

    // Seed through the services in this process: one schema, one user, one client.
    db = await openDatabase(created.config, testLogger(), 10_000);
    await migrate(db);
    const services = createServices(loadConfig(env), db, testLogger(), systemClock, { mailTransport: { send: async () => undefined, close: () => undefined } });
    const member = (await services.roles.findByName('Member'))!;
    await services.users.create(systemContext('system', 'test'), { username: 'alice', email: 'alice@example.com', givenName: 'Alice', familyName: 'Doe' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id] });
    const added = await services.clients.add(systemContext('system', 'test'), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], idTokenSigningAlg: 'ES256' });
    client = { clientId: added.client.clientId, clientSecret: added.clientSecret! };

    // One after the other: the first start creates the signing keys, the second reads them.
    servers.push(spawnServer({ ...env, PORT: String(portA) }));
    await waitReady(servers[0]!, portA);
    servers.push(spawnServer({ ...env, PORT: String(portB) }));
    await waitReady(servers[1]!, portB);
  });

  after(async () => {
    for (const server of servers) server.kill();
    await Promise.all(servers.map((s) => s.exited));
    await proxy?.close();
    await db?.close().catch(() => undefined);
    await drop?.();
    if (varDir) fs.rmSync(varDir, { recursive: true, force: true });
  });

  it('starts a sign-in on A, finishes it on B, and B refuses the tokens once the user is deactivated', async () => {
    const lb = proxy!;
    lb.target = portA;
    const config = await oidc.discovery(new URL(lb.url), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid email profile offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: checks.expectedState,
      nonce: checks.expectedNonce,
      prompt: 'consent',
    });

    // Process A: the authorization request and the sign-in page (interaction cookies set by A).
    const ua = new UserAgent(lb.url);
    let page = await ua.get(authUrl.toString());
    expect(page.body).to.include('Sign in');
    expect(ua.cookie('_interaction')).to.be.a('string');
    expect(new Set(lb.requests.map((r) => r.backend))).to.deep.equal(new Set([portA]));

    // Process B: the password, the consent and the redirect with the code.
    const switched = lb.requests.length;
    lb.target = portB;
    page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
    expect(page.body, page.body.slice(0, 500)).to.include('Allow Timesheets?');
    page = await ua.submit(page, '/confirm');
    expect(page.location, page.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
    const onB = lb.requests.slice(switched);
    expect(onB.every((r) => r.backend === portB)).to.equal(true);
    expect(onB.map((r) => `${r.method} ${r.path.replace(/\/interaction\/[^/?]+/, '/interaction/:uid').replace(/\/oidc\/auth\/[^/?]+/, '/oidc/auth/:uid')}`)).to.include.members([
      'POST /interaction/:uid/login',
      'GET /oidc/auth/:uid',
      'POST /interaction/:uid/confirm',
    ]);

    // Process A again: the code exchange. Both publish the same keys from the database.
    lb.target = portA;
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), checks);
    expect(tokens.refresh_token).to.be.a('string');
    const [keysA, keysB] = [await jwksOf(portA), await jwksOf(portB)];
    expect(keysB).to.deep.equal(keysA);
    expect(signedBy(tokens.id_token!, keysB)).to.equal(true);

    // Process B: refresh (rotating) and introspection while the account is active.
    lb.target = portB;
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).to.be.a('string').and.not.equal(tokens.refresh_token);
    expect(signedBy(refreshed.id_token!, keysA)).to.equal(true);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).to.equal(true);

    // Deactivated by another process on the same database (the operator's CLI).
    const cli = await runCli(env.DATABASE_URL!, ['users', 'deactivate', 'alice', '--reason', 'left the company'], { env });
    expect(cli.code, cli.stderr).to.equal(0);
    expect(cli.stdout).to.include('Deactivated alice');

    // Process B refuses the refresh token and says the tokens are no longer active.
    const refused = await oidc.refreshTokenGrant(config, refreshed.refresh_token!).catch((e: unknown) => e as { error?: string });
    expect((refused as { error?: string }).error).to.equal('invalid_grant');
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).to.equal(false);
    expect((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active).to.equal(false);
    // And so does A.
    lb.target = portA;
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).to.equal(false);
  });
});
