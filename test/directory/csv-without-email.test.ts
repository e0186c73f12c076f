// CSV rows without an email address (a directory may create an account
// without one): the row makes an account with no address, seats are still taken in file
// order, and a re-import finds it again by its external id, or by its username when the
// row has neither email nor external id.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import type { RunView } from '../../src/directory/sync-report.js';

const csv = (...rows: string[]) => ['username,email,first name,external id,status', ...rows].join('\r\n') + '\r\n';

describeEachDatabase('CSV import: rows without an email address', (h) => {
  const admin = () => h.withPermissions(['users.manage', 'users.view', 'directory.manage'], null);

  async function importText(text: string): Promise<RunView> {
    const staged = await h.services.directory.csvImport.stage(admin(), 'people.csv', Buffer.from(text));
    expect(staged.status).to.equal('previewed');
    return (await h.services.directory.csvImport.start(admin(), staged.id)).done;
  }
  const rows = async (run: RunView) => (await h.services.directory.runs.rows(run.id, { phase: 'result', limit: 100 })).rows.map((r) => [r.outcome, r.label, r.message]);

  it('creates accounts without an address, within the seat limit, and updates them by external id', async () => {
    await h.services.seats.setLimit(h.system(), 'user', 2);
    const first = await importText(csv('nomail1,,Nia,X-1,', 'nomail2,,Noor,,', 'nomail3,,Ned,X-3,'));
    expect([first.created, first.blocked, first.invalid]).to.deep.equal([2, 1, 0]);
    expect(await rows(first)).to.deep.equal([
      ['created', 'nomail1', null],
      ['created', 'nomail2', null],
      ['blocked', 'nomail3', 'Seat limit reached: 2 of 2 user seats in use'],
    ]);
    for (const name of ['nomail1', 'nomail2']) expect((await h.services.users.findByLogin(name))!).to.include({ email: null, source: 'csv' });
    expect(await h.services.models.MailOutbox.count()).to.equal(0);

    // The row with an external id is found again; an address given later is set (nobody to tell).
    const again = await importText(csv('nomail1,nia@corp.example,Nia,X-1,'));
    expect(await rows(again)).to.deep.equal([['updated', 'nia@corp.example', 'changed email']]);
    expect((await h.services.users.findByLogin('nomail1'))!.email).to.equal('nia@corp.example');
    expect(await h.services.models.MailOutbox.count()).to.equal(0);
  });

  it('finds a row with neither email nor external id again by its username: importing the same file twice changes nothing', async () => {
    const file = csv('bare.one,,Bea,,', 'BARE.TWO,,Bo,,inactive');
    const first = await importText(file);
    expect(await rows(first)).to.deep.equal([
      ['created', 'bare.one', null],
      ['created', 'BARE.TWO', 'created inactive'],
    ]);
    const ids = [(await h.services.users.findByLogin('bare.one'))!.id, (await h.services.users.findByLogin('bare.two'))!.id];

    const again = await importText(file);
    expect([again.created, again.unchanged, again.invalid, again.failed]).to.deep.equal([0, 2, 0, 0]);
    // A changed row updates the same account, matched without regard to case.
    const changed = await importText(csv('bare.ONE,,Beatrice,,'));
    expect([changed.created, changed.updated, changed.failed]).to.deep.equal([0, 1, 0]);
    expect((await rows(changed)).map(([outcome, label]) => [outcome, label])).to.deep.equal([['updated', 'bare.ONE']]);
    expect(await h.services.models.User.count()).to.equal(2);
    expect((await h.services.users.findByLogin('bare.one'))!).to.include({ id: ids[0], givenName: 'Beatrice' });
  });

  it('matches by username only accounts a CSV import created: another source keeps its account', async () => {
    const page = await h.services.users.create(admin(), { username: 'kept.name', email: 'kept@corp.example', givenName: 'Kim' }, { source: 'admin', origin: 'page' });
    const run = await importText(csv('kept.name,,Intruder,,'));
    expect([run.created, run.updated, run.unchanged]).to.deep.equal([0, 0, 0]);
    expect((await rows(run)).map(([outcome, label]) => [outcome, label])).to.deep.equal([['failed', 'kept.name']]);
    expect((await h.services.users.get(page.id)).givenName).to.equal('Kim');
    expect(await h.services.models.User.count()).to.equal(1);
  });
});
