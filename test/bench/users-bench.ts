// `npm run bench:users`: what the admin users list costs on MariaDB/MySQL with a large
// workspace. A fresh schema is seeded by bulk SQL (not argon2) with accounts —
// names, departments, roles, phones, their search terms — and invitations; then, in one
// run and interleaved, it measures:
//   - the list query (UserDirectory.page: the rows, their roles and the total) for the
//     first page, a page deep in the list (by cursor), and a search;
//   - beside each, raw indexed SQL of the same page through the driver (mysql2): the same
//     rows, their roles and the total, hand-written — the baseline;
//   - the whole page (GET /admin/users over HTTP, signed in: shell, seat usage, filters,
//     the list query and the HTML).
//   - every other admin page (and the account page) over HTTP, beside the one indexed
//     query it cannot do without;
//   - the management API's people list (GET /api/v1/people over HTTP with a machine
//     application's bearer token: token check, validation, the same list query, JSON) for
//     the first and the deep page, beside the list query.
// Goals: deep page ≤ 2× first page; list query ≤ 2× raw SQL; page render ≤ 5× raw SQL;
// every admin page under 200 ms of server time; the API's people list ≤ 2× the list query.
// Calls are interleaved one by one (a busy machine slows every measurement alike).
//
//   BENCH_MYSQL_URL or TEST_MYSQL_URL   server; a database <name>_bench_users_<pid> is created and dropped
//   --size N    / BENCH_SIZE            accounts seeded (default 100000; CI runs a small size)
//   --reps N    / BENCH_REPS            timed repetitions per measurement and round (default 20)
//   --rounds N  / BENCH_ROUNDS          interleaved rounds; the median is reported (default 3)
//   --check                             exit 2 when a goal is missed (CI runs without it)
//   --explain                           print MariaDB's plan for each list query
//   --keep                              keep the database afterwards
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { createBenchSchema, median, noMail, positive, requireServerUrl } from './bench-kit.js';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { newId } from '../../src/ids.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';
import { buildApp } from '../../src/app.js';
import { cursorAt, type DirectoryQuery } from '../../src/users/user-directory.js';
import { DirectorySql } from '../../src/users/user-directory-sql.js';
import { parseSearch, searchTermsOf, sortNameOf } from '../../src/users/user-search-terms.js';
import { apiResourceIndicator } from '../../src/clients/api-scopes.js';

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string' },
    reps: { type: 'string' },
    rounds: { type: 'string' },
    check: { type: 'boolean' },
    explain: { type: 'boolean' },
    keep: { type: 'boolean' },
  },
});
// A benchmark is a script run by hand or by CI, not the application: it reads its knobs here.
const env = process.env;
const SIZE = positive('--size/BENCH_SIZE', flags.size ?? env.BENCH_SIZE, 100_000);
const REPS = positive('--reps/BENCH_REPS', flags.reps ?? env.BENCH_REPS, 20);
const ROUNDS = positive('--rounds/BENCH_ROUNDS', flags.rounds ?? env.BENCH_ROUNDS, 3);
const SERVER_URL = requireServerUrl('bench:users');
const PAGE = 25;
const SEARCH = 'okafor';
const GOALS = { deepVsFirst: 2, queryVsRaw: 2, renderVsRaw: 5, adminPageMs: 200, apiVsQuery: 2 };

/**
 * Every admin page beside its baseline: the one indexed query that page cannot do without,
 * through the driver. The goal is the page's server time (shell, queries, HTML) under
 * 200 ms at 100,000 accounts on a 2-core machine.
 */
function adminPages(userId: string): Array<{ path: string; baseline: string; params: unknown[] }> {
  return [
    { path: '/admin', baseline: "SELECT COUNT(*) FROM users WHERE kind = 'user' AND status IN ('unconfirmed', 'active')", params: [] },
    { path: '/admin/seats', baseline: "SELECT COUNT(*) FROM users WHERE kind = 'user' AND status IN ('unconfirmed', 'active')", params: [] },
    { path: `/admin/users/${userId}`, baseline: 'SELECT u.*, ur.role_id FROM users u LEFT JOIN user_roles ur ON ur.user_id = u.id WHERE u.id = ?', params: [userId] },
    { path: '/admin/invitations', baseline: 'SELECT * FROM invitations ORDER BY created_at DESC LIMIT 50', params: [] },
    { path: '/admin/roles', baseline: 'SELECT role_id, COUNT(*) FROM user_roles GROUP BY role_id', params: [] },
    { path: '/admin/audit', baseline: 'SELECT * FROM audit_events ORDER BY id DESC LIMIT 50', params: [] },
    { path: '/admin/clients', baseline: 'SELECT client_id, name FROM oidc_clients ORDER BY created_at', params: [] },
    { path: '/admin/scim-tokens', baseline: 'SELECT id, name FROM scim_tokens ORDER BY created_at', params: [] },
    { path: '/admin/settings', baseline: 'SELECT * FROM settings', params: [] },
    { path: '/account', baseline: 'SELECT * FROM users WHERE id = ?', params: [userId] },
  ];
}




