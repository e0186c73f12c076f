// Gatehouse on a real three-node MariaDB Galera cluster (multi-primary, certification-based),
// three Gatehouse processes each serving from its own node: the seat limit holds under a
// race spread over the nodes, a duplicate creation and a double acceptance each have one
// winner, an OIDC sign-in whose steps alternate between nodes completes and a refresh token
// revoked through one node is refused through another, the outbox delivers each message
// once, and a node killed under load loses nothing that was committed.
import { expect } from 'chai';
import fs from 'node:fs';
import * as oidc from 'openid-client';
import { systemContext } from '../../src/context.js';
import { requireGalera } from '../helpers/galera-cluster.js';
import { UserAgent } from '../helpers/user-agent.js';
import { waitUntil } from '../helpers/wait.js';
import { startGatehouseOnCluster, type GatehouseOnCluster } from './gatehouse-on-cluster.js';

const PASSWORD = 'a long enough passphrase';
const CALLBACK = 'http://127.0.0.1:9/cb';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SEAT_MESSAGE = /Seat limit reached: 7 of 7 user seats in use/;

describe('Gatehouse on a three-node Galera cluster', function () {
  this.timeout(300_000);
  let g: GatehouseOnCluster;
  let token: string;
  const system = () => systemContext('system', 'test');

  before(async function () {
    requireGalera(this);
    g = await startGatehouseOnCluster({ processes: 3, env: { MAIL_WORKER: 'true' } });
    token = (await g.services.scimTokens.create(system(), 'HR directory')).token;
  });
  after(async () => {
    await g?.stop();
  });
  beforeEach(async () => {
    await g.services.seats.setLimit(system(), 'user', null);
  });

  const scimPost = (p: number, userName: string) =>
    fetch(`${g.processes[p]!.url}/scim/v2/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_URN], userName, emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }] }),
    });

  const count = async (sql: string, params: unknown[] = []) => {
    const rows = await g.db.sql.select<{ n: number }>(sql, params as never[]);
    return Number(rows[0]!.n);
  };

  /** Shareable invitation links, made in this process; the link's origin is the balancer. */
  async function invitationLinks(n: number, prefix: string): Promise<string[]> {
    const member = (await g.services.roles.findByName('Member'))!;
    const outcomes = await g.services.invitations.invite(system(), [{ addresses: Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`).join(','), roleIds: [member.id], method: 'link' }]);
    return outcomes.map((o) => (o as { link: string }).link);
  }

  /** Opens the link on process `p` and submits the acceptance form there. */
  async function accept(link: string, p: number): Promise<{ status: number; body: string }> {
    const url = new URL(link);
    const ua = new UserAgent(g.processes[p]!.url);
    const page = await ua.get(`${url.pathname}${url.search}`);
    if (page.status !== 200) return page;
    return ua.submit(page, '/invitations/accept', { password: PASSWORD, passwordConfirmation: PASSWORD, givenName: 'In', familyName: 'Vited' });
  }

  it('holds a seat limit of 7 against 60 parallel creations and invitations spread over three nodes', async () => {
    await g.services.seats.setLimit(system(), 'user', 7);
    const member = (await g.services.roles.findByName('Member'))!;
    const nodes = await Promise.all([0, 1, 2].map((n) => g.servicesOn(n)));
    const attempts = [
      // SCIM through the three processes.
      ...Array.from({ length: 30 }, (_, i) => async () => {
        const r = await scimPost(i % 3, `race-scim-${i}`);
        return { status: r.status, body: await r.text() };
      }),
      // Invitations (each holds a seat while pending) and page/CSV-sourced creations, straight
      // through the services on each node: the same seat check the pages and the import call.
      ...Array.from({ length: 15 }, (_, i) => async () => {
        const [outcome] = await nodes[i % 3]!.invitations.invite(system(), [{ addresses: `race-invite-${i}@example.com`, roleIds: [member.id], method: 'link' }]);
        return { status: outcome!.status === 'link_created' ? 201 : 403, body: outcome!.message };
      }),
      ...Array.from({ length: 15 }, (_, i) => async () => {
        const name = `race-${i % 2 ? 'csv' : 'page'}-${i}`;
        return nodes[(i + 1) % 3]!.users
          .create(system(), { username: name, email: `${name}@example.com` }, { source: i % 2 ? 'csv' : 'admin', origin: i % 2 ? 'directory' : 'page', roleIds: [member.id] })
          .then(() => ({ status: 201, body: '' }), (err: Error & { status?: number }) => ({ status: err.status ?? 500, body: err.message }));
      }),
    ];
    const results = await Promise.all(attempts.map((a) => a()));
    expect(results.filter((r) => r.status >= 500), JSON.stringify(results.filter((r) => r.status >= 500).slice(0, 3))).to.deep.equal([]);
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => SEAT_MESSAGE.test(r.body));
    expect(created.length + refused.length, JSON.stringify(results.filter((r) => !created.includes(r) && !refused.includes(r)).slice(0, 2))).to.equal(60);
    expect(created).to.have.length(7);
    expect((await g.services.seats.usage('user')).used).to.equal(7);
    const accounts = await count("SELECT COUNT(*) AS n FROM users WHERE status = 'active' AND kind = 'user' AND username LIKE 'race-%'");
    const invitations = await count("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending' AND email LIKE 'race-%'");
    expect(accounts + invitations).to.equal(7);
  });

  it('answers one 201 and one 409 to the same SCIM creation sent to two nodes at once', async () => {
    for (let round = 0; round < 5; round++) {
      const statuses = (await Promise.all([scimPost(0, `twin${round}`), scimPost(1, `twin${round}`)])).map((r) => r.status).sort();
      expect(statuses).to.deep.equal([201, 409]);
    }
    expect(await count("SELECT COUNT(*) AS n FROM users WHERE username LIKE 'twin%'")).to.equal(5);
  });

  it('makes one account of an invitation link accepted on two nodes at once', async () => {
    const links = await invitationLinks(5, 'twice');
    for (const link of links) {
      const results = await Promise.all([accept(link, 1), accept(link, 2)]);
      expect(results.map((r) => r.status).filter((s) => s >= 500)).to.deep.equal([]);
    }
    expect(await count("SELECT COUNT(*) AS n FROM users WHERE email LIKE 'twice%'")).to.equal(5);
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE email LIKE 'twice%' AND status = 'accepted'")).to.equal(5);
  });

  it('completes a sign-in whose steps alternate between nodes; a refresh token revoked on one node is refused on another', async () => {
    const member = (await g.services.roles.findByName('Member'))!;
    await g.services.users.create(system(), { username: 'alice', email: 'alice@example.com', givenName: 'Alice', familyName: 'Doe' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id] });
    const added = await g.services.clients.add(system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], idTokenSigningAlg: 'ES256' });
    const lb = g.proxy;
    const on = (p: number) => (lb.target = g.processes[p]!.port);
    on(0);
    const config = await oidc.discovery(new URL(lb.url), added.client.clientId, undefined, oidc.ClientSecretBasic(added.clientSecret!), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState() };
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid email offline_access', prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: checks.expectedState,
    });
    const ua = new UserAgent(lb.url);
    let page = await ua.get(authUrl.toString());
    expect(page.body).to.include('Sign in');
    on(1);
    page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
    expect(page.body, page.body.slice(0, 300)).to.include('Allow Timesheets?');
    on(2);
    page = await ua.submit(page, '/confirm');
    expect(page.location, page.body.slice(0, 300)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
    on(0);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), checks);
    on(1);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    on(2);
    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    on(0);
    const refused = await oidc.refreshTokenGrant(config, refreshed.refresh_token!).then(() => null, (e: unknown) => e as { error?: string });
    expect(refused?.error).to.equal('invalid_grant');
    on(1);
    expect((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active).to.equal(false);
  });

  it('delivers each outbox message once although three workers on three nodes poll it', async () => {
    const member = (await g.services.roles.findByName('Member'))!;
    const before = await count("SELECT COUNT(*) AS n FROM mail_outbox WHERE status = 'sent'");
    const addresses = Array.from({ length: 30 }, (_, i) => `mailed${i}@example.com`);
    await g.services.invitations.invite(system(), [{ addresses: addresses.join(','), roleIds: [member.id], method: 'email' }]);
    await waitUntil(async () => (await count("SELECT COUNT(*) AS n FROM mail_outbox WHERE status <> 'sent'")) === 0, 'the outbox to drain', 60_000, 200);
    expect(await count("SELECT COUNT(*) AS n FROM mail_outbox WHERE status = 'sent'") - before).to.equal(30);
    expect(await count("SELECT COUNT(*) AS n FROM mail_outbox WHERE attempts <> 1")).to.equal(0);
    const files = g.processes.flatMap((p) => (fs.existsSync(p.mailDir) ? fs.readdirSync(p.mailDir) : []));
    const recipients = files.flatMap((f) => {
      const dir = g.processes.find((p) => fs.existsSync(`${p.mailDir}/${f}`))!.mailDir;
      return /^To: (.*)$/m.exec(fs.readFileSync(`${dir}/${f}`, 'utf8'))?.[1]?.trim() ?? [];
    }).filter((to) => to.startsWith('mailed'));
    expect(recipients.sort()).to.deep.equal([...addresses].sort());
  });

  it('fails over when a node is killed under load, and loses nothing committed when it rejoins', async () => {
    const outcomes: Array<{ userName: string; status: number }> = [];
    let stop = false;
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      for (let i = 0; !stop; i++) {
        const userName = `load-${lane}-${i}`;
        const status = await scimPost(lane % 3, userName).then((r) => r.status, () => 0);
        outcomes.push({ userName, status });
      }
    });
    await waitUntil(() => outcomes.length >= 30, 'load to be running', 60_000, 50);
    await g.cluster.kill(2);
    const during = outcomes.length;
    await waitUntil(() => outcomes.length >= during + 30, 'load to continue on the other nodes', 60_000, 50);
    // The process that preferred the killed node serves from another one.
    expect((await fetch(`${g.processes[2]!.url}/readyz`)).status).to.equal(200);
    stop = true;
    await Promise.all(lanes);

    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503), JSON.stringify(outcomes.filter((o) => o.status >= 500).slice(0, 3))).to.deep.equal([]);
    expect(outcomes.filter((o) => o.status === 0)).to.deep.equal([]);
    const created = outcomes.filter((o) => o.status === 201).map((o) => o.userName);
    const stored = new Set((await g.db.sql.select<{ username: string }>("SELECT username FROM users WHERE username LIKE 'load-%'", [])).map((r) => r.username));
    expect(created.filter((u) => !stored.has(u))).to.deep.equal([]);
    // Anything stored that was not answered 201 was answered 503 (outcome unknown at COMMIT).
    const unanswered = [...stored].filter((u) => !created.includes(u));
    expect(unanswered.every((u) => outcomes.find((o) => o.userName === u)?.status === 503)).to.equal(true);
    // No account half-created: each stored account has its creation audit event.
    expect(await count("SELECT COUNT(*) AS n FROM users u WHERE u.username LIKE 'load-%' AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.target_id = u.id)")).to.equal(0);

    await g.cluster.restart(2);
    const onRejoined = await g.cluster.admin(2, async (c) => {
      const [rows] = await c.query(`SELECT COUNT(*) AS n FROM \`${g.databaseName}\`.users WHERE username LIKE 'load-%'`);
      return Number((rows as Array<{ n: number }>)[0]!.n);
    });
    expect(onRejoined).to.equal(stored.size);
    await waitUntil(async () => (await fetch(`${g.processes[2]!.url}/readyz`)).ok, 'the process to stay ready', 30_000, 200);
  });
});
