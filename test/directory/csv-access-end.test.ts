// The CSV import's "access ends" column: read in the organization's time zone, set on
// creation and on existing accounts; a status "active" for an account ended by its date is
// refused on its row unless the same row moves or clears the date.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { scheduler } from '../accounts/access-end-fixtures.js';
import type { RunView } from '../../src/directory/sync-report.js';

describeEachDatabase('CSV import: access end dates', (h) => {
  const admin = () => h.withPermissions(['users.manage', 'users.view', 'directory.manage'], null);

  async function importText(text: string): Promise<RunView> {
    const staged = await h.services.directory.csvImport.stage(admin(), 'people.csv', Buffer.from(text));
    const { done } = await h.services.directory.csvImport.start(admin(), staged.id);
    return done;
  }
  const outcomes = async (run: RunView) => (await h.services.directory.runs.rows(run.id, { phase: 'result', limit: 100 })).rows.map((r) => [r.outcome, r.message]);

  it('sets the date on creation, refuses reactivation past it unless the row moves it', async () => {
    await h.services.settings.update(h.system(), { timeZone: 'Europe/Berlin' });
    await importText('email,access ends\r\ntemp@example.com,2030-01-02T12:00\r\n');
    const temp = await h.services.users.findByLogin('temp@example.com');
    expect(temp!.accessEndsAt?.toISOString()).to.equal('2030-01-02T11:00:00.000Z');

    h.clock.advance(2 * 86_400_000);
    await scheduler(h).tick();
    expect((await h.services.users.get(temp!.id)).status).to.equal('inactive');

    const refused = await importText('email,status\r\ntemp@example.com,active\r\n');
    const [[outcome, message]] = (await outcomes(refused)) as Array<[string, string]>;
    expect(outcome).to.equal('failed');
    expect(message).to.match(/end date/);
    expect((await h.services.users.get(temp!.id)).status).to.equal('inactive');

    const moved = await importText('email,status,access ends\r\ntemp@example.com,active,2030-06-30\r\n');
    expect((await outcomes(moved))[0]![0]).to.equal('reactivated');
    const back = await h.services.users.get(temp!.id);
    expect(back.status).to.equal('active');
    expect(back.accessEndsAt?.toISOString()).to.equal('2030-06-30T21:59:00.000Z');
  });
});
