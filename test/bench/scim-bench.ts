// `npm run bench:scim`: the SCIM server's speed and memory on MariaDB (or SQLite), with each
// goal compared against a baseline measured in the same run:
//   1. POST /Users per second vs raw single-row INSERTs into the same table through the driver
//      (goal: at least 10% of raw, at least 25 requests/s, p99 under 1 s — Entra's floor);
//   2. `userName eq` lookup latency at 10,000 accounts vs at the full size (goal: ≤ 2×);
//   3. a deep startIndex page vs the first page (goal: ≤ 3×);
//   4. process memory while paging through every account (goal: flat — the heap retained
//      after garbage collection grows by less than 16 MB from the first page to the last);
//   5. the Entra run: POST /Users with the body Entra ID sends (name, two emails, a phone, an
//      address, the enterprise extension, externalId) from a separate client process
//      (scim-bench-client.ts) with 8 in flight, vs raw single-row INSERTs with 8 in flight
//      (goal: at least 10% of raw), after the accounts above are in.
// In runs 1-4 the server runs in this process beside its client, so CPU time per request
// (client and server together) is printed too: on a machine busy with other work, rates follow the CPU share, not the code.
// Accounts are seeded with multi-row INSERTs (not through argon2 or the services).
//
// Usage: TEST_MYSQL_URL=mysql://gatehouse:gatehouse@127.0.0.1:3306/gatehouse_test npm run bench:scim
//   (without TEST_MYSQL_URL it runs on an SQLite file, the raw INSERTs through sqlite3)
//   SCIM_BENCH_SIZE=100000   accounts at full size (CI runs it small, e.g. 2000)
//   SCIM_BENCH_POSTS=1000    POSTs per round (raw INSERTs: 5× as many); long rounds are steadier
//   SCIM_BENCH_ROUNDS=5      rounds, alternating which goes first; medians reported
//   SCIM_BENCH_CONCURRENCY=4 requests in flight at once, for POSTs and INSERTs alike
//   SCIM_BENCH_LOOKUPS=300   userName lookups per measurement
//   SCIM_BENCH_ENTRA_CONCURRENCY=8  requests in flight in the Entra run (and its raw INSERTs)
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { createApp } from '../../src/app.js';
import { systemContext } from '../../src/context.js';
import { createTestDatabaseConfig } from '../helpers/test-databases.js';
import { httpTransport } from './keep-alive-transport.js';
import { openRawUsersTable, type RawUsersTable } from './raw-users-table.js';
import { run, type Stats } from './latency-stats.js';
import type { EntraJob, EntraResult } from './scim-bench-client.js';

const DIALECT = process.env.TEST_MYSQL_URL ? 'mysql' : 'sqlite';
const knob = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const SIZE = knob('SCIM_BENCH_SIZE', 100_000);
const SMALL = Math.min(10_000, Math.max(1, Math.floor(SIZE / 10)));
const POSTS = knob('SCIM_BENCH_POSTS', 1000);
const CONCURRENCY = knob('SCIM_BENCH_CONCURRENCY', 4);
const LOOKUPS = knob('SCIM_BENCH_LOOKUPS', 300);
const ROUNDS = knob('SCIM_BENCH_ROUNDS', 5);
const ENTRA_CONCURRENCY = knob('SCIM_BENCH_ENTRA_CONCURRENCY', 8);
/** Raw INSERTs per round per POST: they are ~10× faster, so the baseline runs long enough to be steady. */
const RAW_FACTOR = 5;
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Each figure the median over the rounds (p99: the median of the rounds' p99s). */
function medianStats(rounds: Stats[]): Stats {
  const median = (pick: (s: Stats) => number) => {
    const xs = rounds.map(pick).sort((a, b) => a - b);
    return xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
  };
  return { n: rounds.reduce((sum, r) => sum + r.n, 0), perSecond: median((r) => r.perSecond), p50: median((r) => r.p50), p99: median((r) => r.p99), cpu: median((r) => r.cpu) };
}

const pad = (n: number) => String(n).padStart(7, '0');

async function seed(raw: RawUsersTable, from: number, to: number): Promise<void> {
  const base = Date.UTC(2020, 0, 1);
  for (let start = from; start < to; start += 1000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(to, start + 1000); i++) {
      const name = `seed${pad(i)}@example.com`;
      const at = new Date(base + i * 1000);
      rows.push([randomUUID(), name, name, name, name, `Given${i}`, `Family${i}`, 'user', 'scim', 'active', 0, 1, at, at]);
    }
    await raw.insertMany(rows);
  }
}

