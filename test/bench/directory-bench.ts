// `npm run bench:directory`: what the directory paths cost. Against a real slapd
// seeded with N entries (slapadd), an LDAP sync's first run (every entry created through the
// users service, with a group→role and a kind mapping) and a no-change re-run; then CSV
// imports of a small and a large file of new accounts (streamed from disk, as the CLI
// does). It prints accounts per second and process memory per measurement, and checks:
//   - the no-change re-run takes ≤ 20% of the first run's time (unchanged entries are
//     skipped by fingerprint: no write, no transaction);
//   - memory is flat in the file size: the large import's peak heap growth is at most 1.5×
//     the small one's (a file held whole, or all rows' work, would grow 5×).
//
//   --entries N   / BENCH_ENTRIES     LDAP entries (default 10000)
//   --rows N      / BENCH_ROWS        rows of the large CSV (default 50000)
//   --small-rows N / BENCH_SMALL_ROWS rows of the small CSV (default rows / 5)
//   --db sqlite|mysql / BENCH_DB      database (default sqlite; mysql needs BENCH_MYSQL_URL or TEST_MYSQL_URL)
//   --check                           exit 2 when a goal is missed (CI runs a small size without it)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';
import { DEFAULT_LDAP_SETTINGS } from '../../src/directory/ldap-settings.js';
import { LdapTestServer, ROOT_DN, ROOT_PASSWORD, SUFFIX, slapdAvailable } from '../helpers/ldap-server.js';
import { createTestDatabaseConfig } from '../helpers/test-databases.js';
import { noMail, positive } from './bench-kit.js';
import { insertInto, type Param } from '../../src/db/sql.js';
import { ACCOUNT_CHUNK } from '../../src/users/account-batch.js';
import { newAccountRow } from '../../src/users/new-account-row.js';
import { profileColumns } from '../../src/users/user-input.js';

const RERUN_GOAL = 0.2;
const MEMORY_GOAL = 1.5;
const RATE_GOAL = 2000;
const RAW_SHARE_GOAL = 0.05;

const { values: flags } = parseArgs({
  options: { entries: { type: 'string' }, rows: { type: 'string' }, 'small-rows': { type: 'string' }, db: { type: 'string' }, check: { type: 'boolean' } },
});
// A benchmark is a script run by hand or by CI, not the application: it reads its knobs here.
const env = process.env;
const ENTRIES = positive('--entries/BENCH_ENTRIES', flags.entries ?? env.BENCH_ENTRIES, 10_000);
const ROWS = positive('--rows/BENCH_ROWS', flags.rows ?? env.BENCH_ROWS, 50_000);
const SMALL_ROWS = positive('--small-rows/BENCH_SMALL_ROWS', flags['small-rows'] ?? env.BENCH_SMALL_ROWS, Math.max(1, Math.floor(ROWS / 5)));
const DB = (flags.db ?? env.BENCH_DB ?? 'sqlite') as 'sqlite' | 'mysql';
if (DB !== 'sqlite' && DB !== 'mysql') throw new Error('--db must be sqlite or mysql');
if (DB === 'mysql' && !(env.BENCH_MYSQL_URL || env.TEST_MYSQL_URL)) throw new Error('--db mysql needs BENCH_MYSQL_URL or TEST_MYSQL_URL');
if (DB === 'mysql' && env.BENCH_MYSQL_URL) env.TEST_MYSQL_URL = env.BENCH_MYSQL_URL;
if (!slapdAvailable()) {
  process.stderr.write('bench:directory needs OpenLDAP: apt-get install slapd ldap-utils\n');
  process.exit(1);
}

const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;

interface Measurement {
  name: string;
  accounts: number;
  ms: number;
  heapGrowthMb: number;
  peakRssMb: number;
}

async function withServices<T>(work: (services: Services, db: Database) => Promise<T>): Promise<T> {
  const created = await createTestDatabaseConfig(DB);
  const logger = createLogger('silent');
  const db = await openDatabase(created.config, logger, 10_000);
  try {
    await migrate(db);
    const config = loadConfig({ DATABASE_URL: created.config.url, LOG_LEVEL: 'silent', MAIL_WORKER: 'false' });
    return await work(createServices(config, db, logger, systemClock, { mailTransport: noMail }), db);
  } finally {
    await db.close();
    await created.drop();
  }
}

/** Times `work` and samples memory while it runs: peak heap over the baseline, peak RSS. */
async function measure(name: string, accounts: number, work: () => Promise<void>): Promise<Measurement> {
  gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = baseHeap;
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 25);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  sample();
  process.stderr.write(`  ${name}: ${(ms / 1000).toFixed(1)} s\n`);
  return { name, accounts, ms, heapGrowthMb: (peakHeap - baseHeap) / MB, peakRssMb: peakRss / MB };
}

async function benchLdap(): Promise<Measurement[]> {
  process.stderr.write(`seeding slapd with ${ENTRIES} entries…\n`);
  const server = await LdapTestServer.start({ people: ENTRIES, staffMembers: Math.floor(ENTRIES / 2) });
  try {
    return await withServices(async (services) => {
      const member = await services.roles.builtin('member');
      const ctx = systemContext('cli', 'bench');
      await services.directory.ldapSettings.save(ctx, {
        ...structuredClone(DEFAULT_LDAP_SETTINGS),
        url: server.url,
        bindDn: ROOT_DN,
        bindSecret: ROOT_PASSWORD,
        baseDn: `ou=people,${SUFFIX}`,
        kind: { mode: 'attribute', attribute: 'employeeType', value: 'requester', groupDn: '' },
        groupRoles: [{ groupDn: `cn=staff,ou=groups,${SUFFIX}`, roleId: member.id }],
        deactivateMissing: true,
      });
      await limitSeats(services, ENTRIES);
      const sync = async (expect: 'created' | 'unchanged') => {
        const run = await services.directory.ldapSync.run(ctx, { trigger: 'cli' });
        if (run.status !== 'completed' || run[expect] !== ENTRIES) throw new Error(`sync ${run.status}: ${JSON.stringify(run)}`);
      };
      return [await measure('LDAP sync, first run', ENTRIES, () => sync('created')), await measure('LDAP sync, no-change re-run', ENTRIES, () => sync('unchanged'))];
    });
  } finally {
    await server.destroy();
  }
}

