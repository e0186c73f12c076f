// The operator CLI (`npm run cli`) drives the same services: a smoke run of each accounts
// command as a real child process against the suite's database, including a refusal
// that must exit non-zero with its message on stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditEvents } from './account-fixtures.js';
import { runCli } from '../helpers/cli-process.js';

describeEachDatabase('accounts: CLI smoke', (h) => {
  let varDir = '';
  before(() => {
    varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
  });
  after(() => fs.rmSync(varDir, { recursive: true, force: true }));

  const run = (...args: string[]) => runCli(h.config.database.url, args, { varDir });

  it('--help lists the commands', async () => {
    const r = await run('--help');
    expect(r.code).to.equal(0);
    for (const command of ['users add', 'users list', 'users deactivate', 'users reactivate', 'roles list', 'seats show', 'seats set']) expect(r.stdout).to.include(command);
  });

  it('users add, users list, seats set, seats show, a refused users add, roles list', async function () {
    this.timeout(120_000);
    const add = await run('users', 'add', '--email', 'ada@example.com', '--username', 'ada', '--name', 'Ada Lovelace', '--roles', 'Member');
    expect(add.stderr).to.equal('');
    expect(add.code).to.equal(0);
    expect(add.stdout).to.match(/^Created ada <ada@example\.com> \([0-9a-f-]{36}\), active\n$/);

    const list = await run('users', 'list');
    expect(list.code).to.equal(0);
    expect(list.stdout).to.match(/^USERNAME\s+EMAIL\s+KIND\s+STATUS\s+ROLES\s+ID$/m);
    expect(list.stdout).to.match(/^ada\s+ada@example\.com\s+user\s+active\s+Member\s+[0-9a-f-]{36}$/m);

    const set = await run('seats', 'set', 'user', '1');
    expect(set.code).to.equal(0);
    expect(set.stdout).to.equal('Seat limit for user: 1\n');

    const show = await run('seats', 'show');
    expect(show.code).to.equal(0);
    expect(show.stdout).to.match(/^user\s+1\s+1\s+1\s+0\s+owner$/m);
    expect(show.stdout).to.match(/^requester\s+0\s+unlimited\s+0\s+0\s+owner$/m);

    const refused = await run('users', 'add', '--email', 'bob@example.com');
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.equal('');
    expect(refused.stderr).to.equal('Seat limit reached: 1 of 1 user seats in use\n');
    expect(await h.services.users.findByLogin('bob@example.com')).to.equal(null);
    const [audited] = await auditEvents(h, { action: 'seats.limit_reached' });
    expect(audited).to.include({ source: 'cli', actorLabel: 'command line' });

    const roles = await run('roles', 'list');
    expect(roles.code).to.equal(0);
    for (const name of ['Owner', 'Admin', 'Member', 'Viewer']) expect(roles.stdout).to.match(new RegExp(`^${name}\\s+yes\\s+\\d+\\s+\\S+`, 'm'));
    expect(roles.stdout).to.match(/^Member\s+yes\s+1\s/m);
  });
});
