// A database that stops answering (a stopped process, a black-holed network) or drops the
// connection: requests answer 503 with a clean body in each edge's own format within a few
// seconds, /readyz answers 503 within 2 s, and everything answers again once the database
// does, without a restart. MariaDB is stalled through an in-test TCP proxy (never the
// shared server); on SQLite another connection keeps the write lock past the busy timeout.
// Timeouts here are 1 s; the elapsed-time checks are only generous liveness bounds.
import { expect } from 'chai';
import type { Express } from 'express';
import mysql from 'mysql2/promise';
import request from 'supertest';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../../config/index.js';
import { buildApp, createApp } from '../../src/app.js';
import { FakeClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { DatabaseUnavailable } from '../../src/errors.js';
import { createServices, type Services } from '../../src/services.js';
import { MemoryMailTransport } from '../helpers/memory-mail.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestDatabaseConfig, openTestDatabase, testLogger } from '../helpers/test-databases.js';
import { waitUntil } from '../helpers/wait.js';

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LIVENESS_MS = 10_000;

interface Served {
  db: Database;
  services: Services;
  app: Express;
  scimToken: string;
}

/** Gatehouse as in production (pages, SCIM, OIDC) on `databaseUrl`, with short database timeouts (MariaDB's lock wait: 1 s). */
async function serve(databaseUrl: string, timeouts = { statement: '1500', acquire: '1000' }): Promise<Served> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: 'http://gatehouse.test',
    LOG_LEVEL: 'silent',
    MAIL_WORKER: 'false',
    DATABASE_STATEMENT_TIMEOUT_MS: timeouts.statement,
    DATABASE_ACQUIRE_TIMEOUT_MS: timeouts.acquire,
  });
  const db = await openDatabase(config.database, testLogger(), 5_000, config.databaseTimeouts);
  await migrate(db);
  const services = createServices(config, db, testLogger(), new FakeClock('2030-01-01T09:00:00.000Z'), { mailTransport: new MemoryMailTransport() });
  const { app } = await buildApp(services);
  const { token } = await services.scimTokens.create({ ...systemContext('system', 'test') }, `directory ${Date.now()}`);
  return { db, services, app, scimToken: token };
}

const scimGet = (s: Served, path: string) => request(s.app).get(`/scim/v2${path}`).set('Authorization', `Bearer ${s.scimToken}`).set('Accept', 'application/scim+json');
const scimPost = (s: Served, userName: string) =>
  request(s.app)
    .post('/scim/v2/Users')
    .set('Authorization', `Bearer ${s.scimToken}`)
    .set('Content-Type', 'application/scim+json')
    .send(JSON.stringify({ schemas: [USER_URN], userName, name: { givenName: 'Stall', familyName: 'Test' }, emails: [{ value: `${userName}@example.com`, primary: true }], active: true }));
const page = (s: Served) => request(s.app).get('/invitations/accept?token=no-such-invitation').set('Accept', 'text/html');
const tokenRequest = (s: Served) => request(s.app).post('/oidc/token').auth('no-such-client', 'secret').type('form').send({ grant_type: 'client_credentials' });

async function timed<T>(work: Promise<T>): Promise<{ res: T; ms: number }> {
  const started = Date.now();
  const res = await work;
  return { res, ms: Date.now() - started };
}

function expectCleanScim503(res: request.Response): void {
  expect(res.status).to.equal(503);
  expect(res.headers['retry-after']).to.equal('5');
  const body = JSON.parse(res.text);
  expect(body.schemas).to.deep.equal([ERROR_URN]);
  expect(body.status).to.equal('503');
  expect(body.detail).to.match(/temporarily unavailable/i);
  expect(res.text).not.to.match(/ECONNRESET|PROTOCOL|timeout|SQLITE|\bat .*\.(ts|js):\d+/i);
}

function expectClean503Page(res: request.Response): void {
  expect(res.status).to.equal(503);
  expect(res.headers['retry-after']).to.equal('5');
  expect(res.headers['content-type']).to.match(/html/);
  expect(res.text).to.match(/temporarily unavailable/i);
  expect(res.text).not.to.match(/ECONNRESET|PROTOCOL|timeout|SQLITE|\bat .*\.(ts|js):\d+/i);
}