// ---- seeding by bulk SQL ----------------------------------------------------------------

const GIVEN = ['Ada', 'Ben', 'Chloé', 'Dev', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kai', 'Lena', 'Mona', 'Nils', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Tess', 'Umar', 'Vera', 'Wim', 'Xia', 'Yusuf', 'Zoe'];
// 400 distinct family names (20 × 20 syllables): a surname is shared by 1 in 400 accounts.
const FAMILY = ['Ok', 'Lind', 'Tan', 'Mor', 'Nov', 'Had', 'Sil', 'Kow', 'Ngu', 'Bren', 'Ash', 'Berg', 'Cal', 'Dun', 'Esp', 'Fal', 'Gor', 'Hal', 'Iver', 'Jan'].flatMap((a) =>
  ['afor', 'qvist', 'aka', 'eau', 'ak', 'dad', 'va', 'alski', 'yen', 'nan', 'ford', 'mann', 'ini', 'sson', 'ez', 'ley', 'ova', 'ton', 'ard', 'is'].map((b) => a + b),
);
const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', 'Legal', 'Marketing', 'Operations', 'Research', 'People', 'Design'];

async function insertRows(conn: mysql.Pool, table: string, columns: string[], rows: unknown[][], chunk = 2_000): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    await conn.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(start, start + chunk)]);
  }
}

async function seed(conn: mysql.Pool, size: number, roleIds: { admin: string; member: string; viewer: string }): Promise<void> {
  const started = new Date('2027-01-01T00:00:00Z').getTime();
  const span = 3 * 365 * 86_400_000;
  const now = Date.now();
  for (let start = 0; start < size; start += 5_000) {
    const users: unknown[][] = [];
    const links: unknown[][] = [];
    const terms: unknown[][] = [];
    for (let i = start; i < Math.min(size, start + 5_000); i++) {
      const id = newId();
      const givenName = GIVEN[i % GIVEN.length]!;
      const familyName = FAMILY[(i * 7) % FAMILY.length]!;
      const username = `${givenName.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')}.${familyName.toLowerCase()}${i}`;
      const email = `${username}@seed.example`;
      const phone = i % 2 ? `+4420794${String(i).padStart(5, '0').slice(-5)}` : null;
      const status = i % 10 === 8 ? 'unconfirmed' : i % 10 === 9 ? 'inactive' : 'active';
      const kind = i % 10 === 3 ? 'requester' : 'user';
      const created = new Date(started + Math.floor((i / size) * span));
      const lastSignIn = i % 10 < 7 ? new Date(now - (i % 1000) * 60_000) : null;
      const profile = { username, email, givenName, familyName, displayName: null, phone };
      users.push([id, username, username, email, email, givenName, familyName, phone, i % 10 === 0 ? null : DEPARTMENTS[i % DEPARTMENTS.length], kind, 'scim', status, true, 1, created, created, lastSignIn, sortNameOf(profile)]);
      links.push([id, i % 20 === 0 ? roleIds.admin : i % 7 === 0 ? roleIds.viewer : roleIds.member, created]);
      for (const term of searchTermsOf(profile)) terms.push([id, term]);
    }
    await insertRows(conn, 'users', ['id', 'username', 'username_normalized', 'email', 'email_normalized', 'given_name', 'family_name', 'phone', 'department', 'kind', 'source', 'status', 'email_verified', 'version', 'created_at', 'updated_at', 'last_sign_in_at', 'sort_name'], users);
    await insertRows(conn, 'user_roles', ['user_id', 'role_id', 'created_at'], links);
    await insertRows(conn, 'user_search_terms', ['user_id', 'term'], terms, 10_000);
  }
  // Invitations: a fiftieth of the population — live, recently expired, archived.
  const invitations: unknown[][] = [];
  const invitationRoles: unknown[][] = [];
  for (let i = 0; i < Math.max(3, Math.floor(size / 50)); i++) {
    const id = newId();
    const email = `invitee${i}@seed.example`;
    const expires = new Date(now + (i % 3 === 0 ? 5 : i % 3 === 1 ? -5 : -40) * 86_400_000);
    invitations.push([id, email, email, 'user', 'pending', 'email', newId().replace(/-/g, '') + newId().replace(/-/g, ''), GIVEN[i % GIVEN.length], FAMILY[i % FAMILY.length], expires, new Date(now - 86_400_000), new Date(now - 86_400_000)]);
    invitationRoles.push([id, roleIds.member]);
  }
  await insertRows(conn, 'invitations', ['id', 'email', 'email_normalized', 'kind', 'status', 'method', 'token_hash', 'given_name', 'family_name', 'expires_at', 'created_at', 'updated_at'], invitations);
  await insertRows(conn, 'invitation_roles', ['invitation_id', 'role_id'], invitationRoles);
  // Rows written around seats.take: the pools' usage bound is unknown (seat-service.ts).
  await conn.query('UPDATE seat_pools SET in_use = -1');
  await conn.query('ANALYZE TABLE users, user_roles, user_search_terms, invitations, invitation_roles');
}

