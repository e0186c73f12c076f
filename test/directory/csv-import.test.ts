// CSV import of accounts: template, preview with per-row validation, import with a per-row
// report, re-import idempotence (match by external id, then email), status and roles, seats
// in file order through the licence scenarios (user and requester sync), every kind of
// broken file refused whole, and 50,000-row files.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { rejection } from '../accounts/account-fixtures.js';
import { InvalidImportFile } from '../../src/directory/csv-template.js';
import type { RunView } from '../../src/directory/sync-report.js';
import { newId } from '../../src/ids.js';

const HEADER = 'username,email,first name,last name,title,external id,kind,roles,status';

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\r\n') + '\r\n';
}

describeEachDatabase('CSV import', (h) => {
  const admin = () => h.withPermissions(['users.manage', 'users.view', 'directory.manage', 'assets.view', 'licenses.view', 'reports.view', 'assets.create', 'assets.edit', 'licenses.create', 'licenses.edit', 'data.export'], null);

  async function importText(text: string | Buffer, ctx = admin()): Promise<RunView> {
    const staged = await h.services.directory.csvImport.stage(ctx, 'people.csv', typeof text === 'string' ? Buffer.from(text) : text);
    expect(staged.status).to.equal('previewed');
    const { done } = await h.services.directory.csvImport.start(ctx, staged.id);
    return done;
  }

  async function rows(run: RunView, phase: 'preview' | 'result' = 'result') {
    return (await h.services.directory.runs.rows(run.id, { phase, limit: 1000 })).rows.map((r) => [r.position, r.outcome, r.label, r.message]);
  }

  it('offers a template that imports as it is', async () => {
    const template = h.services.directory.csvImport.template();
    expect(template.split('\r\n')[0]).to.equal('username,email,first name,last name,display name,phone,department,title,employee number,manager,gender,birthdate,locale,external id,kind,roles,status,access ends');
    const run = await importText(template);
    expect([run.status, run.created, run.invalid]).to.deep.equal(['completed', 1, 0]);
    const jdoe = (await h.services.users.findByLogin('jdoe'))!;
    expect(jdoe).to.include({ email: 'jane.doe@example.com', givenName: 'Jane', department: 'Sales', phone: '+44 20 7946 0958', kind: 'user', source: 'csv', status: 'active' });
    expect(jdoe.externalIds.map((x) => [x.connection, x.value])).to.deep.equal([['CSV import', 'HR-1042']]);
    expect(jdoe.roles.map((r) => r.name)).to.deep.equal(['Member']);
  });

  it('previews every row with its problems, whether it creates or updates, and predicted seat refusals — changing nothing', async () => {
    await h.services.users.create(h.system(), { username: 'known', email: 'known@corp.example' }, { source: 'admin', origin: 'page' });
    await h.services.seats.setLimit(h.system(), 'requester', 1);
    const staged = await h.services.directory.csvImport.stage(
      admin(),
      'people.csv',
      Buffer.from(
        csv(
          'ann,ann@corp.example,Ann,Lee,,,user,Member,',
          'known,known@corp.example,Known,Person,,,user,,',
          'bad name\u0007,not-an-email,,,,,boss,Nope,maybe',
          'r1,r1@corp.example,,,,,requester,,',
          'r2,r2@corp.example,,,,,requester,,',
          'owner2,o2@corp.example,,,,,user,Owner,',
        ),
      ),
    );
    expect(staged).to.include({ status: 'previewed', total: 6, created: 2, updated: 1, invalid: 2, blocked: 1 });
    const preview = await rows(staged, 'preview');
    expect(preview.map((r) => r.slice(0, 3))).to.deep.equal([
      [2, 'create', 'ann@corp.example'],
      [3, 'update', 'known@corp.example'],
      [4, 'invalid', 'not-an-email'],
      [5, 'create', 'r1@corp.example'],
      [6, 'blocked', 'r2@corp.example'],
      [7, 'invalid', 'o2@corp.example'],
    ]);
    // The seat pool of each row: the file's kind, else the account's; none for a kind the file got wrong.
    expect((await h.services.directory.runs.rows(staged.id, { phase: 'preview' })).rows.map((r) => r.kind)).to.deep.equal(['user', 'user', null, 'requester', 'requester', 'user']);
    const problems = String(preview[2]![3]);
    for (const part of ['Enter a valid email address', 'control characters', 'Kind must be one of user, requester.', 'No role named "Nope".', 'Status must be active or inactive']) expect(problems).to.include(part);
    expect(preview[4]![3]).to.equal('The requester seat limit would be reached: this row would not be imported.');
    expect(preview[5]![3]).to.equal('The owner role is only given by transferring ownership.');
    expect(await h.services.models.User.count()).to.equal(1);
  });

  it('imports with a per-row report; re-importing the same file changes nothing, a changed file updates (by external id, then email)', async () => {
    const file = csv('ann,ann@corp.example,Ann,Lee,Analyst,E-1,user,Member,', 'bo,bo@corp.example,Bo,Chan,,,requester,,', 'cy,cy@corp.example,Cy,Dee,,E-3,user,,inactive');
    const first = await importText(file);
    expect([first.created, first.updated, first.unchanged, first.failed, first.invalid]).to.deep.equal([3, 0, 0, 0, 0]);
    expect(await rows(first)).to.deep.equal([
      [2, 'created', 'ann@corp.example', null],
      [3, 'created', 'bo@corp.example', null],
      [4, 'created', 'cy@corp.example', 'created inactive'],
    ]);
    expect((await h.services.users.findByLogin('bo'))!.kind).to.equal('requester');
    expect((await h.services.users.findByLogin('cy'))!.status).to.equal('inactive');
    const count = await h.services.models.User.count();
    const events = (await h.services.audit.recent(1000)).length;

    const again = await importText(file);
    expect([again.created, again.updated, again.unchanged]).to.deep.equal([0, 0, 3]);
    expect(await h.services.models.User.count()).to.equal(count);
    // Only the import's own summary was audited.
    expect((await h.services.audit.recent(1000)).length).to.equal(events + 1);

    // Ann's email changed (matched by external id E-1); Bo matched by email gets a title.
    const changed = await importText(csv('ann,ann.lee@corp.example,Ann,Lee,Analyst,E-1,user,Member,', 'bo,bo@corp.example,Bo,Chan,Buyer,,requester,,', 'cy,cy@corp.example,Cy,Dee,,E-3,user,,inactive'));
    expect([changed.created, changed.updated, changed.unchanged]).to.deep.equal([0, 2, 1]);
    expect(await h.services.models.User.count()).to.equal(count);
    expect((await h.services.users.findByLogin('ann'))!.email).to.equal('ann.lee@corp.example');
    expect((await h.services.users.findByLogin('bo'))!.title).to.equal('Buyer');
    expect(await rows(changed)).to.deep.equal([
      [2, 'updated', 'ann.lee@corp.example', 'changed email'],
      [3, 'updated', 'bo@corp.example', 'changed title'],
    ]);
    const updates = (await h.services.audit.recent(50)).filter((e) => e.action === 'user.updated');
    expect(updates.every((e) => e.source === 'csv' && e.actorLabel === 'tester')).to.equal(true);
  });

  it('matches by the CSV connection\'s external id only, and reports an ambiguous one instead of guessing', async () => {
    const first = await importText(csv('ann,ann@corp.example,Ann,Lee,,E-1,user,,', 'bo,bo@corp.example,Bo,Chan,,E-2,user,,'));
    expect(first.created).to.equal(2);
    // A SCIM client's externalId is another connection's: a CSV row with that value does not match it.
    const { token } = await h.services.scimTokens.create(h.system(), 'Entra ID');
    const scimCtx = { ...h.system(), connectionId: (await h.services.scimTokens.list(h.system())).find((t) => t.name === 'Entra ID')!.connectionId };
    const tagged = await h.services.users.create(scimCtx, { username: 'sid', email: 'sid@corp.example', externalId: 'S-1' }, { source: 'scim', origin: 'directory' });
    expect(token).to.be.a('string');
    const other = await importText(csv('sue,sue@corp.example,Sue,Park,,S-1,user,,'));
    expect(other.created).to.equal(1);
    expect((await h.services.users.get(tagged.id)).externalIds.map((x) => [x.connection, x.value])).to.deep.equal([['Entra ID', 'S-1']]);

    // Two accounts carrying one value under the CSV connection (externalId is not unique).
    const bo = (await h.services.users.findByLogin('bo'))!;
    await h.db.sequelize.query("UPDATE user_external_ids SET external_id = 'E-1', external_id_normalized = 'e-1' WHERE user_id = :id AND connection_id = 'csv'", { replacements: { id: bo.id } });
    const message = 'Ambiguous external id "e-1" matches 2 accounts in the "CSV import" connection; no account was changed.';
    const file = csv('ann,ann@corp.example,Ann,Lee,Analyst,E-1,user,,');
    const staged = await h.services.directory.csvImport.stage(admin(), 'people.csv', Buffer.from(file));
    expect(await rows(staged, 'preview')).to.deep.equal([[2, 'invalid', 'ann@corp.example', message]]);
    const run = await (await h.services.directory.csvImport.start(admin(), staged.id)).done;
    expect([run.failed, run.updated, run.created]).to.deep.equal([1, 0, 0]);
    expect(await rows(run)).to.deep.equal([[2, 'failed', 'ann@corp.example', message]]);
    expect((await h.services.users.findByLogin('ann'))!.title).to.equal(null);
    expect((await h.services.users.findByLogin('bo'))!.title).to.equal(null);
  });

  it('keeps non-ASCII text intact through the stored upload (chunks never split a character)', async () => {
    // 16,000 characters a chunk (upload-store.ts): pad the first name until a chunk boundary
    // falls inside an emoji (between the two halves of its surrogate pair).
    const rows = (pad: number) => csv(`pad,pad@corp.example,${'x'.repeat(pad + 1)},,,,user,,`, ...Array.from({ length: 100 }, (_, i) => `zoe${i},zoe${i}@corp.example,Zoë,Ångström,${'😀'.repeat(100)},,user,,`));
    let pad = 0;
    while (!(rows(pad).charCodeAt(15_999) >= 0xd800 && rows(pad).charCodeAt(15_999) <= 0xdbff)) pad++;
    const run = await importText(rows(pad));
    expect([run.created, run.failed, run.invalid]).to.deep.equal([101, 0, 0]);
    for (let i = 0; i < 100; i++) expect((await h.services.users.findByLogin(`zoe${i}`))!).to.include({ givenName: 'Zoë', familyName: 'Ångström', title: '😀'.repeat(100) });
  });

  it('deactivates and reactivates by the status column, sets roles exactly, and leaves the owner to the owner', async () => {
    const owner = await h.services.users.createOwner(h.system(), { username: 'boss', email: 'boss@corp.example' }, 'correct horse battery staple 42');
    await importText(csv('ann,ann@corp.example,,,,,user,Member;Viewer,'));
    const ann = (await h.services.users.findByLogin('ann'))!;
    expect(ann.roles.map((r) => r.name)).to.deep.equal(['Member', 'Viewer']);

    const run = await importText(csv('ann,ann@corp.example,,,,,user,Viewer,inactive', 'boss,boss@corp.example,,,,,user,Member,'));
    // An importing admin does not dominate the owner: that row is refused, the others apply.
    expect([run.deactivated, run.updated, run.failed]).to.deep.equal([1, 0, 1]);
    expect((await rows(run))[1]).to.deep.equal([3, 'failed', 'boss@corp.example', 'Only the owner can change the roles of the owner.']);
    const after = await h.services.users.get(ann.id);
    expect(after).to.include({ status: 'inactive', deactivationReason: 'Deactivated by a CSV import.' });
    expect(after.roles.map((r) => r.name)).to.deep.equal(['Viewer']);
    expect(h.revoker.calls.map((c) => c.userId)).to.deep.equal([ann.id]);
    expect((await h.services.users.get(owner.id)).roles.map((r) => r.name)).to.deep.equal(['Owner']);

    const back = await importText(csv('ann,ann@corp.example,,,,,user,,active'));
    expect(back.reactivated).to.equal(1);
    expect((await h.services.users.get(ann.id)).status).to.equal('active');
  });

  it('runs as the importing admin: roles they cannot give are refused per row', async () => {
    const limited = h.withPermissions(['users.manage', 'users.view', 'directory.manage', 'assets.view', 'licenses.view', 'reports.view'], null);
    const run = await importText(csv('ann,ann@corp.example,,,,,user,Admin,', 'bo,bo@corp.example,,,,,user,Viewer,'), limited);
    expect([run.created, run.invalid]).to.deep.equal([1, 1]);
    expect((await rows(run))[0]).to.deep.equal([2, 'invalid', 'ann@corp.example', 'You cannot give the role Admin: it carries permissions you do not hold.']);
    await rejection(h.services.directory.csvImport.stage(h.withPermissions(['directory.manage']), 'x.csv', Buffer.from(csv('a,a@corp.example,,,,,,,'))), Error);
  });

  describe('refuses a broken file whole, with a clear message, changing nothing', () => {
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ['an empty file', '', /^The file is empty\./],
      ['a header without rows', `${HEADER}\r\n`, /^The file has a header but no rows\./],
      ['an unknown column', 'email,shoe size\r\na@corp.example,42\r\n', /^Unknown column "shoe size" in the header\./],
      ['data where the header should be', 'ann@corp.example,Ann\r\n', /^The first line looks like data, not a header\./],
      ['a header without email', 'username,first name\r\nann,Ann\r\n', /^The header has no "email" column\./],
      ['a column twice', 'email,mail\r\na@corp.example,b@corp.example\r\n', /^The column "mail" appears twice in the header\./],
      ['invalid UTF-8 (Latin-1 from a spreadsheet)', Buffer.concat([Buffer.from('email,first name\r\nann@corp.example,Ren'), Buffer.from([0xe9]), Buffer.from('e\r\n')]), /^The file is not UTF-8 text\./],
      ['a quote never closed', `${HEADER}\r\nann,ann@corp.example,"Ann,Lee,,,,,\r\nbo,bo@corp.example,,,,,,,\r\n`, /^A quoted value is never closed/],
      ['a misplaced quote', `${HEADER}\r\nann,ann@corp.example,An"n,Lee,,,,,\r\n`, /^A quote \(".*\) is misplaced \(line 2\)/],
    ];
    for (const [what, content, message] of cases) {
      it(what, async () => {
        const err = await rejection(h.services.directory.csvImport.stage(admin(), 'broken.csv', Buffer.from(content)), InvalidImportFile);
        expect(err.message).to.match(message);
        expect(err.message).to.match(/Nothing was imported\.$/);
        expect(await h.services.models.User.count()).to.equal(0);
        expect(await h.services.models.DirectoryRun.count()).to.equal(0);
        expect(await h.services.models.DirectoryUploadChunk.count()).to.equal(0);
      });
    }

    it('a file broken after thousands of good rows imports none of them', async () => {
      const good = Array.from({ length: 3000 }, (_, i) => `u${i},u${i}@corp.example,,,,,user,,`);
      const text = csv(...good, 'late,late@corp.example,"never closed,,,,,,,');
      await rejection(h.services.directory.csvImport.importFile(admin(), 'late.csv', () => (async function* () { yield Buffer.from(text); })()), InvalidImportFile);
      expect(await h.services.models.User.count()).to.equal(0);
    });
  });

  it('takes seats in file order: rows within the limit are created, the rest reported one by one', async () => {
    await h.services.seats.setLimit(h.system(), 'user', 2);
    const run = await importText(csv('a1,a1@corp.example,,,,,,,', 'a2,a2@corp.example,,,,,,,', 'a3,a3@corp.example,,,,,,,', 'a4,a4@corp.example,,,,,,,'));
    expect([run.created, run.blocked]).to.deep.equal([2, 2]);
    expect((await rows(run)).slice(2)).to.deep.equal([
      [4, 'blocked', 'a3@corp.example', 'Seat limit reached: 2 of 2 user seats in use'],
      [5, 'blocked', 'a4@corp.example', 'Seat limit reached: 2 of 2 user seats in use'],
    ]);
    // The warning and each row name the pool that refused.
    expect(run.warnings.join(' ')).to.match(/2 rows were not imported: the user seat limit is reached/);
    expect((await h.services.directory.runs.rows(run.id, { phase: 'result' })).rows.map((r) => r.kind)).to.deep.equal(['user', 'user', 'user', 'user']);
    expect((await h.services.audit.recent(20)).filter((e) => e.action === 'seats.limit_reached')).to.have.length(2);
  });

  describe('licence scenarios: user and requester sync', () => {
    it('sync adds a new user after the limit is reached → blocked, warning shown', async () => {
      await importText(csv('first,first@corp.example,,,,,user,,'));
      await h.services.seats.setLimit(h.system(), 'user', 1);
      const run = await importText(csv('first,first@corp.example,,,,,user,,', 'late,late@corp.example,,,,,user,,'));
      expect([run.created, run.unchanged, run.blocked]).to.deep.equal([0, 1, 1]);
      expect(run.warnings).to.have.length(1);
      expect(await rows(run)).to.deep.equal([[3, 'blocked', 'late@corp.example', 'Seat limit reached: 1 of 1 user seats in use']]);
    });

    it('sync updates existing users → allowed', async () => {
      await importText(csv('one,one@corp.example,,,,,user,,', 'two,two@corp.example,,,,,user,,'));
      await h.services.seats.setLimit(h.system(), 'user', 2);
      const run = await importText(csv('one,one@corp.example,One,,Lead,,user,,', 'two,two@corp.example,Two,,,,user,,'));
      expect([run.updated, run.blocked]).to.deep.equal([2, 0]);
      expect((await h.services.users.findByLogin('one'))!.title).to.equal('Lead');
    });

    it('multiple new users exceed the limit → only those within it created', async () => {
      await importText(csv('existing,existing@corp.example,,,,,user,,'));
      await h.services.seats.setLimit(h.system(), 'user', 3);
      const run = await importText(csv('n1,n1@corp.example,,,,,user,,', 'n2,n2@corp.example,,,,,user,,', 'n3,n3@corp.example,,,,,user,,', 'n4,n4@corp.example,,,,,user,,'));
      expect([run.created, run.blocked]).to.deep.equal([2, 2]);
      expect((await rows(run)).map((r) => [r[1], r[2]])).to.deep.equal([['created', 'n1@corp.example'], ['created', 'n2@corp.example'], ['blocked', 'n3@corp.example'], ['blocked', 'n4@corp.example']]);
    });

    it('requester import exceeds licence → new requesters blocked, existing updated', async () => {
      await importText(csv('req1,req1@corp.example,,,,,requester,,'));
      await h.services.seats.setLimit(h.system(), 'requester', 1);
      const run = await importText(csv('req1,req1@corp.example,,,Customer,,requester,,', 'req2,req2@corp.example,,,,,requester,,', 'staff,staff@corp.example,,,,,user,,'));
      expect([run.updated, run.created, run.blocked]).to.deep.equal([1, 1, 1]);
      expect((await h.services.users.findByLogin('req1'))!.title).to.equal('Customer');
      expect(await h.services.users.findByLogin('req2')).to.equal(null);
      expect((await rows(run)).find((r) => r[1] === 'blocked')).to.deep.equal([3, 'blocked', 'req2@corp.example', 'Seat limit reached: 1 of 1 requester seats in use']);
    });
  });

  it('imports a 50,000-row file: streamed preview of every row, then the import with its report', async function () {
    this.timeout(600_000);
    // 49,990 accounts exist already (bulk SQL, as benchmarks seed); the file names them all
    // unchanged plus 10 new ones, so the test exercises 50,000 rows of reading, matching and
    // reporting without 50,000 account creations (their cost is bench:directory's).
    const N = 50_000;
    const EXISTING = N - 10;
    await seedAccounts(h, EXISTING);
    const lines = ['username,email,first name,last name,external id,kind'];
    for (let i = 0; i < N; i++) lines.push(`bulk${i},bulk${i}@corp.example,Given${i},Family${i},X-${i},${i % 10 === 9 ? 'requester' : 'user'}`);
    const text = lines.join('\n') + '\n';
    const staged = await h.services.directory.csvImport.stage(admin(), 'fifty-thousand.csv', Buffer.from(text));
    expect(staged).to.include({ status: 'previewed', total: N, created: 10, updated: EXISTING, invalid: 0, blocked: 0 });
    const progress: number[] = [];
    const { done } = await h.services.directory.csvImport.start(admin(), staged.id, (p) => progress.push(p.processed));
    const run = await done;
    expect(run).to.include({ status: 'completed', processed: N, created: 10, unchanged: EXISTING, updated: 0, failed: 0, invalid: 0 });
    expect(progress.at(-1)).to.equal(N);
    expect((await rows(run)).map((r) => [r[0], r[1]])).to.deep.equal(Array.from({ length: 10 }, (_, i) => [EXISTING + i + 2, 'created']));
    expect(await h.services.models.User.count()).to.equal(N);
    expect(await h.services.models.DirectoryUploadChunk.count()).to.equal(0);
  });
});

/** Accounts bulk-inserted like the CSV rows above (not through the service: speed). */
async function seedAccounts(h: Harness, n: number): Promise<void> {
  const now = h.clock.now();
  const qi = h.db.sequelize.getQueryInterface();
  // Their external ids are the CSV import connection's.
  const csv = await h.services.connections.ensureBuiltin('csv');
  for (let start = 0; start < n; start += 1000) {
    const batch = [];
    const externalIds = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const id = newId();
      batch.push({
        id, username: `bulk${i}`, username_normalized: `bulk${i}`, email: `bulk${i}@corp.example`, email_normalized: `bulk${i}@corp.example`,
        given_name: `Given${i}`, family_name: `Family${i}`,
        kind: i % 10 === 9 ? 'requester' : 'user', source: 'csv', status: 'active', email_verified: false, version: 1, created_at: now, updated_at: now,
      });
      externalIds.push({ connection_id: csv.id, user_id: id, external_id: `X-${i}`, external_id_normalized: `x-${i}` });
    }
    await qi.bulkInsert('users', batch);
    await qi.bulkInsert('user_external_ids', externalIds);
  }
  // Accounts written by bulk SQL: the pools' usage bound is unknown (seat-service.ts).
  await h.db.sequelize.query('UPDATE seat_pools SET in_use = -1');
}
