// /metrics (Prometheus text): off unless configured; on the main port only with its bearer
// token; counters follow real sign-ins and SCIM calls; gauges read seats, the outbox and
// the database pool when scraped.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { registerClient, seedUser, signIn, startAuth, tokensFor } from '../helpers/relying-party.js';
import { UserAgent } from '../helpers/user-agent.js';
import { createToken, scimClient } from '../scim/scim-fixtures.js';
import { systemContext } from '../../src/context.js';
import { hasMetric, sample } from './metrics-scrape.js';

const TOKEN = 'metrics-token-of-at-least-32-characters';

async function scrape(h: Harness): Promise<string> {
  const res = await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

describeEachDatabase(
  'metrics on the main port with a bearer token',
  (h) => {
    it('answers 401 without the token or with a wrong one, and 200 with it', async () => {
      const none = await request(h.app).get('/metrics').expect(401);
      expect(none.headers['www-authenticate']).to.match(/^Bearer/);
      await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
      await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN.slice(0, -1)}`).expect(401);
      await request(h.app).get('/metrics').set('Authorization', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`).expect(401);
      const text = await scrape(h);
      expect(hasMetric(text, 'process_cpu_user_seconds_total')).to.equal(true);
    });

    it('counts a real sign-in, a wrong password and SCIM calls, labelling routes by template', async () => {
      await seedUser(h);
      const { config } = await registerClient(h);
      const before = await scrape(h);
      await tokensFor(h, config);
      const wrong = await startAuth(config);
      const page = await signIn(new UserAgent(h.baseUrl), wrong.url, 'alice', 'not the password at all');
      expect(page.status).to.equal(401);
      const scim = scimClient(h, await createToken(h));
      await scim.get('/Users').expect(200);
      const user = (await h.services.users.findByLogin('alice'))!;
      await scim.get(`/Users/${user.id}`).expect(200);
      await scim.get('/Users/no-such-id').expect(404);
      const after = await scrape(h);

      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'success' })).to.equal(1);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'wrong_password' })).to.equal(1);
      expect(delta('gatehouse_scim_operations_total', { resource: 'Users', method: 'GET', status: '200' })).to.equal(2);
      expect(delta('gatehouse_scim_operations_total', { resource: 'Users', method: 'GET', status: '404' })).to.equal(1);
      expect(delta('gatehouse_http_request_duration_seconds_count', { method: 'GET', route: '/scim/v2/Users/:id', status: '200' })).to.equal(1);
      expect(delta('gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/oidc/token', status: '200' })).to.equal(1);
      expect(sample(after, 'gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/interaction/:uid/login', status: '401' })).to.be.greaterThan(0);
      // No URL with an id or a token becomes a label.
      expect(after).not.to.include(user.id);
      expect(after).not.to.include('no-such-id');
    });

    it('names requests no route serves with one label', async () => {
      const before = await scrape(h);
      await request(h.app).get('/no/such/page/12345').expect(404);
      await request(h.app).get('/another/made-up/path').expect(404);
      const after = await scrape(h);
      const labels = { method: 'GET', route: 'unmatched', status: '404' };
      expect(sample(after, 'gatehouse_http_request_duration_seconds_count', labels) - sample(before, 'gatehouse_http_request_duration_seconds_count', labels)).to.equal(2);
      expect(after).not.to.include('12345');
    });

    it('maps every sign-in outcome, counting only committed events', async () => {
      const before = await scrape(h);
      const ctx = systemContext('system', 'test');
      const record = (details: Record<string, unknown>) => h.services.audit.record(ctx, 'signin.failed', details);
      await record({ reason: 'account_locked' });
      await record({ reason: 'account_delay' });
      await record({ reason: 'ip_limit' });
      await record({ reason: 'wrong_totp' });
      await record({ reason: 'status_deactivated' });
      await record({ reason: 'wrong_password', step: 'email change' }); // a confirmation, not a sign-in
      await h.services.audit.record(ctx, 'directory.sync_completed', { runId: 'r', trigger: 'manual', created: 3, updated: 2, unchanged: 0 });
      await h.services.audit.record(ctx, 'directory.import_failed', { runId: 'r', failed: 1 });
      // A rolled-back transaction's sign-in did not happen.
      await h.db.transactions
        .run(ctx, async (tx) => {
          await h.services.audit.record(tx, 'signin.succeeded', { method: 'password' });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      const after = await scrape(h);
      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'locked' })).to.equal(1);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'throttled' })).to.equal(2);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'totp_failed' })).to.equal(1);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'inactive' })).to.equal(1);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'wrong_password' })).to.equal(0);
      expect(delta('gatehouse_signin_attempts_total', { outcome: 'success' })).to.equal(0);
      expect(delta('gatehouse_directory_runs_total', { kind: 'ldap', outcome: 'completed' })).to.equal(1);
      expect(delta('gatehouse_directory_rows_total', { kind: 'ldap', outcome: 'created' })).to.equal(3);
      expect(delta('gatehouse_directory_rows_total', { kind: 'ldap', outcome: 'updated' })).to.equal(2);
      expect(delta('gatehouse_directory_runs_total', { kind: 'csv', outcome: 'failed' })).to.equal(1);
    });

    it('shows seats in use and the limit per pool as the seats service counts them', async () => {
      await h.services.seats.setLimit(h.system(), 'user', 7);
      await seedUser(h, 'alice');
      await seedUser(h, 'bob');
      const text = await scrape(h);
      for (const usage of await h.services.seats.allUsage()) {
        expect(sample(text, 'gatehouse_seats_in_use', { pool: usage.pool }), usage.pool).to.equal(usage.used);
        if (usage.limit === null) expect(text).not.to.include(`gatehouse_seats_limit{pool="${usage.pool}"}`);
        else expect(sample(text, 'gatehouse_seats_limit', { pool: usage.pool })).to.equal(usage.limit);
      }
      expect(sample(text, 'gatehouse_seats_in_use', { pool: 'user' })).to.equal(2);
      expect(sample(text, 'gatehouse_seats_limit', { pool: 'user' })).to.equal(7);
    });

    it('shows the mail outbox depth and the age of its oldest message', async () => {
      const ctx = systemContext('system', 'test');
      await h.services.outbox.enqueue(ctx, 'a@example.com', { subject: 'One', html: '<p>1</p>', text: '1', template: 'test' });
      h.clock.advance(90_000);
      await h.services.outbox.enqueue(ctx, 'b@example.com', { subject: 'Two', html: '<p>2</p>', text: '2', template: 'test' });
      const text = await scrape(h);
      expect(sample(text, 'gatehouse_mail_outbox_pending')).to.equal(2);
      expect(sample(text, 'gatehouse_mail_outbox_oldest_age_seconds')).to.equal(90);
    });

    it('shows the database connections', async () => {
      const text = await scrape(h);
      expect(hasMetric(text, 'gatehouse_db_pool_connections')).to.equal(true);
      expect(hasMetric(text, 'gatehouse_db_pool_waiting')).to.equal(true);
      if (h.dialect === 'mysql') expect(sample(text, 'gatehouse_db_pool_max')).to.equal(10);
      else expect(hasMetric(text, 'gatehouse_db_pool_max')).to.equal(false);
    });
  },
  { serve: true, env: { METRICS_TOKEN: TOKEN } },
);

describeEachDatabase('metrics not configured', (h) => {
  it('answers 404 at /metrics', async () => {
    await request(h.app).get('/metrics').expect(404);
    await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  });
});