// ---- the raw baseline -----------------------------------------------------------------

const ACCOUNT_COLUMNS = `'account' AS row_type, u.id, u.username, u.email, u.given_name, u.family_name, u.display_name, u.phone, u.department, u.title, u.kind, u.status,
  u.created_at, u.last_sign_in_at AS last_activity_at, NULL AS expires_at, u.sort_name AS sort_value`;
const INVITEE_COLUMNS = `'invitee' AS row_type, i.id, NULL AS username, i.email, i.given_name, i.family_name, NULL AS display_name, NULL AS phone, NULL AS department,
  NULL AS title, i.kind, CASE WHEN i.status = 'pending' AND i.expires_at > ? THEN 'pending' ELSE 'expired' END AS status, i.created_at, NULL AS last_activity_at, i.expires_at,
  LOWER(COALESCE(NULLIF(TRIM(CONCAT(COALESCE(i.given_name, ''), ' ', COALESCE(i.family_name, ''))), ''), i.email)) AS sort_value`;
const OPEN_INVITEE = `i.status IN ('pending', 'expired') AND i.expires_at > ?
  AND NOT EXISTS (SELECT 1 FROM users ua WHERE ua.email_normalized = i.email_normalized)
  AND NOT EXISTS (SELECT 1 FROM invitations j WHERE j.email_normalized = i.email_normalized AND j.status IN ('pending', 'expired') AND j.expires_at > ?
    AND (j.expires_at > i.expires_at OR (j.expires_at = i.expires_at AND j.id > i.id)))`;
const INVITEE_NAME = `LOWER(COALESCE(NULLIF(TRIM(CONCAT(COALESCE(i.given_name, ''), ' ', COALESCE(i.family_name, ''))), ''), i.email))`;

interface RawPage {
  ids: string[];
  total: number;
}

/**
 * The same page as the list query, hand-written: merged rows, their roles, the total —
 * the rows and the two counts at once on a pool's connections, as the list query does.
 */
