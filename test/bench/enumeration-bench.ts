// `npm run bench:enumeration`: can the response time of the public forms tell whether an
// address has an account? Registration (POST /register) and the forgotten-password form
// (POST /password/forgot) are timed over HTTP for addresses with an account ("known") and
// without ("unknown"), interleaved one by one (a busy machine slows both alike), each try a
// different address — so no path is cut short by a per-address limit. It prints each
// path's median and the difference; the goal is a difference under 5 ms. On SQLite, or on
// MariaDB/MySQL when BENCH_MYSQL_URL or TEST_MYSQL_URL is set (the first line says which).
//
//   --tries N  / BENCH_TRIES   tries per path (default 30)
//   --check                    exit 2 when a difference is 5 ms or more (CI runs without it)
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
import { newToken } from '../../src/ids.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { buildApp } from '../../src/app.js';

const { values: flags } = parseArgs({ options: { tries: { type: 'string' }, check: { type: 'boolean' } } });
// A benchmark is a script run by hand or by CI, not the application: it reads its knobs here.
const env = process.env;
const TRIES = positive('--tries/BENCH_TRIES', flags.tries ?? env.BENCH_TRIES, 30);
const SERVER_URL = env.BENCH_MYSQL_URL || env.TEST_MYSQL_URL;
const GOAL_MS = 5;
const PASSWORD = 'a long and quiet river 7';

async function createDatabase(): Promise<{ url: string; label: string; drop(): Promise<void> }> {
  if (!SERVER_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-enumbench-'));
    return { url: `sqlite:${path.join(dir, 'bench.sqlite')}`, label: 'SQLite', drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = await createBenchSchema(SERVER_URL, 'enumbench');
  return { url: schema.url, label: `MariaDB/MySQL ${schema.version}`, drop: schema.drop };
}

async function main(): Promise<number> {
  const database = await createDatabase();
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-enumbench-var-'));
  const logger = createLogger('silent');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ DATABASE_URL: database.url, PUBLIC_URL: base, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', VAR_DIR: varDir });
  const db = await openDatabase(config.database, logger, 10_000);
  try {
    await migrate(db, logger);
    const services = createServices(config, db, logger, systemClock, { mailTransport: noMail });
    services.runtime.internalUrl = base;
    const { app } = await buildApp(services);
    server.on('request', app);
    const ctx = systemContext('cli', 'bench');
    await services.settings.set(ctx, 'registrationMode', 'open');
    const member = (await services.roles.findByName('Member'))!;
    // One account per try and path, so no per-account limit (live reset links) shortens a path.
    for (let i = 0; i < 2 * TRIES; i++) {
      await services.users.create(ctx, { username: `known${i}`, email: `known${i}@bench.example` }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id], emailVerified: true });
    }

    const csrf = newToken();
    const post = async (url: string, form: Record<string, string>): Promise<number> => {
      const started = performance.now();
      const res = await fetch(base + url, {
        method: 'POST',
        headers: { cookie: `gh_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        redirect: 'manual',
      });
      await res.text();
      if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}`);
      return performance.now() - started;
    };
    const register = (email: string) => post('/register', { name: 'Bench Person', email, password: PASSWORD, passwordConfirmation: PASSWORD });
    const forgot = (email: string) => post('/password/forgot', { email });

    // A warm-up of each path (first queries, argon2's first allocation) is not counted.
    await register('warm-unknown@bench.example');
    await forgot('warm-nobody@bench.example');
    await forgot('known0@bench.example');

    const times = { registerKnown: [] as number[], registerUnknown: [] as number[], forgotKnown: [] as number[], forgotUnknown: [] as number[] };
    for (let i = 0; i < TRIES; i++) {
      // Alternate which goes first, so neither path always follows the other.
      const pairs: Array<[number[], () => Promise<number>]> = [
        [times.registerKnown, () => register(`known${i}@bench.example`)],
        [times.registerUnknown, () => register(`new${i}@bench.example`)],
        [times.forgotKnown, () => forgot(`known${TRIES + i}@bench.example`)],
        [times.forgotUnknown, () => forgot(`nobody${i}@bench.example`)],
      ];
      if (i % 2) pairs.reverse();
      for (const [into, run] of pairs) into.push(await run());
    }

    const row = (name: string, known: number[], unknown: number[]) => {
      const k = median(known);
      const u = median(unknown);
      const diff = Math.abs(u - k);
      process.stdout.write(`${name.padEnd(22)} ${k.toFixed(1).padStart(10)} ${u.toFixed(1).padStart(12)} ${(u - k).toFixed(1).padStart(14)}   ${diff < GOAL_MS ? 'ok' : 'MISSED'}\n`);
      return diff;
    };
    process.stdout.write(`enumeration timing on ${database.label}: medians of ${TRIES} tries per path, in ms (goal: |unknown - known| < ${GOAL_MS} ms)\n`);
    process.stdout.write(`${'form'.padEnd(22)} ${'known'.padStart(10)} ${'unknown'.padStart(12)} ${'unknown-known'.padStart(14)}\n`);
    const worst = Math.max(row('POST /register', times.registerKnown, times.registerUnknown), row('POST /password/forgot', times.forgotKnown, times.forgotUnknown));
    return flags.check && worst >= GOAL_MS ? 2 : 0;
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await db.close();
    await database.drop();
    fs.rmSync(varDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
