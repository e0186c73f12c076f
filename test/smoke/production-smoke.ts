// A production start checked from the outside, as an operator's first hour would go:
//
//   tsx test/smoke/production-smoke.ts DIR [--source]
//
// runs Gatehouse from DIR — the compiled entry (`node --enable-source-maps dist/src/server.js`)
// or, with --source, `npm start`'s TypeScript entry — on the Node that runs this script, on a
// fresh SQLite database: the CLI migrates it, the server answers /readyz, the owner is created
// through the logged setup link and signs in through the pages, the CLI creates a SCIM token
// and a SCIM call creates a user. On Node 22 or later no "Unsupported runtime" warning may
// appear. Exits non-zero on the first failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { runCli } from '../helpers/cli-process.js';
import { spawnServer, type ServerEntry, type ServerProcess } from '../helpers/server-process.js';
import { UserAgent } from '../helpers/user-agent.js';
import { waitUntil } from '../helpers/wait.js';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'a long enough passphrase' };

function entries(dir: string, source: boolean): { server: ServerEntry; cli: ServerEntry } {
  const node = process.execPath;
  if (source) {
    const tsx = ['--import', 'tsx'];
    return { server: { command: node, args: [...tsx, 'src/server.ts'], cwd: dir }, cli: { command: node, args: [...tsx, 'src/cli/main.ts'], cwd: dir } };
  }
  const maps = ['--enable-source-maps'];
  return { server: { command: node, args: [...maps, 'dist/src/server.js'], cwd: dir }, cli: { command: node, args: [...maps, 'dist/src/cli/main.js'], cwd: dir } };
}

async function ready(base: string): Promise<void> {
  await waitUntil(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, '/readyz answering 200', 60_000);
}

async function createOwnerAndSignIn(base: string, setupLink: string): Promise<void> {
  const setup = new UserAgent(base);
  const form = await setup.get(setupLink);
  assert.equal(form.status, 200, `setup page: ${form.body.slice(0, 300)}`);
  const created = await setup.submit(form, '/setup', { ...OWNER, passwordConfirmation: OWNER.password });
  assert.ok(created.status < 400, `owner creation answered ${created.status}: ${created.body.slice(0, 300)}`);

  const browser = new UserAgent(base);
  let page = await browser.get('/account');
  page = await browser.submit(page, '/login', { login: OWNER.email, password: OWNER.password });
  if (page.body.includes('/confirm')) page = await browser.submit(page, '/confirm');
  assert.equal(page.status, 200, `after signing in: ${page.url} ${page.body.slice(0, 300)}`);
  assert.match(page.url, /\/account$/);
  assert.ok(page.body.includes(OWNER.email), 'the account page shows the signed-in owner');
}

async function scimCall(base: string, token: string): Promise<void> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
  const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'sam.smoke', emails: [{ value: 'sam.smoke@example.com', type: 'work', primary: true }] };
  const created = await fetch(`${base}/scim/v2/Users`, { method: 'POST', headers, body: JSON.stringify(user) });
  assert.equal(created.status, 201, `SCIM create: ${await created.text()}`);
  const found = await fetch(`${base}/scim/v2/Users?filter=${encodeURIComponent('userName eq "sam.smoke"')}`, { headers });
  assert.equal(found.status, 200);
  assert.equal(((await found.json()) as { totalResults: number }).totalResults, 1);
}

async function main(): Promise<void> {
  const [dirArg, ...flags] = process.argv.slice(2);
  if (!dirArg) throw new Error('usage: production-smoke.ts DIR [--source]');
  const dir = path.resolve(dirArg);
  const { server: serverEntry, cli: cliEntry } = entries(dir, flags.includes('--source'));
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-smoke-'));
  const databaseUrl = `sqlite:${path.join(data, 'gatehouse.sqlite')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, VAR_DIR: data, LOG_LEVEL: 'info' };
  const cli = (args: string[]) => runCli(databaseUrl, args, { varDir: data, entry: cliEntry });
  let server: ServerProcess | null = null;
  try {
    const migrated = await cli(['migrate']);
    assert.equal(migrated.code, 0, migrated.stderr);
    process.stdout.write(`migrate: ${migrated.stdout}`);

    server = spawnServer(env, serverEntry);
    const link = await server.waitForLog(/^No owner yet/);
    await ready(base);
    process.stdout.write(`${base}/readyz answers 200 (Node ${process.version})\n`);

    await createOwnerAndSignIn(base, String(link.setupLink));
    process.stdout.write('owner created through the setup link and signed in through the pages\n');

    const made = await cli(['scim-tokens', 'create', 'Smoke directory', '--permissions', 'users.view,users.manage']);
    assert.equal(made.code, 0, made.stderr);
    await scimCall(base, made.stdout.trim().split('\n').at(-1)!);
    process.stdout.write('SCIM token created with the CLI; SCIM created and found a user\n');

    if (Number(process.versions.node.split('.')[0]) >= 22) assert.doesNotMatch(server.stderr(), /Unsupported runtime/);
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, 'a graceful stop exits 0');
    process.stdout.write('production smoke passed\n');
  } finally {
    server?.kill();
    fs.rmSync(data, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`production smoke FAILED: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
