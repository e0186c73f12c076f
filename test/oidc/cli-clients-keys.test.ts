// The operator CLI for the OIDC provider: `clients add|list|remove` (secret shown
// once, stored hashed, redirect URIs validated) and `keys rotate` — run as real child
// processes against the suite's database. After a rotation, a freshly started provider
// publishes the old and the new ES256 keys and signs new ID tokens with the new one; the
// old public key leaves the JWKS after 24 hours.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { runCli } from '../helpers/cli-process.js';
import { CALLBACK, PASSWORD } from '../helpers/relying-party.js';
import { testLogger } from '../helpers/test-databases.js';
import { loadConfig } from '../../config/index.js';
import { FakeClock, HOUR_MS, systemClock } from '../../src/clock.js';
import { createServices } from '../../src/services.js';
import { buildApp } from '../../src/app.js';
import { hashToken } from '../../src/ids.js';
import { defineOidcModels } from '../../oidc/oidc-models.js';
import { KeyStore } from '../../oidc/key-store.js';



function line(out: string, label: string): string[] {
  const found = new RegExp(`^${label}:\\s*(.*)$`, 'm').exec(out);
  expect(found, `${label} in:\n${out}`).to.not.equal(null);
  return found![1]!.split(',').map((s) => s.trim()).filter((s) => s && s !== '(none)');
}

async function activeKid(h: Harness, alg: string): Promise<string> {
  const rows = await defineOidcModels(h.db.sequelize).OidcKey.findAll({ where: { status: 'active', alg } });
  expect(rows).to.have.length(1);
  return rows[0]!.kid;
}

/** A Gatehouse started now on the suite's database (keys are loaded at start), on its own port. */
async function startFresh(h: Harness) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ DATABASE_URL: h.config.database.url, PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent', MAIL_WORKER: 'false' });
  // The CLI stamped the rotation with the real time: this process uses it too.
  const services = createServices(config, h.db, testLogger(), systemClock);
  const { app } = await buildApp(services);
  server.on('request', app);
  services.runtime.internalUrl = publicUrl;
  return {
    services,
    publicUrl,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function headerOf(jwt: string): { kid: string; alg: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string; alg: string };
}

