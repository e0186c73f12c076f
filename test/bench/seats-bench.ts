// `npm run bench:seats`: what seat enforcement costs account creation on MariaDB/MySQL.
// A fresh schema is seeded by bulk SQL (not argon2) with a population of accounts and
// invitations; then, in one run and interleaved, it measures creations per second through
// users.create (no password, as a SCIM create does) with enforcement ON (a limit far above
// use, so every create locks the pool row and counts) and OFF (unlimited), and the raw
// single-row INSERT rate through the same driver as the baseline, sequentially and with a
// small concurrency. Goal: ON ≥ 70% of OFF.
//
//   BENCH_MYSQL_URL or TEST_MYSQL_URL   server; a database <name>_bench_<pid> is created and dropped
//   --size N    / BENCH_SIZE            existing accounts seeded (default 10000)
//   --ops N     / BENCH_OPS             creations per measurement (default size/30, from 30 to 300)
//   --rounds N  / BENCH_ROUNDS          interleaved rounds; the median is reported (default 3)
//   --concurrency N / BENCH_CONCURRENCY parallel lanes for the concurrent rows (default 8)
//   --check                             exit 2 when the goal is missed (CI runs without it)
//   --keep                              keep the database afterwards (to EXPLAIN its queries)
import { parseArgs } from 'node:util';
import { createBenchSchema, median, noMail, positive, requireServerUrl } from './bench-kit.js';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { newId } from '../../src/ids.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';

const GOAL = 0.7;

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string' },
    ops: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    check: { type: 'boolean' },
    keep: { type: 'boolean' },
  },
});
// A benchmark is a script run by hand or by CI, not the application: it reads its knobs here.
const env = process.env;
const SIZE = positive('--size/BENCH_SIZE', flags.size ?? env.BENCH_SIZE, 10_000);
const OPS = positive('--ops/BENCH_OPS', flags.ops ?? env.BENCH_OPS, Math.min(300, Math.max(30, Math.round(SIZE / 30))));
const ROUNDS = positive('--rounds/BENCH_ROUNDS', flags.rounds ?? env.BENCH_ROUNDS, 3);
const CONCURRENCY = positive('--concurrency/BENCH_CONCURRENCY', flags.concurrency ?? env.BENCH_CONCURRENCY, 8);
const SERVER_URL = requireServerUrl('bench:seats');

const USER_COLUMNS = 'id, username, username_normalized, email, email_normalized, kind, source, status, email_verified, version, created_at, updated_at';

