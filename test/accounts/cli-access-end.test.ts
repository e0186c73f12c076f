// The CLI sets, moves and clears an account's access end date (read in the organization's
// time zone), and refuses a past one with its message on stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { runCli } from '../helpers/cli-process.js';

describeEachDatabase('accounts: CLI access end dates', (h) => {
  let varDir = '';
  before(() => {
    varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
  });
  after(() => fs.rmSync(varDir, { recursive: true, force: true }));

  const run = (...args: string[]) => runCli(h.config.database.url, args, { varDir });

  it('users add --ends, users end-date DATE and none, a past date refused', async function () {
    this.timeout(120_000);
    await h.services.settings.update(h.system(), { timeZone: 'Europe/Berlin' });
    const add = await run('users', 'add', '--email', 'temp@example.com', '--username', 'temp', '--ends', '2099-01-31T18:00');
    expect(add.stderr).to.equal('');
    expect((await h.services.users.findByLogin('temp'))!.accessEndsAt?.toISOString()).to.equal('2099-01-31T17:00:00.000Z');

    const moved = await run('users', 'end-date', 'temp', '2099-07-01');
    expect(moved.stdout).to.equal('Access of temp ends 2099-07-01T21:59:00.000Z\n');
    const past = await run('users', 'end-date', 'temp', '2001-01-01T00:00');
    expect(past.code).to.equal(1);
    expect(past.stderr).to.include('must be in the future');
    const cleared = await run('users', 'end-date', 'temp', 'none');
    expect(cleared.stdout).to.equal('Access of temp has no end date\n');
    expect((await h.services.users.findByLogin('temp'))!.accessEndsAt).to.equal(null);
  });
});