describeEachDatabase('OIDC: CLI clients and keys', (h) => {
  let varDir = '';
  before(() => {
    varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-oidc-'));
  });
  after(() => fs.rmSync(varDir, { recursive: true, force: true }));

  const run = (...args: string[]) => runCli(h.config.database.url, args, { varDir });

  it('clients add prints the id and the secret once; list shows it; remove removes it; bad input is refused', async function () {
    this.timeout(120_000);
    const help = await run('--help');
    for (const command of ['clients add', 'clients list', 'clients remove', 'keys rotate']) expect(help.stdout).to.include(command);

    const add = await run(
      'clients', 'add', '--name', 'Timesheets', '--type', 'web',
      '--redirect-uri', 'https://time.example.com/cb,https://time.example.com/cb2', '--redirect-uri', 'http://127.0.0.1:8080/cb',
      '--post-logout-uri', 'https://time.example.com/bye', '--first-party', '--backchannel-logout-uri', 'https://time.example.com/backchannel', '--alg', 'RS256',
    );
    expect(add.stderr).to.equal('');
    expect(add.code).to.equal(0);
    const clientId = line(add.stdout, 'client_id')[0]!;
    const secret = line(add.stdout, 'client_secret')[0]!;
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(add.stdout).to.include('The secret is shown only now');

    const client = await h.services.clients.get(clientId);
    expect(client).to.deep.include({
      name: 'Timesheets', type: 'web', firstParty: true, idTokenSigningAlg: 'RS256',
      postLogoutRedirectUris: ['https://time.example.com/bye'], backchannelLogoutUri: 'https://time.example.com/backchannel',
    });
    expect(client.redirectUris).to.deep.equal(['https://time.example.com/cb', 'https://time.example.com/cb2', 'http://127.0.0.1:8080/cb']);
    // Only the hash is stored.
    const row = (await h.services.models.Client.findByPk(clientId))!;
    expect(row.secretHash).to.equal(hashToken(secret));
    expect(JSON.stringify(row.get({ plain: true }))).to.not.include(secret);

    const spa = await run('clients', 'add', '--name', 'Planner SPA', '--type', 'public', '--redirect-uri', 'https://plan.example.com/cb');
    expect(spa.code).to.equal(0);
    expect(spa.stdout).to.match(/^client_secret: none/m);
    const spaId = line(spa.stdout, 'client_id')[0]!;

    const list = await run('clients', 'list');
    expect(list.code).to.equal(0);
    expect(list.stdout).to.match(/^CLIENT_ID\s+NAME\s+TYPE\s+FIRST-PARTY\s+ALG\s+REDIRECT URIS$/m);
    expect(list.stdout).to.include(clientId);
    expect(list.stdout).to.match(new RegExp(`^${spaId}\\s+Planner SPA\\s+public\\s+RS256\\s+https://plan\\.example\\.com/cb$`, 'm'));
    expect(list.stdout).to.not.include(secret);

    const bad = await run('clients', 'add', '--name', 'Evil', '--type', 'web', '--redirect-uri', 'ftp://evil.example/cb');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/redirectUris: .*must use https/);
    const badType = await run('clients', 'add', '--name', 'Robot', '--type', 'robot');
    expect(badType.code).to.equal(1);
    expect(badType.stderr).to.include('type: Type must be one of web, public, machine.');

    const remove = await run('clients', 'remove', clientId);
    expect(remove.code).to.equal(0);
    expect(remove.stdout).to.equal(`Removed client "Timesheets" (${clientId}).\n`);
    expect((await h.services.clients.list()).map((c) => c.clientId)).to.deep.equal([spaId]);
    const missing = await run('clients', 'remove', clientId);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal('No such client.\n');

    const audited = (await h.services.audit.recent(50)).map((e) => `${e.action} ${e.source}`);
    expect(audited).to.include.members(['client.created cli', 'client.removed cli']);
  });

  it('keys rotate: a provider started afterwards publishes old and new ES256 keys and signs with the new one', async function () {
    this.timeout(120_000);
    const oldEs256 = await activeKid(h, 'ES256');
    const rotated = await run('keys', 'rotate');
    expect(rotated.stderr).to.equal('');
    expect(rotated.code).to.equal(0);
    const retired = line(rotated.stdout, 'Retired');
    const added = line(rotated.stdout, 'Added');
    expect(retired).to.include(oldEs256);
    expect(added).to.have.length(3);
    expect(rotated.stdout).to.include('restart them');
    expect(rotated.stdout).to.include('24 h');
    const newEs256 = await activeKid(h, 'ES256');
    expect(added).to.include(newEs256);
    const [event] = (await h.services.audit.recent(10)).filter((e) => e.action === 'oidc.keys_rotated');
    expect(event).to.deep.include({ source: 'cli' });

    const fresh = await startFresh(h);
    try {
      const jwks = (await (await fetch(`${fresh.publicUrl}/oidc/jwks`)).json()) as { keys: Array<{ kid: string; alg: string; d?: string }> };
      const es256 = jwks.keys.filter((k) => k.alg === 'ES256').map((k) => k.kid);
      expect(es256).to.include.members([oldEs256, newEs256]);
      expect(jwks.keys.some((k) => k.d !== undefined), 'no private parts published').to.equal(false);

      const member = (await fresh.services.roles.findByName('Member'))!;
      await fresh.services.users.create(h.system(), { username: 'alice', email: 'alice@example.com' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id] });
      // ES256 named: the rotation under test is of the ES256 keys (new clients default to RS256).
      const { client, clientSecret } = await fresh.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], idTokenSigningAlg: 'ES256' });
      const config = await oidc.discovery(new URL(fresh.publicUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK, scope: 'openid', nonce, prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const ua = new UserAgent(fresh.publicUrl);
      let page = await ua.get(url.toString());
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
      expect(page.location, page.body.slice(0, 300)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
      // openid-client validates the ID token's signature against the published JWKS.
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: verifier, expectedNonce: nonce });
      expect(headerOf(tokens.id_token!)).to.deep.include({ alg: 'ES256', kid: newEs256 });
    } finally {
      await fresh.close();
    }

    // The key store itself: the retired key is published for 24 h after the rotation, then not.
    const at = (ms: number) => new FakeClock(new Date(Date.now() + ms));
    const secrets = await h.services.secrets();
    const published = async (clock: FakeClock) => (await new KeyStore(defineOidcModels(h.db.sequelize), secrets, clock).signingKeys()).map((k) => k.kid);
    expect(await published(at(23 * HOUR_MS))).to.include.members([oldEs256, newEs256]);
    const later = await published(at(25 * HOUR_MS));
    expect(later).to.include(newEs256).and.not.include(oldEs256);
    // Active keys come first, ES256 first: the provider signs with the newest ES256 key.
    expect(later[0]).to.equal(newEs256);
  });
});