async function writeCsv(rows: number, tag: string): Promise<string> {
  const file = path.join(os.tmpdir(), `gatehouse-bench-${process.pid}-${tag}.csv`);
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('username,email,first name,last name,department,title,external id,kind,roles\n');
  for (let i = 0; i < rows; i++) await write(`csv${tag}${i},csv${tag}${i}@bench.example,Given${i},Family${i},D${i % 7},Title ${i % 13},${tag}-${i},${i % 10 === 9 ? 'requester' : 'user'},Member\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return file;
}

/** Seat limits on, as an organization with a licence has them: far enough above the file for every row to fit. */
async function limitSeats(services: Services, accounts: number): Promise<void> {
  for (const pool of ['user', 'requester'] as const) await services.seats.setLimit(systemContext('cli', 'bench'), pool, accounts * 2);
}

/**
 * The floor: the same accounts' users rows as plain multi-row INSERTs, a chunk per
 * transaction, with nothing else (no validation, seats, search terms, values, roles, audit).
 */
async function benchRawInsert(rows: number): Promise<Measurement> {
  return withServices(async (services, db) =>
    measure(`raw batched INSERT, ${rows} users rows`, rows, async () => {
      const now = new Date();
      for (let start = 0; start < rows; start += ACCOUNT_CHUNK) {
        const chunk = Array.from({ length: Math.min(ACCOUNT_CHUNK, rows - start) }, (_, k) => {
          const i = start + k;
          const columns = profileColumns({ username: `raw${i}`, email: `raw${i}@bench.example`, givenName: `Given${i}`, familyName: `Family${i}`, department: `D${i % 7}`, title: `Title ${i % 13}` }, 'directory', now, 'new-from-directory');
          return newAccountRow(columns, { source: 'csv', origin: 'directory', status: 'active' }, null, now) as unknown as Record<string, Param>;
        });
        const insert = insertInto(services.models.User, chunk);
        await db.transactions.run(systemContext('cli', 'bench'), (tx) => services.models.sql.write(insert.statement, insert.params, tx));
      }
    }),
  );
}

async function benchCsv(rows: number, tag: string): Promise<Measurement> {
  const file = await writeCsv(rows, tag);
  try {
    return await withServices(async (services) =>
      measure(`CSV import, ${rows} rows`, rows, async () => {
        await limitSeats(services, rows);
        const run = await services.directory.csvImport.importFile(systemContext('cli', 'bench'), path.basename(file), () => fs.createReadStream(file));
        if (run.status !== 'completed' || run.created !== rows) throw new Error(`import ${run.status}: ${JSON.stringify(run)}`);
      }),
    );
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

process.stderr.write(`bench:directory on ${DB}: ${ENTRIES} LDAP entries, CSV files of ${SMALL_ROWS} and ${ROWS} rows${gc ? '' : ' (no --expose-gc: memory baselines are noisier)'}\n`);
const [first, rerun] = await benchLdap();
const small = await benchCsv(SMALL_ROWS, 's');
const large = await benchCsv(ROWS, 'l');
const raw = await benchRawInsert(ROWS);
const results = [first!, rerun!, small, large, raw];
process.stdout.write(
  '\n' +
    table([
      ['measurement', 'accounts', 'seconds', 'accounts/s', 'peak heap growth MB', 'peak RSS MB'],
      ...results.map((m) => [m.name, String(m.accounts), (m.ms / 1000).toFixed(1), (m.accounts / (m.ms / 1000)).toFixed(0), m.heapGrowthMb.toFixed(1), m.peakRssMb.toFixed(0)]),
    ]) +
    '\n',
);
const rate = (m: Measurement) => m.accounts / (m.ms / 1000);
process.stdout.write(`\nCSV import at ${ROWS} rows: ${rate(large).toFixed(0)} rows/s (goal ≥ ${RATE_GOAL}), ${((rate(large) / rate(raw)) * 100).toFixed(1)}% of the raw batched INSERT (goal ≥ ${RAW_SHARE_GOAL * 100}%); LDAP first sync: ${rate(first!).toFixed(0)} entries/s\n`);
const rerunRatio = rerun!.ms / first!.ms;
const memoryRatio = large.heapGrowthMb / Math.max(small.heapGrowthMb, 1);
const rerunOk = rerunRatio <= RERUN_GOAL;
const memoryOk = memoryRatio <= MEMORY_GOAL;
process.stdout.write(
  `\nno-change re-run: ${(rerunRatio * 100).toFixed(1)}% of the first run's time (goal ≤ ${RERUN_GOAL * 100}%): ${rerunOk ? 'met' : 'MISSED'}\n` +
    `memory: heap growth at ${ROWS} rows is ${memoryRatio.toFixed(2)}× that at ${SMALL_ROWS} rows, for ${(ROWS / SMALL_ROWS).toFixed(1)}× the rows (goal ≤ ${MEMORY_GOAL}×): ${memoryOk ? 'met' : 'MISSED'}\n`,
);
process.exit(flags.check && !(rerunOk && memoryOk) ? 2 : 0);