/** Multi-row INSERTs: 80% active, 10% unconfirmed, 10% inactive; 90% user, 10% requester. */
async function seedAccounts(db: Database, size: number): Promise<void> {
  const now = new Date();
  for (let start = 0; start < size; start += 1_000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(size, start + 1_000); i++) {
      const status = i % 10 === 8 ? 'unconfirmed' : i % 10 === 9 ? 'inactive' : 'active';
      const kind = i % 10 === 3 ? 'requester' : 'user';
      const email = `seed${i}@seed.example`;
      rows.push([newId(), email, email, email, email, kind, 'scim', status, true, 1, now, now]);
    }
    await db.sequelize.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ${rows.map(() => '(?)').join(', ')}`, { replacements: rows, type: QueryTypes.INSERT });
  }
}

/** Invitations for the counting subquery to work through: a twentieth of the population, half live. */
async function seedInvitations(db: Database, size: number): Promise<void> {
  const now = Date.now();
  const count = Math.max(1, Math.floor(size / 20));
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    // Every fourth invitation goes to an existing account (counts zero), the rest to new addresses.
    const email = i % 4 === 0 ? `seed${i}@seed.example` : `invitee${i}@seed.example`;
    const expires = new Date(now + (i % 2 ? 7 : -7) * 86_400_000);
    rows.push([newId(), email, email, 'user', 'pending', 'email', newId().replace(/-/g, '') + newId().replace(/-/g, ''), expires, new Date(now), new Date(now)]);
  }
  for (let start = 0; start < rows.length; start += 1_000) {
    const chunk = rows.slice(start, start + 1_000);
    await db.sequelize.query(
      `INSERT INTO invitations (id, email, email_normalized, kind, status, method, token_hash, expires_at, created_at, updated_at) VALUES ${chunk.map(() => '(?)').join(', ')}`,
      { replacements: chunk, type: QueryTypes.INSERT },
    );
  }
}

type Mode = 'on' | 'off' | 'raw';

let serial = 0;

async function createOne(services: Services, db: Database, mode: Mode): Promise<void> {
  serial += 1;
  const email = `bench${serial}@bench.example`;
  if (mode === 'raw') {
    const now = new Date();
    await db.sequelize.query(`INSERT INTO users (${USER_COLUMNS}) VALUES (?)`, {
      replacements: [[newId(), email, email, email, email, 'user', 'scim', 'active', false, 1, now, now]],
      type: QueryTypes.INSERT,
    });
    return;
  }
  await services.users.create(systemContext('scim', 'bench'), { email }, { source: 'scim', origin: 'directory' });
}

/** Runs `ops` creations over `lanes` parallel lanes; returns creations per second. */
async function measure(services: Services, db: Database, mode: Mode, ops: number, lanes: number): Promise<number> {
  if (mode !== 'raw') await services.seats.setLimit(systemContext('cli', 'bench'), 'user', mode === 'on' ? 1_000_000 : null);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < ops) {
        next += 1;
        await createOne(services, db, mode);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return ops / seconds;
}

/** Milliseconds per seat-usage count (the COUNT that enforcement runs under the lock). */
async function timeCount(services: Services, times: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < times; i++) await services.seats.usage('user');
  return Number(process.hrtime.bigint() - started) / 1e6 / times;
}


async function main(): Promise<number> {
  const schema = await createBenchSchema(SERVER_URL, 'bench');
  const logger = createLogger('silent');
  const config = loadConfig({ DATABASE_URL: schema.url, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', PUBLIC_URL: 'http://gatehouse.bench' });
  const db = await openDatabase(config.database, logger, 10_000);
  try {
    await migrate(db, logger);
    const seedStart = Date.now();
    await seedAccounts(db, SIZE);
    await seedInvitations(db, SIZE);
    // Rows written around `seats.take` leave the pools' usage bound unknown (seat-service.ts).
    await db.sequelize.query('UPDATE seat_pools SET in_use = -1');
    await db.sequelize.query('ANALYZE TABLE users, invitations, seat_pools');
    const seedMs = Date.now() - seedStart;
    const services = createServices(config, db, logger, systemClock, { mailTransport: noMail });
    const [version] = await db.sequelize.query<{ v: string }>('SELECT VERSION() AS v', { type: QueryTypes.SELECT });

    process.stdout.write(
      `bench:seats on ${version?.v ?? 'MySQL'}: ${SIZE} seeded accounts (${seedMs} ms by bulk SQL), ` +
        `${OPS} creations per measurement, ${ROUNDS} round(s), concurrency 1 and ${CONCURRENCY}\n`,
    );

    // Warm-up: connections, statement paths, buffer pool.
    for (const mode of ['off', 'on', 'raw'] as const) await measure(services, db, mode, Math.min(30, OPS), 2);

    const lanesList = [1, CONCURRENCY];
    const results = new Map<string, number[]>();
    const modes: Mode[] = ['off', 'on', 'raw'];
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no mode always runs on the smallest (or largest) table.
      const order = modes.map((_, i) => modes[(i + round) % modes.length]!);
      for (const lanes of lanesList) {
        for (const mode of order) {
          const key = `${mode}/${lanes}`;
          results.set(key, [...(results.get(key) ?? []), await measure(services, db, mode, OPS, lanes)]);
        }
      }
    }
    const countMs = await timeCount(services, 50);
    const usage = await services.seats.usage('user');

    const rate = (mode: Mode, lanes: number) => median(results.get(`${mode}/${lanes}`)!);
    const rows: string[][] = [['mode', 'concurrency', 'creations/s', 'ms/creation', 'vs OFF', 'vs raw INSERT', 'rounds (creations/s)']];
    const labels: Record<Mode, string> = { raw: 'raw INSERT (baseline)', off: 'users.create, seats OFF', on: 'users.create, seats ON' };
    for (const lanes of lanesList) {
      for (const mode of ['raw', 'off', 'on'] as const) {
        const r = rate(mode, lanes);
        rows.push([
          labels[mode],
          String(lanes),
          r.toFixed(1),
          (1000 / r).toFixed(2),
          mode === 'raw' ? '' : `${((r / rate('off', lanes)) * 100).toFixed(0)}%`,
          `${((r / rate('raw', lanes)) * 100).toFixed(0)}%`,
          results.get(`${mode}/${lanes}`)!.map((x) => x.toFixed(0)).join(' '),
        ]);
      }
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write('\n' + rows.map((r) => r.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n\n');
    process.stdout.write(`seat usage count (users + live invitations) at ${usage.used} seats: ${countMs.toFixed(2)} ms per count\n`);

    let met = true;
    for (const lanes of lanesList) {
      const ratio = rate('on', lanes) / rate('off', lanes);
      const ok = ratio >= GOAL;
      met &&= ok;
      process.stdout.write(`goal ON ≥ ${GOAL * 100}% of OFF at concurrency ${lanes}: ${(ratio * 100).toFixed(0)}% ${ok ? 'MET' : 'MISSED'}\n`);
    }
    return met || !flags.check ? 0 : 2;
  } finally {
    await db.close();
    if (flags.keep) process.stdout.write(`kept ${schema.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}\n`);
    else await schema.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench:seats failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
