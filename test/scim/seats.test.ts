// Seat limits through SCIM: a create over the limit is refused with "Seat limit reached:
// U of L user seats in use"; an inactive create takes no seat; PUT or PATCH setting
// active=true on a full pool is refused whole (nothing of it applied) while other updates
// succeed; Bulk applies operations in order, each refusal in its own operation response;
// parallel creations, from one process or two Gatehouse processes, never exceed the limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { freePort } from '../helpers/free-port.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { auditOf, BULK_REQUEST, createToken, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const user = (n: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }], ...extra });
const FULL = (used: number, limit: number) => `Seat limit reached: ${used} of ${limit} user seats in use`;

describeEachDatabase('SCIM: seats', (h) => {
  let scim: ScimClient;
  let token: string;
  beforeEach(async () => {
    token = await createToken(h, 'HR directory');
    scim = scimClient(h, token);
  });
  const setLimit = (limit: number | null, pool: 'user' | 'requester' = 'user') => h.services.seats.setLimit(h.system(), pool, limit);
  const used = async () => (await h.services.seats.usage('user')).used;

  it('POST over the limit answers 403 with the seat message; an inactive POST takes no seat', async () => {
    await setLimit(2);
    await scim.post('/Users', user('one')).expect(201);
    await scim.post('/Users', user('two')).expect(201);
    const res = await scim.post('/Users', user('three')).expect(403);
    expect(json(res)).to.deep.include({ status: '403', detail: FULL(2, 2) });
    expect(await h.services.users.findByLogin('three')).to.equal(null);
    const refusals = await auditOf(h, 'seats.limit_reached');
    expect(refusals).to.have.length(1);
    expect(refusals[0]).to.include({ actorLabel: 'HR directory', source: 'scim' });

    await scim.post('/Users', user('sleeper', { active: false })).expect(201);
    expect((await h.services.users.findByLogin('sleeper'))!.status).to.equal('inactive');
    expect(await used()).to.equal(2);
    // The requester pool is separate (userType names the pool).
    await setLimit(0, 'requester');
    expect(json(await scim.post('/Users', user('req', { userType: 'requester' })).expect(403)).detail).to.equal('Seat limit reached: 0 of 0 requester seats in use');
  });

  it('PUT with active=true on a full pool is refused whole; other PUTs succeed', async () => {
    await setLimit(1);
    await scim.post('/Users', user('holder')).expect(201);
    const sleeper = json(await scim.post('/Users', user('sleeper', { active: false })).expect(201));
    const res = await scim.put(`/Users/${sleeper.id}`, user('sleeper', { active: true, title: 'Woken' })).expect(403);
    expect(json(res).detail).to.equal(FULL(1, 1));
    const after = await h.services.users.get(sleeper.id);
    expect(after).to.include({ status: 'inactive', title: null });
    expect(`W/"${after.version}"`).to.equal(sleeper.meta.version);
    expect(await auditOf(h, 'seats.limit_reached')).to.have.length(1);
    await scim.put(`/Users/${sleeper.id}`, user('sleeper', { active: false, title: 'Still asleep' })).expect(200);
    expect((await h.services.users.get(sleeper.id)).title).to.equal('Still asleep');
  });

  it('PATCH setting active=true on a full pool is refused whole; after a seat frees up it succeeds', async () => {
    await setLimit(1);
    const holder = json(await scim.post('/Users', user('holder')).expect(201));
    const sleeper = json(await scim.post('/Users', user('sleeper', { active: false })).expect(201));
    const res = await scim.patch(`/Users/${sleeper.id}`, patchOp({ op: 'replace', path: 'title', value: 'Woken' }, { op: 'replace', path: 'active', value: true })).expect(403);
    expect(json(res).detail).to.equal(FULL(1, 1));
    expect(await h.services.users.get(sleeper.id)).to.include({ status: 'inactive', title: null });
    // Attribute-only updates keep working on a full pool, for active and inactive accounts.
    await scim.patch(`/Users/${sleeper.id}`, patchOp({ op: 'replace', path: 'title', value: 'Dreaming' })).expect(200);
    await scim.patch(`/Users/${holder.id}`, patchOp({ op: 'replace', path: 'title', value: 'Holding' })).expect(200);
    // A kind change takes a seat in the new pool.
    await setLimit(0, 'requester');
    expect(json(await scim.patch(`/Users/${holder.id}`, patchOp({ op: 'replace', path: 'userType', value: 'requester' })).expect(403)).detail).to.equal('Seat limit reached: 0 of 0 requester seats in use');
    // Free the seat: now the reactivation goes through.
    await scim.patch(`/Users/${holder.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(200);
    await scim.patch(`/Users/${sleeper.id}`, patchOp({ op: 'replace', path: 'active', value: true })).expect(200);
    expect(await used()).to.equal(1);
  });

  it('Bulk applies operations in order, each refusal in its own response, failOnErrors stopping early', async () => {
    await setLimit(3);
    await scim.post('/Users', user('existing')).expect(201);
    const sleeper = json(await scim.post('/Users', user('sleeper', { active: false })).expect(201));
    const ops = [
      { method: 'POST', path: '/Users', bulkId: 'a', data: user('bulk-a') },
      { method: 'POST', path: '/Users', bulkId: 'b', data: user('bulk-b') },
      { method: 'POST', path: '/Users', bulkId: 'c', data: user('bulk-c') },
      { method: 'PATCH', path: `/Users/${sleeper.id}`, data: patchOp({ op: 'replace', path: 'active', value: true }) },
      { method: 'PATCH', path: `/Users/${sleeper.id}`, data: patchOp({ op: 'replace', path: 'title', value: 'Bulk edited' }) },
      { method: 'POST', path: '/Users', bulkId: 'd', data: user('bulk-d', { active: false }) },
    ];
    let res = json(await scim.post('/Bulk', { schemas: [BULK_REQUEST], Operations: ops }).expect(200));
    expect(res.Operations.map((o: { status: string }) => o.status)).to.deep.equal(['201', '201', '403', '403', '200', '201']);
    expect(res.Operations[2]).to.deep.include({ method: 'POST', bulkId: 'c' });
    expect(res.Operations[2].response.detail).to.equal(FULL(3, 3));
    expect(res.Operations[3].response.detail).to.equal(FULL(3, 3));
    expect(res.Operations[0].location).to.match(/^http:\/\/gatehouse\.test\/scim\/v2\/Users\/[0-9a-f-]{36}$/);
    expect(res.Operations[0].version).to.match(/^W\/"\d+"$/);
    expect(await h.services.users.findByLogin('bulk-c')).to.equal(null);
    expect(await h.services.users.get(sleeper.id)).to.include({ status: 'inactive', title: 'Bulk edited' });
    expect(await auditOf(h, 'seats.limit_reached')).to.have.length(2);

    // failOnErrors: 1 stops after the first refusal.
    res = json(await scim.post('/Bulk', { schemas: [BULK_REQUEST], failOnErrors: 1, Operations: [
      { method: 'POST', path: '/Users', bulkId: 'e', data: user('bulk-e', { active: false }) },
      { method: 'POST', path: '/Users', bulkId: 'f', data: user('bulk-f') },
      { method: 'POST', path: '/Users', bulkId: 'g', data: user('bulk-g', { active: false }) },
    ] }).expect(200));
    expect(res.Operations.map((o: { bulkId: string; status: string }) => `${o.bulkId}:${o.status}`)).to.deep.equal(['e:201', 'f:403']);
    expect(await h.services.users.findByLogin('bulk-g')).to.equal(null);
    expect(await used()).to.equal(3);
  });

  it('parallel POSTs never exceed the limit', async () => {
    await setLimit(5);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => scim.post('/Users', user(`racer${i}`))));
    expect(results.filter((r) => r.status === 201)).to.have.length(5);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status, r.text).to.equal(403);
      expect(json(r).detail).to.equal(FULL(5, 5));
    }
    expect(await used()).to.equal(5);
  });

  describe('two Gatehouse processes', function () {
    this.timeout(180_000);
    const servers: ServerProcess[] = [];
    let dir: string;
    afterEach(() => {
      for (const s of servers.splice(0)) s.kill();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('parallel POSTs to both never exceed the limit', async () => {
      await setLimit(10);
      for (let i = 0; i < 3; i++) await scim.post('/Users', user(`before${i}`)).expect(201);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-scim-'));
      const urls: string[] = [];
      for (const name of ['a', 'b']) {
        const port = await freePort();
        const server = spawnServer({
          DATABASE_URL: h.config.database.url, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`,
          LOG_LEVEL: 'info', MAIL_WORKER: 'false', VAR_DIR: path.join(dir, name), MAIL_DIR: path.join(dir, name, 'mail'),
        });
        servers.push(server);
        urls.push(`http://127.0.0.1:${port}`);
      }
      for (const s of servers) await s.waitForLog('gatehouse listening');
      const post = (base: string, n: string) =>
        fetch(`${base}/scim/v2/Users`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify(user(n)) });
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => post(urls[i % 2]!, `proc${i}`)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).to.have.length(7);
      expect(statuses.filter((s) => s === 403)).to.have.length(23);
      expect(await used()).to.equal(10);
    });
  });
});