async function rawPage(conn: mysql.Pool, after: { value: string; id: string } | null, search: string | null): Promise<RawPage> {
  const now = new Date();
  const archive = new Date(now.getTime() - 30 * 86_400_000);
  const accKeyset = after ? 'AND u.sort_name >= ? AND (u.sort_name > ? OR (u.sort_name = ? AND u.id > ?))' : '';
  const invKeyset = after ? `AND ${INVITEE_NAME} >= ? AND (${INVITEE_NAME} > ? OR (${INVITEE_NAME} = ? AND i.id > ?))` : '';
  const keyParams = after ? [after.value, after.value, after.value, after.id] : [];
  const accSearch = search ? 'AND u.id IN (SELECT t.user_id FROM user_search_terms t WHERE t.term LIKE ?)' : '';
  const invSearch = search ? `AND (i.email_normalized LIKE ? OR i.email_normalized LIKE ? OR LOWER(i.given_name) LIKE ? OR LOWER(i.family_name) LIKE ?)` : '';
  const accSearchParams = search ? [`${search}%`] : [];
  const invSearchParams = search ? [`${search}%`, `%@${search}%`, `${search}%`, `${search}%`] : [];
  const pageQuery = conn.query<mysql.RowDataPacket[]>(
    `SELECT * FROM (
       SELECT * FROM (SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE 1 = 1 ${accSearch} ${accKeyset} ORDER BY u.sort_name, u.id LIMIT ${PAGE + 1}) a
       UNION ALL
       SELECT * FROM (SELECT ${INVITEE_COLUMNS} FROM invitations i WHERE ${OPEN_INVITEE} ${invSearch} ${invKeyset} ORDER BY sort_value, i.id LIMIT ${PAGE + 1}) b
     ) m ORDER BY m.sort_value, m.id LIMIT ${PAGE + 1}`,
    [...accSearchParams, ...keyParams, now, archive, archive, ...invSearchParams, ...keyParams],
  );
  const [[rows], [accountCount], [inviteeCount]] = await Promise.all([
    pageQuery,
    conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM users u WHERE 1 = 1 ${accSearch}`, accSearchParams),
    conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM invitations i WHERE ${OPEN_INVITEE} ${invSearch}`, [archive, archive, ...invSearchParams]),
  ]);
  const page = rows.slice(0, PAGE);
  const accounts = page.filter((r) => r.row_type === 'account').map((r) => r.id as string);
  const invitees = page.filter((r) => r.row_type === 'invitee').map((r) => r.id as string);
  await Promise.all([
    accounts.length ? conn.query('SELECT ur.user_id, r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN (?)', [accounts]) : null,
    invitees.length ? conn.query('SELECT ir.invitation_id, r.id, r.name FROM invitation_roles ir JOIN roles r ON r.id = ir.role_id WHERE ir.invitation_id IN (?)', [invitees]) : null,
  ]);
  return { ids: page.map((r) => r.id as string), total: Number(accountCount![0]!.n) + Number(inviteeCount![0]!.n) };
}

// ---- measuring ----------------------------------------------------------------------------

