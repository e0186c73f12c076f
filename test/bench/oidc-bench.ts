// `npm run bench:oidc`: what the OIDC provider costs, against baselines measured in the same
// run. Through one HTTP client (oidc-bench-load.ts, its own process), it measures
//   (a) client-credentials tokens per second with our database adapter (oidc_payloads),
//   (b) the same provider configuration on oidc-provider's in-memory adapter,
//   (c) a bare Express handler answering JSON,
//   (d) full password sign-ins per second (auth request → sign-in form → code → token), and
//   (e) raw argon2id hashes per second at our parameters (in the server process, same lanes).
// (a) and (b) run the whole application (createApp: headers, request ids, logging) and
// differ only in the provider's storage. Goals: (a) ≥ 50% of (b); (d) ≥ 50% of (e), judged
// on the measured rates. Each row also shows CPU milliseconds per operation in this process
// (servers, database driver and argon2 threads) and in the load client, which says where the
// time goes and stays steadier than the rates when other work shares the machine.
//
//   BENCH_MYSQL_URL or TEST_MYSQL_URL   run on MariaDB/MySQL (a database <name>_oidcbench_<pid>
//                                       is created and dropped); otherwise on a fresh SQLite file
//   --size N     / BENCH_SIZE           provider artifacts pre-seeded by bulk SQL (default 20000)
//   --seconds N  / BENCH_SECONDS        seconds per measurement (default 4)
//   --rounds N   / BENCH_ROUNDS         interleaved rounds; the median is reported (default 3)
//   --concurrency N / BENCH_CONCURRENCY parallel lanes (default 8)
//   --quick                             size 1000, 1 second, 1 round (small enough for CI)
//   --check                             exit 2 when a goal is missed (CI runs without it)
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { ARGON2_OPTIONS, hashPassword } from '../../src/passwords/password-hasher.js';
import { createServices, type Services } from '../../src/services.js';
import { buildApp, createApp } from '../../src/app.js';
import { createOidcEdge } from '../../oidc/index.js';
import { defineOidcModels } from '../../oidc/oidc-models.js';
import type { LoadJob, LoadResult } from './oidc-bench-load.js';
import { createBenchSchema, median, noMail, positive } from './bench-kit.js';

const GOAL = 0.5;
const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://127.0.0.1:9/cb';

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    quick: { type: 'boolean' },
    check: { type: 'boolean' },
  },
});
// A benchmark is a script run by hand or by CI, not the application: it reads its knobs here.
const env = process.env;
const QUICK = !!flags.quick;
const SIZE = Math.round(positive('--size/BENCH_SIZE', flags.size ?? env.BENCH_SIZE, QUICK ? 1_000 : 20_000));
const SECONDS = positive('--seconds/BENCH_SECONDS', flags.seconds ?? env.BENCH_SECONDS, QUICK ? 1 : 4, { fractional: true });
const ROUNDS = Math.round(positive('--rounds/BENCH_ROUNDS', flags.rounds ?? env.BENCH_ROUNDS, QUICK ? 1 : 3));
const CONCURRENCY = Math.round(positive('--concurrency/BENCH_CONCURRENCY', flags.concurrency ?? env.BENCH_CONCURRENCY, 8));
const SERVER_URL = env.BENCH_MYSQL_URL || env.TEST_MYSQL_URL;


