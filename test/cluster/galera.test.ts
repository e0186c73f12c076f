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
import { DEFAULT_LDAP_SETTINGS } from '../../src/directory/ldap-settings.js';
import { requireGalera } from '../helpers/galera-cluster.js';
import { LdapTestServer, ROOT_DN, ROOT_PASSWORD, SUFFIX, slapdAvailable } from '../helpers/ldap-server.js';
import { requireServer } from '../helpers/require-server.js';
import { UserAgent } from '../helpers/user-agent.js';
import { waitUntil } from '../helpers/wait.js';
import { startGatehouseOnCluster, type GatehouseOnCluster } from './gatehouse-on-cluster.js';
import { AdminOverHttp } from './admin-over-http.js';

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

  it('holds a seat limit of 7 against 60 parallel creations over HTTP through SCIM, pages, invitations and CSV on three nodes', async () => {
    const member = (await g.services.roles.findByName('Member'))!;
    const admin = await AdminOverHttp.create(g.services, 'race-admin');
    const on = (i: number) => g.processes[i % 3]!.url;
    // The imports are previewed first (a preview takes nothing); the race starts them.
    const previews = await Promise.all(Array.from({ length: 12 }, (_, i) => admin.uploadImport(on(i), `username,email,first name,kind,roles\r\nrace-csv-${i},race-csv-${i}@example.com,Csv,user,Member\r\n`)));
    await g.services.seats.setLimit(system(), 'user', 7);
    type Outcome = { path: string; created: boolean; status: number; body: string };
    const attempts: Array<() => Promise<Outcome>> = [
      ...Array.from({ length: 24 }, (_, i) => async () => {
        const r = await scimPost(i % 3, `race-scim-${i}`);
        return { path: 'scim', created: r.status === 201, status: r.status, body: await r.text() };
      }),
      // The admin's "Add user" form.
      ...Array.from({ length: 12 }, (_, i) => async () => {
        const name = `race-page-${i}`;
        const r = await admin.post(on(i + 1), '/admin/users/new', {
          givenName: 'Page', familyName: 'Made', username: name, email: `${name}@example.com`, kind: 'user', roles: [member.id],
          mode: 'create', passwordMode: 'typed', password: PASSWORD, passwordConfirmation: PASSWORD, confirmed: 'on',
        });
        return { path: 'page', created: r.status === 200 && !SEAT_MESSAGE.test(r.body), status: r.status, body: r.body };
      }),
      // An invitation (a shareable link) made on one node, accepted at once on another.
      ...Array.from({ length: 12 }, (_, i) => async () => {
        const r = await admin.post(on(i + 2), '/admin/invitations/new', {
          'rows.0.addresses': `race-invite-${i}@example.com`, 'rows.0.roles': [member.id], 'rows.0.kind': 'user', 'rows.0.method': 'link', action: 'send',
        });
        const link = /<input type="text" class="link-once" id="[^"]*" readonly value="([^"]*)"/.exec(r.body)?.[1];
        // The outcome table words a refusal in two cells: its status, then "7 of 7 user seats in use".
        const refusal = /<tr data-status="seat_limit_reached">/.test(r.body) && /7 of 7 user seats in use/.test(r.body) ? 'Seat limit reached: 7 of 7 user seats in use' : '';
        if (!link) return { path: 'invitation', created: false, status: r.status, body: refusal || r.body };
        const accepted = await accept(link.replace(/&amp;/g, '&'), (i + 3) % 3);
        return { path: 'invitation', created: accepted.status < 400, status: accepted.status, body: accepted.body };
      }),
      // A CSV import of one row, started on each node.
      ...previews.map((preview, i) => async () => {
        const report = await admin.runImport(on(i), preview);
        return { path: 'csv', created: /<th>Created<\/th><td>1<\/td>/.test(report.body), status: report.status, body: report.body };
      }),
    ];
    const results = await Promise.all(attempts.map((a) => a()));
    const failed = results.filter((r) => r.status >= 500);
    expect(failed.map((r) => `${r.path} ${r.status} ${r.body.slice(0, 200)}`)).to.deep.equal([]);
    const created = results.filter((r) => r.created);
    const refused = results.filter((r) => !r.created && SEAT_MESSAGE.test(r.body));
    const neither = results.filter((r) => !created.includes(r) && !refused.includes(r));
    expect(neither.map((r) => `${r.path} ${r.status} ${r.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`)).to.deep.equal([]);
    expect(created).to.have.length(7);
    expect(refused).to.have.length(53);
    expect((await g.services.seats.usage('user')).used).to.equal(7);
    expect(await count("SELECT COUNT(*) AS n FROM users WHERE status = 'active' AND kind = 'user' AND username LIKE 'race-%'")).to.equal(7);
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending' AND email LIKE 'race-%'")).to.equal(0);
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

  it('runs the registration sweeper and the access end dates once across three processes started together', async () => {
    const member = (await g.services.roles.findByName('Member'))!;
    const registered: string[] = [];
    const ending: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Self-registered, never confirmed, no live link: due for removal.
      registered.push((await g.services.users.create(system(), { username: `swept-${i}`, email: `swept-${i}@example.com` }, { source: 'registration', origin: 'page', status: 'unconfirmed', password: PASSWORD })).id);
      ending.push((await g.services.users.create(system(), { username: `ending-${i}`, email: `ending-${i}@example.com` }, { source: 'admin', origin: 'page', roleIds: [member.id] })).id);
    }
    // An end date already passed (set directly: the service accepts only future dates).
    await g.db.sql.write(`UPDATE users SET access_ends_at = ? WHERE id IN (${ending.map(() => '?').join(',')})`, [new Date(Date.now() - 60_000), ...ending]);
    // Each process runs both jobs as it starts: three runners race for the same work.
    await g.restartProcesses();
    const inList = (ids: string[]) => `(${ids.map((id) => `'${id}'`).join(',')})`;
    await waitUntil(async () => (await count(`SELECT COUNT(*) AS n FROM users WHERE id IN ${inList([...registered, ...ending])} AND status <> 'inactive'`)) === 0, 'the jobs to finish', 60_000, 200);
    // A moment for a second runner, if the lease let one through, to leave its trace.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await count(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'registration.expired_removed' AND target_id IN ${inList(registered)}`)).to.equal(registered.length);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'user.deactivated' AND target_id IN ${inList(ending)}`)).to.equal(ending.length);
    // Three services on three nodes ticking at once find nothing left and end nothing twice.
    const ticks = await Promise.all([0, 1, 2].map(async (n) => (await g.servicesOn(n)).accessEndScheduler.tick()));
    expect(ticks.reduce((sum, t) => sum + t.ended, 0)).to.equal(0);
  });

  it('lets one of three processes run the LDAP sync at a time, and the schedule run it once', async function () {
    requireServer(this, slapdAvailable(), 'OpenLDAP slapd (apt-get install slapd ldap-utils)');
    const ldap = await LdapTestServer.start({ people: 300 });
    try {
      await g.services.directory.ldapSettings.save(system(), { ...structuredClone(DEFAULT_LDAP_SETTINGS), url: ldap.url, bindDn: ROOT_DN, baseDn: SUFFIX, bindSecret: ROOT_PASSWORD, intervalMinutes: 60 });
      const admin = await AdminOverHttp.create(g.services, 'sync-admin');
      // "Sync now" pressed on the three processes at once.
      const answers = await Promise.all(g.processes.map((p) => admin.post(p.url, '/admin/directory/sync', {})));
      expect(answers.map((a) => a.status).filter((s) => s >= 500)).to.deep.equal([]);
      const started = answers.filter((a) => a.status === 303);
      expect(started.length).to.be.at.least(1);
      expect(answers.filter((a) => a.status !== 303).every((a) => a.body.includes('A directory sync is already running'))).to.equal(true);
      await waitUntil(async () => (await count("SELECT COUNT(*) AS n FROM directory_runs WHERE kind = 'ldap' AND status = 'running'")) === 0, 'the sync to finish', 120_000, 200);
      // Never two at once: no run started before the one before it finished.
      const runs = await g.db.sql.select<{ started_at: Date; finished_at: Date; status: string }>("SELECT started_at, finished_at, status FROM directory_runs WHERE kind = 'ldap' ORDER BY started_at", []);
      for (let i = 1; i < runs.length; i++) expect(new Date(runs[i]!.started_at).getTime()).to.be.at.least(new Date(runs[i - 1]!.finished_at).getTime());
      expect(runs.map((r) => r.status).every((st) => st === 'completed')).to.equal(true);
      expect(await count("SELECT COUNT(*) AS n FROM users WHERE source = 'ldap'")).to.equal(300);

      // The schedule, ticking on three nodes at once, one interval after that run: once.
      await g.db.sql.write("UPDATE directory_runs SET started_at = ? WHERE kind = 'ldap'", [new Date(Date.now() - 61 * 60_000)]);
      // A tick that loses the lease race may also fail (its timer logs it and ticks again later):
      // what counts is that it did not run the sync.
      const ticks = await Promise.allSettled([0, 1, 2].map(async (n) => (await g.servicesOn(n)).directory.ldapScheduler.tick()));
      expect(ticks.filter((t) => t.status === 'fulfilled' && t.value)).to.have.length(1);
      expect(await count("SELECT COUNT(*) AS n FROM directory_runs WHERE kind = 'ldap'")).to.equal(runs.length + 1);
    } finally {
      await ldap.destroy();
    }
  });

  it('answers 503 through a node cut off from the others, keeps serving through the others, and loses nothing when it rejoins', async () => {
    // A process given only node 3: while that node is cut off it has nowhere else to go.
    const pinned = await g.startProcess(g.cluster.urlFor(2, g.databaseName), 2);
    const pinnedPost = (userName: string) => fetch(`${pinned.url}/scim/v2/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_URN], userName, emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }] }),
    });
    expect((await pinnedPost('cut-before')).status).to.equal(201);
    await g.cluster.isolate(2);
    try {
      // The cut-off node refuses queries (1047): a write and a read through it answer 503, never 500.
      expect((await pinnedPost('cut-refused')).status).to.equal(503);
      const read = await fetch(`${pinned.url}/scim/v2/Users?filter=${encodeURIComponent('userName eq "cut-before"')}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(read.status).to.equal(503);
      expect((await fetch(`${pinned.url}/readyz`)).status).to.equal(503);
      // The others carry on, the process preferring node 3 included (it moves to another node).
      const during = await Promise.all([0, 1, 2, 0, 1, 2].map((p, i) => scimPost(p, `cut-during-${i}`).then((r) => r.status)));
      expect(during.filter((st) => st >= 500 && st !== 503)).to.deep.equal([]);
      await waitUntil(async () => (await scimPost(2, `cut-moved-${Date.now()}`)).status === 201, 'the process preferring node 3 to serve from another node', 30_000, 200);
      expect(during.filter((st) => st === 201).length).to.be.at.least(4);
    } finally {
      await g.cluster.reconnect(2);
    }
    await waitUntil(async () => (await fetch(`${pinned.url}/readyz`)).ok, 'the pinned process to be ready again', 60_000, 200);
    expect((await pinnedPost('cut-after')).status).to.equal(201);
    // Everything committed through the others during the cut is on the rejoined node.
    const onNode3 = await g.cluster.admin(2, async (c) => {
      const [rows] = await c.query(`SELECT username FROM \`${g.databaseName}\`.users WHERE username LIKE 'cut-%'`);
      return (rows as Array<{ username: string }>).map((r) => r.username);
    });
    const committed = (await g.db.sql.select<{ username: string }>("SELECT username FROM users WHERE username LIKE 'cut-%'", [])).map((r) => r.username);
    expect(onNode3.sort()).to.deep.equal(committed.sort());
    expect(committed).to.include.members(['cut-before', 'cut-after']);
    expect(committed).not.to.include('cut-refused');
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