/** A machine application with the users.read API scope, its token, and a GET with it. */
async function peopleApi(services: Services, base: string, admin: { id: string; username: string }): Promise<(path: string) => Promise<void>> {
  const ctx = { ...systemContext('admin', 'bench'), actor: await services.roles.actorFor(admin) };
  const { client, clientSecret } = await services.clients.add(ctx, { name: 'Bench portal', type: 'machine', apiScopes: ['api:users.read'] });
  const res = await fetch(`${base}/oidc/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:users.read', resource: apiResourceIndicator(services.config.publicUrl) }),
  });
  if (res.status !== 200) throw new Error(`the token endpoint answered ${res.status}: ${await res.text()}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return async (path) => {
    const answer = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${await answer.text()}`);
    await answer.text();
  };
}


/** Median milliseconds of `reps` sequential runs. */
async function time(reps: number, run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

async function explain(services: Services, query: DirectoryQuery, label: string): Promise<void> {
  const now = new Date();
  const sql = new DirectorySql('mysql', now, new Date(now.getTime() - 30 * 86_400_000));
  const p: Record<string, unknown> = {};
  const filters = { search: parseSearch(query.search), status: null, roleId: null, kind: null };
  const text = sql.page(filters, null, 'name', 'asc', false, null, PAGE + 1, p)!;
  const plan = await services.db.sequelize.query(`EXPLAIN ${text}`, { replacements: p, type: QueryTypes.SELECT });
  process.stdout.write(`\nEXPLAIN ${label}:\n`);
  for (const row of plan as Array<Record<string, unknown>>) process.stdout.write(`  ${row.table} type=${row.type} key=${row.key} rows=${row.rows} ${row.Extra ?? ''}\n`);
}

async function main(): Promise<number> {
  const schema = await createBenchSchema(SERVER_URL, 'bench_users');
  const logger = createLogger('silent');
  // No API rate limit: the bench sends far more than a minute's allowance.
  const config = loadConfig({ DATABASE_URL: schema.url, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', PUBLIC_URL: 'http://gatehouse.bench', API_RATE_LIMIT: '0' });
  const db = await openDatabase(config.database, logger, 10_000);
  // The raw baseline's own connections (the size of the application's pool does not matter for three at a time).
  const conn = mysql.createPool({ uri: schema.url, timezone: 'Z', connectionLimit: 4 });
  let server: http.Server | null = null;
  try {
    await migrate(db, logger);
    const services = createServices(config, db, logger, systemClock, { mailTransport: noMail });
    const roleIds = {
      admin: (await services.roles.builtin('admin')).id,
      member: (await services.roles.builtin('member')).id,
      viewer: (await services.roles.builtin('viewer')).id,
    };
    const seedStart = Date.now();
    await seed(conn, SIZE, roleIds);
    const seedMs = Date.now() - seedStart;
    const [[version]] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');

    // The signed-in admin, and the app listening on a port (a whole page over HTTP).
    const admin = await services.users.create(systemContext('cli', 'bench'), { username: 'bench-admin', email: 'bench-admin@bench.example' }, { source: 'admin', origin: 'page', roleIds: [roleIds.admin] });
    const session = await services.webSessions.create(admin.id, null);
    const { app } = await buildApp(services);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { cookie: `gh_session=${session}`, accept: 'text/html' } });
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
      await res.text();
    };
    const render = (query: string) => get(`/admin/users${query}`);
    const pages = adminPages(admin.id);
    const apiGet = await peopleApi(services, base, admin);

    // A row 90% of the way down the list, by name: the deep page starts after it.
    const [[deepRow]] = await conn.query<mysql.RowDataPacket[]>('SELECT sort_name, id FROM users ORDER BY sort_name, id LIMIT 1 OFFSET ?', [Math.floor(SIZE * 0.9)]);
    const deep = { value: deepRow!.sort_name as string, id: deepRow!.id as string };
    const deepCursor = cursorAt({}, deep);
    const ctx = { ...systemContext('admin', 'bench'), actor: await services.roles.actorFor(admin) };

    // The list query and the raw SQL must return the same page, or the comparison means nothing.
    for (const [label, query, raw] of [
      ['first', {}, () => rawPage(conn, null, null)],
      ['deep', { cursor: deepCursor }, () => rawPage(conn, deep, null)],
      ['search', { search: SEARCH }, () => rawPage(conn, null, SEARCH)],
    ] as const) {
      const [ours, theirs] = await Promise.all([services.userDirectory.page(ctx, query), raw()]);
      if (ours.rows.map((r) => r.id).join() !== theirs.ids.join() || ours.total !== theirs.total) throw new Error(`${label}: the list query and the raw SQL disagree`);
    }
    if (flags.explain) {
      await explain(services, {}, 'first page');
      await explain(services, { search: SEARCH }, `search "${SEARCH}"`);
    }

    const ops: Array<[string, () => Promise<unknown>]> = [
      ['raw/first', () => rawPage(conn, null, null)],
      ['query/first', () => services.userDirectory.page(ctx, {})],
      ['render/first', () => render('')],
      ['raw/deep', () => rawPage(conn, deep, null)],
      ['query/deep', () => services.userDirectory.page(ctx, { cursor: deepCursor })],
      ['render/deep', () => render(`?cursor=${encodeURIComponent(deepCursor)}`)],
      ['raw/search', () => rawPage(conn, null, SEARCH)],
      ['query/search', () => services.userDirectory.page(ctx, { search: SEARCH })],
      ['render/search', () => render(`?q=${SEARCH}`)],
      ['api/first', () => apiGet(`/api/v1/people?limit=${PAGE}`)],
      ['api/deep', () => apiGet(`/api/v1/people?limit=${PAGE}&cursor=${encodeURIComponent(deepCursor)}`)],
      // Not a goal: where the time goes (every page shows the total).
      ['raw/count', () => conn.query('SELECT COUNT(*) FROM users')],
      ...pages.flatMap((p): Array<[string, () => Promise<unknown>]> => [
        [`page:${p.path}`, () => get(p.path)],
        [`base:${p.path}`, () => conn.query(p.baseline, p.params)],
      ]),
    ];
    process.stdout.write(
      `bench:users on MariaDB/MySQL ${String(version!.v)}: ${SIZE} seeded accounts (${seedMs} ms by bulk SQL), page of ${PAGE}, ` +
        `${REPS} repetitions × ${ROUNDS} round(s), median ms\n`,
    );
    for (const [, run] of ops) await time(3, run); // warm-up: connections, plans, buffer pool
    // Interleaved one call at a time, in a rotating order, so a busy moment on the machine
    // falls on every measurement alike; each round's median, then the median of rounds.
    const results = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      const samples = new Map<string, number[]>(ops.map(([name]) => [name, []]));
      for (let rep = 0; rep < REPS; rep++) {
        for (let k = 0; k < ops.length; k++) {
          const [name, run] = ops[(k + rep + round) % ops.length]!;
          const started = process.hrtime.bigint();
          await run();
          samples.get(name)!.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      for (const [name, xs] of samples) results.set(name, [...(results.get(name) ?? []), median(xs)]);
    }
    const ms = (name: string) => median(results.get(name)!);

    const rows: string[][] = [['page', 'raw SQL ms', 'list query ms', 'query / raw', 'whole page ms', 'page / raw', 'query / first page']];
    for (const page of ['first', 'deep', 'search']) {
      const raw = ms(`raw/${page}`);
      const query = ms(`query/${page}`);
      const whole = ms(`render/${page}`);
      rows.push([
        page === 'search' ? `search "${SEARCH}"` : page === 'deep' ? 'deep (90%, cursor)' : 'first',
        raw.toFixed(2),
        query.toFixed(2),
        `${(query / raw).toFixed(2)}×`,
        whole.toFixed(2),
        `${(whole / raw).toFixed(2)}×`,
        page === 'deep' ? `${(query / ms('query/first')).toFixed(2)}×` : '',
      ]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write('\n' + rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n') + '\n\n');
    process.stdout.write('raw SQL: the same rows (accounts and invited addresses merged, by keyset), their roles and the total, through mysql2.\n');
    process.stdout.write(`of which COUNT(*) of all accounts alone: ${ms('raw/count').toFixed(2)} ms; the whole page adds the shell and the seat usage per pool.\n`);

    const apiRows: string[][] = [['management API people list', 'list query ms', 'GET /api/v1/people ms', 'API / list query']];
    for (const page of ['first', 'deep'] as const) {
      apiRows.push([page === 'deep' ? 'deep (90%, cursor)' : 'first', ms(`query/${page}`).toFixed(2), ms(`api/${page}`).toFixed(2), `${(ms(`api/${page}`) / ms(`query/${page}`)).toFixed(2)}×`]);
    }
    const apiWidths = apiRows[0]!.map((_, i) => Math.max(...apiRows.map((r) => r[i]!.length)));
    process.stdout.write(apiRows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(apiWidths[i]!) : c.padStart(apiWidths[i]!))).join('  ')).join('\n') + '\n');
    process.stdout.write('GET /api/v1/people: over HTTP with a bearer token (checked by the provider), validated, the same list query, JSON; the list query is the admin page\'s.\n');

    const pageRows: string[][] = [['admin page', 'server ms', 'baseline query ms', `goal < ${GOALS.adminPageMs} ms`]];
    for (const p of pages) {
      const server = ms(`page:${p.path}`);
      pageRows.push([p.path.replace(admin.id, ':id'), server.toFixed(2), ms(`base:${p.path}`).toFixed(2), server < GOALS.adminPageMs ? 'met' : 'MISSED']);
    }
    const pageWidths = pageRows[0]!.map((_, i) => Math.max(...pageRows.map((r) => r[i]!.length)));
    process.stdout.write('\n' + pageRows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(pageWidths[i]!) : c.padStart(pageWidths[i]!))).join('  ')).join('\n') + '\n\n');

    const checks: Array<[string, number, number]> = [
      ['deep page ≤ 2× first page (list query)', ms('query/deep') / ms('query/first'), GOALS.deepVsFirst],
      ...(['first', 'deep', 'search'] as const).map((p): [string, number, number] => [`list query ≤ 2× raw SQL (${p})`, ms(`query/${p}`) / ms(`raw/${p}`), GOALS.queryVsRaw]),
      ...(['first', 'deep', 'search'] as const).map((p): [string, number, number] => [`page render ≤ 5× raw SQL (${p})`, ms(`render/${p}`) / ms(`raw/${p}`), GOALS.renderVsRaw]),
      ...(['first', 'deep'] as const).map((p): [string, number, number] => [`API people list ≤ 2× list query (${p})`, ms(`api/${p}`) / ms(`query/${p}`), GOALS.apiVsQuery]),
    ];
    let met = pages.every((p) => ms(`page:${p.path}`) < GOALS.adminPageMs);
    for (const [label, ratio, goal] of checks) {
      const ok = ratio <= goal;
      met &&= ok;
      process.stdout.write(`goal ${label}: ${ratio.toFixed(2)}× ${ok ? 'MET' : 'MISSED'}\n`);
    }
    return met || !flags.check ? 0 : 2;
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    await conn.end();
    await db.close();
    if (flags.keep) process.stdout.write(`kept ${schema.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}\n`);
    else await schema.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench:users failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