describe('a stalled or dropped MariaDB connection', function () {
  let direct: { db: Database; config: { url: string }; drop(): Promise<void> };
  let proxy: TcpProxy;
  let gatehouse: Served;

  before(async function () {
    direct = await openTestDatabase(this, 'mysql');
    const target = new URL(direct.config.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 3306));
    gatehouse = await serve(proxy.proxiedUrl(direct.config.url));
  });

  afterEach(() => proxy?.resume());

  after(async () => {
    await gatehouse?.db.close().catch(() => undefined);
    await proxy?.close();
    await direct?.drop();
  });

  it('answers 503 with a clean body on pages, SCIM, OIDC and /readyz within seconds, and 200 again after it resumes', async () => {
    await scimGet(gatehouse, '/Users').expect(200);
    await request(gatehouse.app).get('/readyz').expect(200);

    proxy.stall();
    const [pageAnswer, scimAnswer, oidcAnswer, ready] = await Promise.all([
      timed(page(gatehouse)),
      timed(scimGet(gatehouse, '/Users')),
      timed(tokenRequest(gatehouse)),
      timed(request(gatehouse.app).get('/readyz')),
    ]);
    expectClean503Page(pageAnswer.res);
    expectCleanScim503(scimAnswer.res);
    expect(oidcAnswer.res.status).to.equal(503);
    expect(oidcAnswer.res.body).to.deep.include({ error: 'temporarily_unavailable' });
    expect(oidcAnswer.res.headers['retry-after']).to.equal('5');
    expect(oidcAnswer.res.text).not.to.match(/ECONNRESET|PROTOCOL|\bat .*\.(ts|js):\d+/);
    expect(ready.res.status).to.equal(503);
    expect(ready.res.body).to.deep.equal({ status: 'not ready', reason: 'database unreachable' });
    for (const answer of [pageAnswer, scimAnswer, oidcAnswer, ready]) expect(answer.ms).to.be.below(LIVENESS_MS);

    proxy.resume();
    await request(gatehouse.app).get('/readyz').expect(200);
    await scimGet(gatehouse, '/Users').expect(200);
    const after = await page(gatehouse);
    expect(after.status).to.be.within(400, 499);
    const token = await tokenRequest(gatehouse);
    expect(token.status).to.equal(401);
    expect(token.body.error).to.equal('invalid_client');
  });

  it('more requests than pooled connections: the ones waiting for a connection answer 503 too, then all recover', async () => {
    await scimGet(gatehouse, '/Users').expect(200);
    proxy.stall();
    const answers = await Promise.all(Array.from({ length: 14 }, () => timed(scimGet(gatehouse, '/Users'))));
    for (const answer of answers) {
      expectCleanScim503(answer.res);
      expect(answer.ms).to.be.below(LIVENESS_MS);
    }
    proxy.resume();
    const after = await Promise.all(Array.from({ length: 14 }, () => scimGet(gatehouse, '/Users')));
    expect(after.map((r) => r.status)).to.deep.equal(Array(14).fill(200));
  });

  it('/readyz answers 503 within 2 s even when a statement may wait far longer', async function () {
    const patient = await openDatabase(gatehouse.services.config.database, testLogger(), 5_000, { statementMs: 30_000, acquireMs: 30_000 });
    try {
      const services = createServices(gatehouse.services.config, patient, testLogger(), new FakeClock('2030-01-01T09:00:00.000Z'), { mailTransport: new MemoryMailTransport() });
      const app = createApp(services);
      await request(app).get('/readyz').expect(200);
      proxy.stall();
      const ready = await timed(request(app).get('/readyz'));
      expect(ready.res.status).to.equal(503);
      expect(ready.ms).to.be.below(LIVENESS_MS);
      // The race is what answered, not the statement bound (30 s).
      expect(ready.ms).to.be.at.least(1_900);
      proxy.resume();
      await request(app).get('/readyz').expect(200);
    } finally {
      proxy.resume();
      await patient.close();
    }
  });

  it('a connection reset in the middle of a request answers 503, never 500, and the pool recovers', async () => {
    await scimGet(gatehouse, '/Users').expect(200);
    proxy.stall();
    proxy.countFrom();
    const scimAnswer = scimGet(gatehouse, '/Users').then((r) => r);
    const pageAnswer = page(gatehouse).then((r) => r);
    // Both requests' first statements have reached the proxy: they are waiting for answers.
    // The SCIM request's first is its token's lookup, or, while the token is remembered
    // from the request before (up to a second), its Users query.
    const scimReached = () => proxy.count('scim_tokens') >= 1 || proxy.count('user_external_ids') >= 1;
    await waitUntil(() => scimReached() && proxy.count('invitations') >= 1, 'the requests to reach the database');
    proxy.reset();
    proxy.resume();
    expectCleanScim503(await scimAnswer);
    expectClean503Page(await pageAnswer);

    await scimGet(gatehouse, '/Users').expect(200);
    await request(gatehouse.app).get('/readyz').expect(200);
  });

  it('a stall while COMMIT is on its way answers 503 and is not retried (the outcome is unknown)', async () => {
    await scimGet(gatehouse, '/Users').expect(200);
    proxy.countFrom();
    proxy.stallAfterSending('COMMIT');
    const answer = await timed(scimPost(gatehouse, 'commit.stall'));
    expectCleanScim503(answer.res);
    expect(answer.ms).to.be.below(LIVENESS_MS);
    expect(proxy.count('START TRANSACTION'), 'transactions begun').to.equal(1);
    expect(proxy.count('COMMIT'), 'COMMITs sent').to.equal(1);

    // The server did commit: answering 503 rather than retrying is what kept it single.
    proxy.resume();
    const [row] = (await direct.db.sequelize.query("SELECT COUNT(*) AS n FROM users WHERE username = 'commit.stall'", { plain: false, raw: true }))[0] as Array<{ n: number }>;
    expect(Number(row!.n)).to.equal(1);
    await scimGet(gatehouse, '/Users').expect(200);
  });

  it('a connection reset while COMMIT is on its way answers 503 and is not retried either', async () => {
    await scimGet(gatehouse, '/Users').expect(200);
    proxy.countFrom();
    proxy.stallAfterSending('COMMIT');
    const answer = scimPost(gatehouse, 'commit.reset').then((r) => r);
    await waitUntil(() => proxy.count('COMMIT') === 1, 'COMMIT to reach the server');
    proxy.reset();
    proxy.resume();
    expectCleanScim503(await answer);
    expect(proxy.count('START TRANSACTION'), 'transactions begun').to.equal(1);
    expect(proxy.count('COMMIT'), 'COMMITs sent').to.equal(1);
    await scimGet(gatehouse, '/Users').expect(200);
  });

  it('a row lock held past the bound answers 503 and is not retried (only deadlocks are)', async () => {
    await scimGet(gatehouse, '/Users').expect(200);
    const holder = await mysql.createConnection({ uri: direct.config.url });
    try {
      await holder.query('START TRANSACTION');
      await holder.query('SELECT * FROM seat_pools FOR UPDATE');
      proxy.countFrom();
      const answer = await timed(scimPost(gatehouse, 'lock.wait'));
      expectCleanScim503(answer.res);
      expect(answer.ms).to.be.below(LIVENESS_MS);
      expect(proxy.count('START TRANSACTION'), 'transactions begun').to.equal(1);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await scimPost(gatehouse, 'lock.wait').expect(201);
  });

  it('a deadlock victim (1213) is still retried, and both units of work complete', async () => {
    const db = direct.db;
    const now = new Date();
    for (const key of ['deadlock-a', 'deadlock-b']) await db.sequelize.query('INSERT INTO settings (`key`, `value`, updated_at) VALUES (?, ?, ?)', { replacements: [key, '0', now] });
    let locked = 0;
    let attempts = 0;
    const bothLocked = () => waitUntil(() => locked >= 2, 'both transactions to hold their first row');
    const crosswise = (first: string, second: string) =>
      db.transactions.run(systemContext('system', 'test'), async ({ transaction }) => {
        attempts++;
        await db.sequelize.query('UPDATE settings SET `value` = `value` + 1 WHERE `key` = ?', { replacements: [first], transaction });
        locked++;
        await bothLocked();
        await db.sequelize.query('UPDATE settings SET `value` = `value` + 1 WHERE `key` = ?', { replacements: [second], transaction });
      });
    await Promise.all([crosswise('deadlock-a', 'deadlock-b'), crosswise('deadlock-b', 'deadlock-a')]);
    expect(attempts).to.equal(3);
    const [rows] = await db.sequelize.query("SELECT `value` FROM settings WHERE `key` LIKE 'deadlock-%'");
    expect((rows as Array<{ value: string }>).map((r) => Number(r.value))).to.deep.equal([2, 2]);
  });

  it('the transaction runner runs the work once when COMMIT does not answer, and reports DatabaseUnavailable', async () => {
    let attempts = 0;
    proxy.stallAfterSending('COMMIT');
    const failure = await gatehouse.db.transactions
      .run(systemContext('system', 'test'), async ({ transaction }) => {
        attempts++;
        await gatehouse.db.sequelize.query('SELECT 1', { transaction });
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(failure).to.be.instanceOf(DatabaseUnavailable);
    expect(attempts).to.equal(1);
  });
});

describe('an SQLite write lock held by another connection', function () {
  let created: Awaited<ReturnType<typeof createTestDatabaseConfig>>;
  let gatehouse: Served;
  let other: sqlite3.Database;

  const run = (sql: string) => new Promise<void>((resolve, reject) => other.run(sql, (err) => (err ? reject(err) : resolve())));

  before(async () => {
    created = await createTestDatabaseConfig('sqlite');
    gatehouse = await serve(created.config.url);
    if (created.config.dialect !== 'sqlite') throw new Error('expected an SQLite database');
    other = new sqlite3.Database(created.config.storage);
  });

  after(async () => {
    await new Promise((resolve) => other?.close(resolve));
    await gatehouse?.db.close();
    await created?.drop();
  });

  it('a write answers 503 once the busy timeout passes, reads go on, and writes succeed after it is released', async () => {
    await scimPost(gatehouse, 'before.lock').expect(201);
    await run('BEGIN IMMEDIATE');
    try {
      const answer = await timed(scimPost(gatehouse, 'during.lock'));
      expectCleanScim503(answer.res);
      // One busy wait of 1 s, not Sequelize's default of five in a row.
      expect(answer.ms).to.be.below(4_000);
      // WAL: readers are not blocked by the writer.
      await scimGet(gatehouse, '/Users').expect(200);
      await request(gatehouse.app).get('/readyz').expect(200);
    } finally {
      await run('ROLLBACK');
    }
    await scimPost(gatehouse, 'after.lock').expect(201);
    const list = await scimGet(gatehouse, '/Users').expect(200);
    expect(JSON.parse(list.text).Resources.map((u: { userName: string }) => u.userName).sort()).to.deep.equal(['after.lock', 'before.lock']);
  });
});