/** A fresh database: a MariaDB schema when a server URL is given, else an SQLite file. */
async function createDatabase(): Promise<{ url: string; label: string; drop(): Promise<void> }> {
  if (!SERVER_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-oidcbench-'));
    return { url: `sqlite:${path.join(dir, 'bench.sqlite')}`, label: 'SQLite', drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = await createBenchSchema(SERVER_URL, 'oidcbench');
  return { url: schema.url, label: `MariaDB/MySQL ${schema.version}`, drop: schema.drop };
}

/** Tokens and grants already in the table, so the adapter does not work on an empty one. */
async function seedArtifacts(services: Services, size: number): Promise<void> {
  const { OidcPayload } = defineOidcModels(services.db.sequelize);
  const expiresAt = new Date(Date.now() + 3_600_000);
  for (let start = 0; start < size; start += 1_000) {
    const rows = [];
    for (let i = start; i < Math.min(size, start + 1_000); i++) {
      const id = randomBytes(32).toString('base64url');
      const grantId = randomBytes(32).toString('base64url');
      const model = i % 3 === 0 ? 'ClientCredentials' : i % 3 === 1 ? 'AccessToken' : 'Grant';
      const payload = JSON.stringify({ jti: id, kind: model, clientId: 'seeded', accountId: `seed-${i % 5000}`, grantId, scope: 'openid email', iat: Math.floor(Date.now() / 1000), exp: Math.floor(expiresAt.getTime() / 1000) });
      rows.push({ model, id, payload, grantId, userCode: null, uid: null, accountId: `seed-${i % 5000}`, expiresAt, consumedAt: null });
    }
    await OidcPayload.bulkCreate(rows);
  }
}

function listen(app: Express | http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

function startLoadClient(): ChildProcess {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oidc-bench-load.ts');
  return fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** One measurement: operations per second, and CPU milliseconds per operation spent by this
 * (server) process — argon2 and database driver threads included — and by the load client. */
interface Sample {
  rate: number;
  serverCpu: number;
  clientCpu: number;
}

function load(client: ChildProcess, job: LoadJob): Promise<Sample> {
  const cpu = process.cpuUsage();
  return new Promise((resolve, reject) => {
    client.once('message', (result: LoadResult) => {
      const used = process.cpuUsage(cpu);
      if (result.errors.length) reject(new Error(`${job.kind} load failed: ${result.errors.join(' | ')}`));
      else resolve({ rate: (result.ops * 1000) / result.ms, serverCpu: (used.user + used.system) / 1000 / result.ops, clientCpu: result.cpuMs / result.ops });
    });
    client.send(job);
  });
}

/** Raw argon2id hashes per second at our parameters, with the same lanes as the sign-ins. */
async function hashRate(seconds: number, concurrency: number): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let ops = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await hashPassword(PASSWORD);
        ops++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { rate: (ops * 1000) / (performance.now() - started), serverCpu: (used.user + used.system) / 1000 / ops, clientCpu: 0 };
}


const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function main(): Promise<number> {
  const database = await createDatabase();
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-oidcbench-var-'));
  const logger = createLogger('silent');
  // The database-backed application listens first: its address is the issuer (PUBLIC_URL).
  const dbServer = http.createServer();
  await new Promise<void>((resolve) => dbServer.listen(0, '127.0.0.1', resolve));
  const publicUrl = `http://127.0.0.1:${(dbServer.address() as AddressInfo).port}`;
  const config = loadConfig({ DATABASE_URL: database.url, PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', VAR_DIR: varDir });
  const db = await openDatabase(config.database, logger, 10_000);
  const closers: Array<() => Promise<unknown> | unknown> = [];
  let client: ChildProcess | null = null;
  try {
    await migrate(db, logger);
    const services = createServices(config, db, logger, systemClock, { mailTransport: noMail });
    services.runtime.internalUrl = publicUrl;

    // (a) the application as it runs; (b) the same, its provider on the in-memory adapter.
    const { app, edges } = await buildApp(services);
    dbServer.on('request', app);
    closers.push(() => new Promise((r) => (dbServer.closeAllConnections(), dbServer.close(r))));
    const memoryEdge = await createOidcEdge(services, { storage: 'memory' });
    const memory = await listen(createApp(services, { ...edges, oidc: memoryEdge }));
    closers.push(() => new Promise((r) => (memory.server.closeAllConnections(), memory.server.close(r))));
    // (c) the floor: Express answering JSON, no provider, no database.
    const bareApp = express();
    bareApp.post('/token', (_req, res) => {
      res.json({ access_token: randomBytes(32).toString('base64url'), expires_in: 600, token_type: 'Bearer' });
    });
    const bare = await listen(bareApp);
    closers.push(() => new Promise((r) => (bare.server.closeAllConnections(), bare.server.close(r))));

    const ctx = systemContext('cli', 'bench');
    const machine = await services.clients.add(ctx, { name: 'Bench machine', type: 'machine' });
    // oidc-provider's MemoryAdapter holds clients too: give it the same registration.
    const metadata = await services.clients.providerMetadata(machine.client.clientId);
    await (memoryEdge.provider.Client as unknown as { adapter: { upsert(id: string, p: unknown): Promise<void> } }).adapter.upsert(machine.client.clientId, metadata);
    const web = await services.clients.add(ctx, { name: 'Bench app', type: 'web', firstParty: true, redirectUris: [REDIRECT_URI] });
    const member = (await services.roles.findByName('Member'))!;
    const logins: string[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const user = await services.users.create(ctx, { username: `bench${i}`, email: `bench${i}@bench.example` }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id] });
      logins.push(user.username);
    }
    await seedArtifacts(services, SIZE);

    const tokenJob = (base: string, seconds: number): LoadJob => ({
      kind: 'token',
      url: base === bare.url ? `${base}/token` : `${base}/oidc/token`,
      authorization: basic(machine.client.clientId, machine.clientSecret!),
      body: 'grant_type=client_credentials',
      concurrency: CONCURRENCY,
      seconds,
    });
    const signInJob = (seconds: number): LoadJob => ({
      kind: 'signin',
      baseUrl: publicUrl,
      clientId: web.client.clientId,
      authorization: basic(web.client.clientId, web.clientSecret!),
      redirectUri: REDIRECT_URI,
      logins,
      password: PASSWORD,
      concurrency: CONCURRENCY,
      seconds,
    });

    client = startLoadClient();
    const loadClient = client;
    const measurements: Array<{ key: string; label: string; run(seconds: number): Promise<Sample> }> = [
      { key: 'a', label: `client credentials, database adapter (${db.dialect})`, run: (s) => load(loadClient, tokenJob(publicUrl, s)) },
      { key: 'b', label: 'client credentials, in-memory adapter', run: (s) => load(loadClient, tokenJob(memory.url, s)) },
      { key: 'c', label: 'bare Express JSON handler', run: (s) => load(loadClient, tokenJob(bare.url, s)) },
      { key: 'd', label: 'password sign-ins (auth, form, code, token)', run: (s) => load(loadClient, signInJob(s)) },
      { key: 'e', label: `raw argon2id hashes (m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism})`, run: (s) => hashRate(s, CONCURRENCY) },
    ];

    process.stdout.write(
      `bench:oidc on ${database.label}: ${SIZE} provider artifacts pre-seeded, ${CONCURRENCY} lanes, ` +
        `${SECONDS} s per measurement, ${ROUNDS} round(s), ${os.cpus().length} CPU(s), Node ${process.version}\n`,
    );
    // Warm-up: connections, JIT, statement paths.
    for (const m of measurements) await m.run(Math.min(1, SECONDS));

    const samples = new Map<string, Sample[]>(measurements.map((m) => [m.key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no measurement always runs first (or on the largest table).
      for (let i = 0; i < measurements.length; i++) {
        const m = measurements[(i + round) % measurements.length]!;
        samples.get(m.key)!.push(await m.run(SECONDS));
      }
    }

    const rate = (key: string) => median(samples.get(key)!.map((x) => x.rate));
    const cpuOf = (key: string, side: 'serverCpu' | 'clientCpu') => median(samples.get(key)!.map((x) => x[side]));
    const width = Math.max(...measurements.map((m) => m.label.length)) + 4;
    const lines = ['', `${'measurement'.padEnd(width)}${'per second'.padStart(12)}${'server CPU ms/op'.padStart(18)}${'client CPU ms/op'.padStart(18)}   rounds (per second)`];
    for (const m of measurements) {
      lines.push(
        `(${m.key}) ${m.label.padEnd(width - 4)}${rate(m.key).toFixed(1).padStart(12)}${cpuOf(m.key, 'serverCpu').toFixed(2).padStart(18)}` +
          `${cpuOf(m.key, 'clientCpu').toFixed(2).padStart(18)}   ${samples.get(m.key)!.map((x) => x.rate.toFixed(1)).join(', ')}`,
      );
    }
    // Besides the measured rates, the same ratio from CPU per operation (server + client): on a
    // machine busy with other work the rates swing from round to round, CPU per operation much less.
    const cpuTotal = (key: string) => cpuOf(key, 'serverCpu') + cpuOf(key, 'clientCpu');
    const ratios = [
      { label: '(a)/(b) database adapter vs in-memory adapter', value: rate('a') / rate('b'), byCpu: cpuTotal('b') / cpuTotal('a'), goal: GOAL },
      { label: '(a)/(c) database adapter vs bare Express', value: rate('a') / rate('c'), byCpu: cpuTotal('c') / cpuTotal('a'), goal: null },
      { label: '(b)/(c) in-memory adapter vs bare Express', value: rate('b') / rate('c'), byCpu: cpuTotal('c') / cpuTotal('b'), goal: null },
      { label: '(d)/(e) sign-ins vs raw argon2id hashing', value: rate('d') / rate('e'), byCpu: cpuTotal('e') / cpuTotal('d'), goal: GOAL },
    ];
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    lines.push('', `${'ratio'.padEnd(50)}${'rates'.padStart(6)}${'by CPU/op'.padStart(11)}   goal`);
    for (const r of ratios) {
      const verdict = r.goal === null ? '' : `≥ ${pct(r.goal)}: ${r.value >= r.goal ? 'met' : 'MISSED'}`;
      lines.push(`${r.label.padEnd(50)}${pct(r.value).padStart(6)}${pct(r.byCpu).padStart(11)}   ${verdict}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    const missed = ratios.some((r) => r.goal !== null && r.value < r.goal);
    return missed && flags.check ? 2 : 0;
  } finally {
    client?.disconnect();
    for (const close of closers) await close();
    await db.close().catch(() => undefined);
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
