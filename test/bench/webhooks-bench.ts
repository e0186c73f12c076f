// `npm run bench:webhooks`: what lifecycle webhooks cost and how fast they go out, each
// against a baseline measured in the same run:
//   1. POST /scim/v2/Users per second with one webhook subscribed to user.created vs with
//      none (goal: at least 90% of none). Rounds alternate which goes first; the worker does
//      not run during them, so the figure is the cost of writing the delivery in the
//      creation's transaction (the worker's own load is measured next);
//   2. events delivered per second by the worker to a local receiver (signed, recorded
//      attempt per delivery), vs bare HTTP POSTs of the same bodies to that receiver with as
//      many in flight.
// On SQLite, or on MariaDB/MySQL when BENCH_MYSQL_URL or TEST_MYSQL_URL is set.
//
//   --posts N   / BENCH_POSTS    POSTs per round (default 400)
//   --rounds N  / BENCH_ROUNDS   rounds per side (default 5)
//   --concurrency N              requests in flight (default 4)
//   --check                      exit 2 when the POST rate with a subscriber is below 90% of none
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createBenchSchema, median, noMail, positive } from './bench-kit.js';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { buildApp } from '../../src/app.js';

const { values: flags } = parseArgs({ options: { posts: { type: 'string' }, rounds: { type: 'string' }, concurrency: { type: 'string' }, check: { type: 'boolean' } } });
const env = process.env;
const POSTS = positive('--posts/BENCH_POSTS', flags.posts ?? env.BENCH_POSTS, 400);
const ROUNDS = positive('--rounds/BENCH_ROUNDS', flags.rounds ?? env.BENCH_ROUNDS, 5);
const CONCURRENCY = positive('--concurrency', flags.concurrency, 4);
const SERVER_URL = env.BENCH_MYSQL_URL || env.TEST_MYSQL_URL;
const GOAL = 0.9;
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function createDatabase(): Promise<{ url: string; label: string; drop(): Promise<void> }> {
  if (!SERVER_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-webhookbench-'));
    return { url: `sqlite:${path.join(dir, 'bench.sqlite')}`, label: 'SQLite', drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = await createBenchSchema(SERVER_URL, 'webhookbench');
  return { url: schema.url, label: `MariaDB/MySQL ${schema.version}`, drop: schema.drop };
}

/** Runs `count` jobs with `CONCURRENCY` in flight; jobs per second. */
async function rate(count: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await job(next++);
  }));
  return count / ((performance.now() - started) / 1000);
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function main(): Promise<number> {
  const database = await createDatabase();
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-webhookbench-var-'));
  const logger = createLogger('silent');
  let received = 0;
  const receiver = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  const gatehouse = await listen(() => undefined);
  const config = loadConfig({ DATABASE_URL: database.url, PUBLIC_URL: gatehouse.base, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', WEBHOOK_WORKER: 'false', WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true', VAR_DIR: varDir });
  const db = await openDatabase(config.database, logger, 10_000);
  try {
    await migrate(db, logger);
    const services = createServices(config, db, logger, systemClock, { mailTransport: noMail, webhookWorkerOptions: { concurrency: CONCURRENCY } });
    const { app } = await buildApp(services);
    gatehouse.server.removeAllListeners('request');
    gatehouse.server.on('request', app);
    const ctx = systemContext('cli', 'bench');
    const { token } = await services.scimTokens.create(ctx, 'bench');
    const { client } = await services.clients.add(ctx, { name: 'Bench app', type: 'web', redirectUris: ['https://app.example.com/cb'] });

    let serial = 0;
    const scimPost = async () => {
      const n = serial++;
      const res = await fetch(`${gatehouse.base}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: [USER_URN], userName: `bench${n}`, name: { givenName: 'Bench', familyName: `Person ${n}` }, emails: [{ value: `bench${n}@bench.example`, primary: true }], active: true }),
      });
      await res.text();
      if (res.status !== 201) throw new Error(`POST /Users answered ${res.status}`);
    };
    let webhookId: string | null = null;
    const subscribe = async (on: boolean) => {
      if (on && !webhookId) webhookId = (await services.webhooks.service.add(ctx, client.clientId, { url: `${receiver.base}/hooks`, events: ['user.created'] })).webhook.id;
      // Disabled, not removed: its deliveries stay for the delivery measurement; a disabled
      // webhook still has rows written (they wait), so "none" has no webhook at all.
      if (!on && webhookId) {
        await services.webhooks.service.remove(ctx, webhookId);
        webhookId = null;
      }
    };

    // Warm-up (first queries, JIT) on both sides.
    await rate(Math.min(50, POSTS), scimPost);
    const none: number[] = [];
    const one: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<[boolean, number[]]> = round % 2 ? [[true, one], [false, none]] : [[false, none], [true, one]];
      for (const [on, into] of order) {
        await subscribe(on);
        into.push(await rate(POSTS, scimPost));
      }
    }
    await subscribe(true);
    await rate(POSTS, scimPost);

    // Delivery: every delivery of the last round, by the worker, vs bare POSTs of the same bodies.
    const pending = await services.models.WebhookDelivery.findAll({ attributes: ['payload'], where: { status: 'pending' } });
    const bodies = pending.map((d) => d.payload);
    received = 0;
    const startedDelivery = performance.now();
    let delivered = 0;
    for (;;) {
      const n = await services.webhooks.worker.runOnce();
      if (n === 0) break;
      delivered += n;
    }
    const deliveredPerSecond = delivered / ((performance.now() - startedDelivery) / 1000);
    if (received < bodies.length) throw new Error(`only ${received} of ${bodies.length} deliveries arrived`);
    const bare = await rate(bodies.length, async (i) => {
      const res = await fetch(`${receiver.base}/hooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i] });
      await res.arrayBuffer();
    });

    const noneRate = median(none);
    const oneRate = median(one);
    const ratio = oneRate / noneRate;
    const line = (name: string, value: number, baseline: string, pct: string) => process.stdout.write(`${name.padEnd(44)} ${value.toFixed(1).padStart(10)}   ${baseline.padEnd(36)} ${pct}\n`);
    process.stdout.write(`webhooks on ${database.label}: ${ROUNDS} rounds of ${POSTS} SCIM POSTs per side, ${CONCURRENCY} in flight; medians\n`);
    process.stdout.write(`${'measure'.padEnd(44)} ${'per second'.padStart(10)}   ${'baseline'.padEnd(36)} ratio\n`);
    line('POST /scim/v2/Users, no webhook', noneRate, '', '');
    line('POST /scim/v2/Users, one subscriber', oneRate, `${noneRate.toFixed(1)} with none`, `${(ratio * 100).toFixed(0)}% (goal ≥ ${GOAL * 100}%) ${ratio >= GOAL ? 'ok' : 'MISSED'}`);
    line(`events delivered by the worker (${delivered})`, deliveredPerSecond, `${bare.toFixed(1)} bare HTTP POSTs`, `${((deliveredPerSecond / bare) * 100).toFixed(0)}%`);
    return flags.check && ratio < GOAL ? 2 : 0;
  } finally {
    for (const s of [receiver.server, gatehouse.server]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    await db.close();
    await database.drop();
    fs.rmSync(varDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
