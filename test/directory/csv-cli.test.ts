// `npm run cli -- users import FILE` as a real child process: the file streamed
// from disk, a progress bar on stderr, the report on stdout, re-import updating, and a
// broken file refused with its message and a non-zero exit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { spawnCli } from '../helpers/cli-process.js';

describeEachDatabase('CSV import from the CLI', (h) => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-csv-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(...args: string[]) {
    const p = spawnCli(h.config.database.url, args);
    const { code } = await p.exited;
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  }

  it('imports a file with a progress bar and a report; importing it again changes nothing', async function () {
    this.timeout(120_000);
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, 'username,email,first name,kind,roles\nann,ann@corp.example,Ann,user,Member\nbo,bo@corp.example,Bo,requester,\ncy,not-an-email,Cy,user,\n');
    const first = await cli('users', 'import', file);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/^CSV import of people\.csv completed \(run [0-9a-f-]{36}\)\n/);
    expect(first.stdout).to.include('processed 3 of 3: created 2, updated 0');
    expect(first.stdout).to.include('invalid 1');
    expect(first.stdout).to.include('line 4 invalid: not-an-email — Enter a valid email address');
    expect(first.stderr).to.match(/Importing \[#{30}\] 100% 3\/3/);
    expect((await h.services.users.findByLogin('bo'))!).to.include({ kind: 'requester', source: 'csv' });
    const created = (await h.services.audit.recent(10)).filter((e) => e.action === 'user.created');
    expect(created.map((e) => [e.actorLabel, e.source])).to.deep.equal([['command line', 'csv'], ['command line', 'csv']]);

    const again = await cli('users', 'import', file);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.include('created 0, updated 0, reactivated 0, deactivated 0, unchanged 2');
  });

  it('refuses a broken file with its reason and imports nothing', async function () {
    this.timeout(120_000);
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, 'email,first name\nann@corp.example,"Ann\n');
    const run = await cli('users', 'import', file);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('A quoted value is never closed');
    expect(run.stderr).to.include('Nothing was imported.');
    expect(await h.services.models.User.count()).to.equal(0);
    const missing = await cli('users', 'import', path.join(dir, 'nope.csv'));
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('No file at');
  });
});