async function main(): Promise<void> {
  const created = await createTestDatabaseConfig(DIALECT);
  const logger = createLogger('silent');
  const config = loadConfig({ DATABASE_URL: created.config.url, PUBLIC_URL: 'http://bench.test', LOG_LEVEL: 'silent', MAIL_WORKER: 'false' });
  const db = await openDatabase(config.database, logger, 10_000);
  let raw: RawUsersTable | null = null;
  let server: http.Server | null = null;
  let client: ChildProcess | null = null;
  try {
    await migrate(db);
    raw = await openRawUsersTable(created.config);
    const services = createServices(config, db, logger, systemClock);
    const { token } = await services.scimTokens.create(systemContext('cli', 'bench'), 'bench');
    server = http.createServer(createApp(services));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
    // node:http keep-alive (keep-alive-transport.ts): the client shares this process's event loop.
    const get = async (path: string) => {
      const res = await httpTransport({ method: 'GET', url: new URL(base + path), headers });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body) as { totalResults: number; Resources: Array<{ id: string }> };
    };
    const lookup = (population: number) => async (i: number) => {
      const n = Math.floor(((i * 7919) % population) + 0);
      const body = await get(`/Users?filter=${encodeURIComponent(`userName eq "SEED${pad(n)}@EXAMPLE.COM"`)}`);
      if (body.totalResults !== 1) throw new Error(`lookup of seed${pad(n)} found ${body.totalResults}`);
    };

    process.stderr.write(`seeding ${SMALL} accounts…\n`);
    await seed(raw, 0, SMALL);
    await lookup(SMALL)(0); // warm up
    const lookupSmall = await run(LOOKUPS, 1, lookup(SMALL));

    process.stderr.write(`seeding up to ${SIZE} accounts…\n`);
    await seed(raw, SMALL, SIZE);
    await raw.analyze();
    await lookup(SIZE)(1);
    const lookupFull = await run(LOOKUPS, 1, lookup(SIZE));

    const pages = 30;
    await get('/Users?startIndex=1&count=100');
    const firstPage = await run(pages, 1, async () => void (await get('/Users?startIndex=1&count=100')));
    const deepStart = Math.max(1, SIZE - 100);
    const deepPage = await run(pages, 1, async () => {
      const body = await get(`/Users?startIndex=${deepStart}&count=100`);
      if (body.Resources.length === 0) throw new Error('deep page empty');
    });

    process.stderr.write('paging through every account…\n');
    // Retained memory is the heap after a full collection (needs --expose-gc, as the npm
    // script passes); without it the peak heap is all there is to report.
    const retained = () => (global.gc ? (global.gc(), process.memoryUsage().heapUsed) : process.memoryUsage().heapUsed);
    await get('/Users?startIndex=1&count=1000');
    const heapStart = retained();
    let heapRetainedMax = heapStart;
    let heapPeak = heapStart;
    let rssMax = process.memoryUsage().rss;
    let seen = 0;
    const pageWalk = performance.now();
    for (let start = 1, page = 0; ; start += 1000, page++) {
      const body = await get(`/Users?startIndex=${start}&count=1000`);
      seen += body.Resources.length;
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      rssMax = Math.max(rssMax, m.rss);
      if (page % 10 === 9) heapRetainedMax = Math.max(heapRetainedMax, retained());
      if (body.Resources.length < 1000) break;
    }
    const heapEnd = retained();
    heapRetainedMax = Math.max(heapRetainedMax, heapEnd);
    const pageWalkMs = performance.now() - pageWalk;
    if (seen !== SIZE) throw new Error(`paged through ${seen} of ${SIZE}`);

    // Rounds, alternating which goes first, each rate the median over the rounds: a single
    // short run of raw INSERTs (tenths of a second) swings with whatever else the machine does.
    process.stderr.write(`POST /Users ×${POSTS} and raw INSERT ×${POSTS * RAW_FACTOR} per round, a warm-up round and ${ROUNDS} measured, ${CONCURRENCY} in flight…\n`);
    const postOnce = async (i: number) => {
      const name = `post${pad(i)}@example.com`;
      const res = await httpTransport({
        method: 'POST',
        url: new URL(`${base}/Users`),
        headers,
        body: JSON.stringify({ schemas: [USER_URN], userName: name, name: { givenName: 'Post', familyName: String(i) }, emails: [{ value: name, type: 'work', primary: true }], active: true }),
      });
      if (res.status !== 201) throw new Error(`POST: ${res.status} ${res.body}`);
    };
    /** Raw single-row INSERTs through `through`, named `<prefix><i>` so runs never collide. */
    const insertWith = (through: (row: unknown[]) => Promise<void>, prefix: string) => async (i: number) => {
      const name = `${prefix}${pad(i)}@example.com`;
      const now = new Date();
      await through([randomUUID(), name, name, name, name, 'Raw', String(i), 'user', 'scim', 'active', 0, 1, now, now]);
    };
    const insertOnce = insertWith(raw.inserter(CONCURRENCY), 'raw');
    const postRounds: Stats[] = [];
    const insertRounds: Stats[] = [];
    // Round 0 warms both up (JIT, connection pools, buffer pool) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const measurePosts = async () => postRounds.push(await run(POSTS, CONCURRENCY, (i) => postOnce(round * POSTS + i)));
      const measureInserts = async () => insertRounds.push(await run(POSTS * RAW_FACTOR, CONCURRENCY, (i) => insertOnce(round * POSTS * RAW_FACTOR + i)));
      if (round % 2 === 0) await measurePosts().then(measureInserts);
      else await measureInserts().then(measurePosts);
    }
    postRounds.shift();
    insertRounds.shift();
    const posts = medianStats(postRounds);
    const inserts = medianStats(insertRounds);
    const roundRates = (xs: Stats[]) => xs.map((x) => x.perSecond.toFixed(0)).join(', ');

    // The Entra run: the same alternating rounds, the POSTs from the client process.
    process.stderr.write(`Entra-shaped POST /Users ×${POSTS} from a client process and raw INSERT ×${POSTS * RAW_FACTOR} per round, ${ENTRA_CONCURRENCY} in flight…\n`);
    client = startEntraClient();
    const entraInsertOnce = insertWith(raw.inserter(ENTRA_CONCURRENCY), 'rawentra');
    const entraRounds: Array<{ stats: Stats; serverCpu: number }> = [];
    const entraInsertRounds: Stats[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const measurePosts = async () => entraRounds.push(await entraPosts(client!, { url: `${base}/Users`, authorization: headers.Authorization!, first: round * POSTS, count: POSTS, concurrency: ENTRA_CONCURRENCY }));
      const measureInserts = async () => entraInsertRounds.push(await run(POSTS * RAW_FACTOR, ENTRA_CONCURRENCY, (i) => entraInsertOnce(round * POSTS * RAW_FACTOR + i)));
      if (round % 2 === 0) await measurePosts().then(measureInserts);
      else await measureInserts().then(measurePosts);
    }
    entraRounds.shift();
    entraInsertRounds.shift();
    const entra = medianStats(entraRounds.map((r) => r.stats));
    const entraServerCpu = medianStats(entraRounds.map((r) => ({ ...r.stats, cpu: r.serverCpu }))).cpu;
    const entraInserts = medianStats(entraInsertRounds);

    const mb = (b: number) => `${(b / 1_048_576).toFixed(1)} MB`;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const rows: Array<[string, string, string, string]> = [
      ['measure', 'result', 'baseline', 'goal'],
      ['POST /Users per second', `${posts.perSecond.toFixed(1)}/s (p50 ${ms(posts.p50)}, p99 ${ms(posts.p99)}; rounds ${roundRates(postRounds)})`, `raw INSERT ${inserts.perSecond.toFixed(1)}/s (p50 ${ms(inserts.p50)}; rounds ${roundRates(insertRounds)})`, ''],
      ['  CPU per call', `${ms(posts.cpu)} per POST (client + server)`, `${ms(inserts.cpu)} per INSERT`, ''],
      ['  POST vs raw INSERT', `${((posts.perSecond / inserts.perSecond) * 100).toFixed(1)}%`, '', verdict(posts.perSecond / inserts.perSecond >= 0.1, '≥ 10%')],
      ['  POST rate, p99', `${posts.perSecond.toFixed(1)}/s, ${ms(posts.p99)}`, '', verdict(posts.perSecond >= 25 && posts.p99 < 1000, '≥ 25/s, p99 < 1 s')],
      [`Entra POST /Users per second (${ENTRA_CONCURRENCY} in flight, client process)`, `${entra.perSecond.toFixed(1)}/s (p50 ${ms(entra.p50)}, p99 ${ms(entra.p99)}; rounds ${roundRates(entraRounds.map((r) => r.stats))})`, `raw INSERT ${entraInserts.perSecond.toFixed(1)}/s (p50 ${ms(entraInserts.p50)}; rounds ${roundRates(entraInsertRounds)})`, ''],
      ['  CPU per call', `${ms(entraServerCpu)} server + ${ms(entra.cpu)} client per POST`, `${ms(entraInserts.cpu)} per INSERT`, ''],
      ['  Entra POST vs raw INSERT', `${((entra.perSecond / entraInserts.perSecond) * 100).toFixed(1)}%`, '', verdict(entra.perSecond / entraInserts.perSecond >= 0.1, '≥ 10%')],
      [`userName eq at ${SIZE}`, `p50 ${ms(lookupFull.p50)}, p99 ${ms(lookupFull.p99)}`, `at ${SMALL}: p50 ${ms(lookupSmall.p50)}, p99 ${ms(lookupSmall.p99)}`, verdict(lookupFull.p50 <= 2 * lookupSmall.p50, `≤ 2× (${(lookupFull.p50 / lookupSmall.p50).toFixed(2)}×)`)],
      [`page at startIndex ${deepStart}`, `p50 ${ms(deepPage.p50)}, p99 ${ms(deepPage.p99)}`, `first page: p50 ${ms(firstPage.p50)}`, verdict(deepPage.p50 <= 3 * firstPage.p50, `≤ 3× (${(deepPage.p50 / firstPage.p50).toFixed(2)}×)`)],
      [`paging all ${SIZE} (1000/page)`, `retained heap ${mb(heapStart)} → max ${mb(heapRetainedMax)}, end ${mb(heapEnd)}; peak heap ${mb(heapPeak)}, rss ${mb(rssMax)}; ${(pageWalkMs / 1000).toFixed(1)} s`, '', verdict(heapRetainedMax - heapStart < 16 * 1_048_576, `retained growth < 16 MB (${mb(heapRetainedMax - heapStart)})`)],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    process.stdout.write(`\nSCIM benchmark on ${DIALECT === 'mysql' ? 'MariaDB' : 'SQLite'}: ${SIZE} accounts, ${CONCURRENCY} requests in flight for POSTs; ${os.cpus().length} CPUs, load average ${load}\n\n`);
    for (const r of rows) process.stdout.write(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd() + '\n');
  } finally {
    client?.disconnect();
    server?.close();
    await raw?.end();
    await db.close();
    await created.drop();
  }
}

function startEntraClient(): ChildProcess {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scim-bench-client.ts');
  return fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** One round of the client's POSTs, with the CPU this (server) process spent per POST meanwhile. */
function entraPosts(client: ChildProcess, job: EntraJob): Promise<{ stats: Stats; serverCpu: number }> {
  const cpu = process.cpuUsage();
  return new Promise((resolve, reject) => {
    client.once('message', (result: EntraResult) => {
      const used = process.cpuUsage(cpu);
      if (!result.ok) reject(new Error(`Entra client: ${result.error}`));
      else resolve({ stats: result.stats, serverCpu: (used.user + used.system) / 1000 / result.stats.n });
    });
    client.send(job);
  });
}

function verdict(ok: boolean, goal: string): string {
  return `${ok ? 'met' : 'MISSED'}: ${goal}`;
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
