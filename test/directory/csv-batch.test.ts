// CSV import's batched creation: new accounts are written a chunk per transaction, yet
// every row gets the outcome the one-row-at-a-time path gives it — a bad row in the middle
// of a chunk loses nothing around it, a seat limit reached mid-chunk creates the rows within
// it and refuses (and audits) the rest in file order, and the whole report equals that of
// the one-at-a-time path for the same file. A process killed mid-import leaves whole
// accounts only, and the next import completes the rest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { clearDatabase } from '../helpers/test-databases.js';
import { spawnCli } from '../helpers/cli-process.js';
import { waitUntil } from '../helpers/wait.js';
import type { RunView } from '../../src/directory/sync-report.js';
import { ACCOUNT_CHUNK } from '../../src/users/account-batch.js';

const HEADER = 'username,email,first name,last name,external id,kind,roles,status';
/** Small chunks, so a few rows span several. */
const CHUNK = 4;

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

describeEachDatabase('CSV import in chunks', (h) => {
  const admin = () => h.withPermissions(['users.manage', 'users.view', 'directory.manage', 'assets.view', 'licenses.view', 'reports.view', 'assets.create', 'assets.edit', 'licenses.create', 'licenses.edit', 'data.export'], null);

  beforeEach(() => {
    h.services.directory.accountBatch.chunkSize = CHUNK;
  });
  afterEach(() => {
    h.services.directory.accountBatch.chunkSize = ACCOUNT_CHUNK;
  });

  async function importText(text: string): Promise<RunView> {
    const staged = await h.services.directory.csvImport.stage(admin(), 'people.csv', Buffer.from(text));
    const { done } = await h.services.directory.csvImport.start(admin(), staged.id);
    return done;
  }

  async function report(run: RunView) {
    return (await h.services.directory.runs.rows(run.id, { phase: 'result', limit: 1000 })).rows.map((r) => [r.position, r.outcome, r.label, r.message, r.kind]);
  }

  async function count(sql: string): Promise<number> {
    const [row] = await h.services.models.sequelizeQuery<{ n: number | string }>(sql, {});
    return Number(row!.n);
  }

  /** Every account of the import has its search terms, address value, external id, role and creation event. */
  async function assertWhole(): Promise<number> {
    const accounts = await count(`SELECT COUNT(*) AS n FROM users WHERE source = 'csv'`);
    const lacking = (join: string) => count(`SELECT COUNT(*) AS n FROM users u WHERE u.source = 'csv' AND NOT EXISTS (${join})`);
    expect(await lacking('SELECT 1 FROM user_search_terms t WHERE t.user_id = u.id'), 'without search terms').to.equal(0);
    expect(await lacking('SELECT 1 FROM user_values v WHERE v.user_id = u.id'), 'without their address value').to.equal(0);
    expect(await lacking('SELECT 1 FROM user_external_ids x WHERE x.user_id = u.id'), 'without their external id').to.equal(0);
    expect(await lacking('SELECT 1 FROM user_roles r WHERE r.user_id = u.id'), 'without their role').to.equal(0);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'user.created' AND source = 'csv'`)).to.equal(accounts);
    return accounts;
  }

  async function taken(): Promise<void> {
    await h.services.users.create(h.system(), { username: 'taken', email: 'taken@corp.example' }, { source: 'admin', origin: 'page' });
  }

  it('a bad row in the middle of a chunk fails alone; the rows around it are created whole', async () => {
    await taken();
    const run = await importText(
      csv(
        'a1,a1@corp.example,A,One,E1,user,Member,',
        'a2,a2@corp.example,A,Two,E2,user,Member,',
        'a3,not-an-email,A,Three,E3,user,Member,',
        'taken,a4@corp.example,A,Four,E4,user,Member,',
        'a5,a5@corp.example,A,Five,E5,user,Member,',
        'a6,a6@corp.example,A,Six,E6,user,Nope,',
        'a7,a7@corp.example,A,Seven,E7,user,Member,',
      ),
    );
    expect(run).to.include({ status: 'completed', created: 4, invalid: 2, failed: 1 });
    const rows = await report(run);
    expect(rows.map((r) => r.slice(0, 2))).to.deep.equal([[2, 'created'], [3, 'created'], [4, 'invalid'], [5, 'failed'], [6, 'created'], [7, 'invalid'], [8, 'created']]);
    expect(rows[3]![3]).to.equal('This username is already taken.');
    expect(await assertWhole()).to.equal(4);
  });

  it('a seat limit reached mid-chunk creates the rows within it and refuses the rest in file order, each refusal audited', async () => {
    await taken();
    await h.services.seats.setLimit(h.system(), 'user', 3);
    const run = await importText(
      csv(
        'b1,b1@corp.example,B,One,F1,user,Member,',
        'b2,b2@corp.example,B,Two,F2,user,Member,inactive',
        'b3,b3@corp.example,B,Three,F3,user,Member,',
        'b4,b4@corp.example,B,Four,F4,user,Member,',
        'b5,b5@corp.example,B,Five,F5,requester,Member,',
        'b6,b6@corp.example,B,Six,F6,user,Member,',
      ),
    );
    expect(run).to.include({ status: 'completed', created: 4, blocked: 2 });
    expect((await report(run)).map((r) => r.slice(0, 4))).to.deep.equal([
      [2, 'created', 'b1@corp.example', null],
      [3, 'created', 'b2@corp.example', 'created inactive'],
      [4, 'created', 'b3@corp.example', null],
      [5, 'blocked', 'b4@corp.example', 'Seat limit reached: 3 of 3 user seats in use'],
      [6, 'created', 'b5@corp.example', null],
      [7, 'blocked', 'b6@corp.example', 'Seat limit reached: 3 of 3 user seats in use'],
    ]);
    const refusals = (await h.services.audit.recent(50)).filter((e) => e.action === 'seats.limit_reached');
    expect(refusals.map((e) => e.details.attempted).sort()).to.deep.equal(['b4', 'b6']);
    expect((await h.services.seats.usage('user')).used).to.equal(3);
    expect(await assertWhole()).to.equal(4);
  });

  it("reports every row exactly as the one-row-at-a-time path does for the same file", async () => {
    const file = csv(
      'c1,c1@corp.example,C,One,G1,user,Member,',
      'c2,bad-address,C,Two,G2,user,,',
      'taken,c3@corp.example,C,Three,G3,user,,',
      'c4,c4@corp.example,C,Four,G4,requester,,',
      'c5,c5@corp.example,C,Five,G5,requester,,',
      'c6,c6@corp.example,C,Six,G6,user,,inactive',
      'known,known@corp.example,Known,Again,G7,user,Member,',
      'c8,c1@corp.example,C,Eight,G1,user,,',
      'c9,c9@corp.example,C,Nine,G9,user,Owner,',
      'c10,c10@corp.example,C,Ten,G10,user,Member,',
      'c11,c11@corp.example,C,Eleven,G11,user,Member,',
    );
    const runOnce = async () => {
      await taken();
      await h.services.users.create(h.system(), { username: 'known', email: 'known@corp.example' }, { source: 'admin', origin: 'page' });
      await h.services.seats.setLimit(h.system(), 'user', 5);
      await h.services.seats.setLimit(h.system(), 'requester', 1);
      const run = await importText(file);
      const users = (await h.services.models.User.findAll({ order: [['username', 'ASC']] })).map((u) => [u.username, u.email, u.status, u.kind]);
      const { status, created, updated, invalid, blocked, failed, unchanged } = run;
      return { counters: { status, created, updated, invalid, blocked, failed, unchanged }, rows: await report(run), users };
    };
    const batched = await runOnce();
    await clearDatabase(h.db);
    h.services.settings.forgetRecent();
    h.services.directory.accountBatch.chunkSize = 0;
    const oneByOne = await runOnce();
    expect(batched).to.deep.equal(oneByOne);
    expect(batched.counters.blocked).to.be.greaterThan(0);
    expect(batched.counters.invalid).to.be.greaterThan(0);
    expect(batched.counters.created).to.be.greaterThan(3);
  });

  it('an import killed mid-chunk leaves whole accounts only, and the next import completes the rest', async function () {
    this.timeout(900_000);
    const rows = 10_000;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-csv-kill-'));
    const file = path.join(dir, 'people.csv');
    try {
      fs.writeFileSync(file, HEADER + '\n' + Array.from({ length: rows }, (_, i) => `k${i},k${i}@corp.example,K,${i},X${i},user,Member,`).join('\n') + '\n');
      const first = spawnCli(h.config.database.url, ['users', 'import', file]);
      try {
        await waitUntil(async () => {
          if (first.child.exitCode !== null) throw new Error(`the import ended before it was killed:\n${first.stdout()}\n${first.stderr()}`);
          return (await count(`SELECT COUNT(*) AS n FROM users WHERE source = 'csv'`)) >= ACCOUNT_CHUNK;
        }, 'the first chunks of the import', 600_000, 20);
      } finally {
        first.kill();
      }
      expect((await first.exited).signal).to.equal('SIGKILL');
      const partial = await assertWhole();
      // Chunks commit whole: never part of one.
      expect(partial % ACCOUNT_CHUNK).to.equal(0);
      expect(partial).to.be.within(ACCOUNT_CHUNK, rows - 1);
      const second = spawnCli(h.config.database.url, ['users', 'import', file]);
      const { code } = await second.exited;
      expect(code, second.stderr()).to.equal(0);
      expect(second.stdout()).to.include(`created ${rows - partial}, updated 0`);
      expect(second.stdout()).to.include(`unchanged ${partial}`);
      expect(await assertWhole()).to.equal(rows);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
