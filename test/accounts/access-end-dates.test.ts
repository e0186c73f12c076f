// Access that ends by itself: reminders 7 and 1 days before (each exactly once, whichever
// of two racing schedulers runs), deactivation at the end date through the one
// deactivation path, a date moved later meanwhile respected, catch-up after downtime, and
// reactivation past the date only together with a new date or its clearing.
import { expect } from 'chai';
import { DAY_MS_FOR_TESTS, scheduler } from './access-end-fixtures.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { InvalidTransition, ValidationError } from '../../src/errors.js';
import { ACCESS_ENDED_REASON } from '../../src/users/access-ends.js';
import { addUser, addWithRole, auditEvents, rejection } from './account-fixtures.js';
import { parseZonedDateTime, zonedInputValue } from '../../src/zoned-time.js';

const DAY = DAY_MS_FOR_TESTS;

describeEachDatabase('accounts: access end dates', (h) => {
  const inDays = (days: number) => new Date(h.clock.now().getTime() + days * DAY);
  const reminders = async () => (await h.services.models.MailOutbox.findAll({ order: [['id', 'ASC']] })).filter((m) => m.template.startsWith('access-end-reminder'));

  it('sends the 7-day and the 1-day reminder exactly once each, with two schedulers racing', async () => {
    const inviter = await addWithRole(h, 'admin');
    const auditor = await addUser(h, { username: 'auditor' });
    await h.services.accessEnds.set(await h.as(inviter), auditor.id, inDays(10));
    const [a, b] = [scheduler(h), scheduler(h)];
    const race = () => Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);

    await race();
    expect(await reminders()).to.have.length(0);
    h.clock.advance(3 * DAY); // 7 days left
    await race();
    await race();
    let sent = await reminders();
    expect(sent.map((m) => m.toAddress)).to.deep.equal([inviter.email]);
    expect(sent[0]!.subject).to.contain('auditor');
    expect(sent[0]!.textBody).to.contain(`/admin/users/${auditor.id}`);

    h.clock.advance(5 * DAY); // 2 days left: nothing new
    await race();
    expect(await reminders()).to.have.length(1);
    h.clock.advance(1 * DAY); // 1 day left
    await race();
    await race();
    sent = await reminders();
    expect(sent).to.have.length(2);
    expect(sent[1]!.toAddress).to.equal(inviter.email);
    expect((await auditEvents(h, { action: 'user.access_end_reminded' })).map((e) => e.details?.reminder)).to.deep.equal(['first', 'last']);
  });

  it('mails everyone who may manage users when whoever set the date is gone, and the person when the setting says so', async () => {
    const inviter = await addWithRole(h, 'admin');
    const other = await addWithRole(h, 'admin');
    const auditor = await addUser(h);
    await h.services.accessEnds.set(await h.as(inviter), auditor.id, inDays(3));
    await h.services.users.deactivate(h.system(), inviter.id);
    await h.services.settings.update(h.system(), { accessEndRemindPerson: true });
    await scheduler(h).tick();
    const to = (await reminders()).map((m) => m.toAddress).sort();
    expect(to).to.deep.equal([other.email, auditor.email].sort());
  });

  it('deactivates at the end date through the one deactivation path, and only then', async () => {
    const u = await addUser(h);
    await h.services.accessEnds.set(h.system(), u.id, inDays(2));
    h.clock.advance(2 * DAY - 1000);
    expect((await scheduler(h).tick()).ended).to.equal(0);
    expect((await h.services.users.get(u.id)).status).to.equal('active');
    h.clock.advance(1000);
    expect((await scheduler(h).tick()).ended).to.equal(1);
    const after = await h.services.users.get(u.id);
    expect(after).to.include({ status: 'inactive', deactivationReason: ACCESS_ENDED_REASON });
    expect(h.revoker.calls).to.deep.equal([{ userId: u.id, reason: 'deactivated', inTransaction: true }]);
    const [event] = await auditEvents(h, { action: 'user.deactivated', targetId: u.id });
    expect(event!.details).to.deep.equal({ reason: ACCESS_ENDED_REASON });
  });

  it('respects a date moved later meanwhile (re-read under the row lock)', async () => {
    const u = await addUser(h);
    await h.services.accessEnds.set(h.system(), u.id, inDays(1));
    h.clock.advance(DAY + 1);
    const due = await h.services.accessEnds.due();
    expect(due).to.deep.equal([u.id]);
    // Moved while the scheduler held the list of due accounts: the date is checked again.
    await h.services.models.User.update({ accessEndsAt: inDays(5) }, { where: { id: u.id } });
    expect(await h.services.accessEnds.endIfDue(u.id)).to.equal(false);
    expect((await h.services.users.get(u.id)).status).to.equal('active');
    expect((await scheduler(h).tick()).ended).to.equal(0);
  });

  it('catches up after the process was down over the end date, sending no stale reminder', async () => {
    await addWithRole(h, 'admin');
    const u = await addUser(h);
    const v = await addUser(h);
    await h.services.accessEnds.set(h.system(), u.id, inDays(8));
    await h.services.accessEnds.set(h.system(), v.id, inDays(20));
    h.clock.advance(19.5 * DAY); // nothing ran all this time
    const result = await scheduler(h).tick();
    expect(result).to.include({ ran: true, ended: 1, reminded: 1 });
    expect((await h.services.users.get(u.id)).status).to.equal('inactive');
    // v is half a day from its end: only the last reminder goes out, once.
    expect((await auditEvents(h, { action: 'user.access_end_reminded', targetId: v.id })).map((e) => e.details?.reminder)).to.deep.equal(['last']);
    expect(await reminders()).to.have.length(1);
  });

  it('moving the date resets the reminders for the new date', async () => {
    await addWithRole(h, 'admin');
    const u = await addUser(h);
    await h.services.accessEnds.set(h.system(), u.id, inDays(5));
    await scheduler(h).tick();
    expect(await reminders()).to.have.length(1);
    await h.services.accessEnds.set(h.system(), u.id, inDays(6));
    await scheduler(h).tick();
    expect(await reminders()).to.have.length(2);
  });

  it('refuses a past date, and an end date on the owner', async () => {
    const u = await addUser(h);
    const err = await rejection(h.services.accessEnds.set(h.system(), u.id, inDays(-1)), ValidationError);
    expect(err.fields.accessEndsAt).to.match(/future/);
    await rejection(h.services.users.create(h.system(), { email: 'past@example.com' }, { source: 'admin', origin: 'page', accessEndsAt: inDays(-1) }), ValidationError);
  });

  it('reactivation past the end date asks for a new date or its clearing', async () => {
    const u = await addUser(h, {}, { accessEndsAt: inDays(1) });
    expect((await h.services.users.get(u.id)).accessEndsAt?.toISOString()).to.equal(inDays(1).toISOString());
    h.clock.advance(DAY);
    await scheduler(h).tick();
    const err = await rejection(h.services.users.reactivate(h.system(), u.id), InvalidTransition);
    expect(err.message).to.match(/new end date, or clear/);
    const back = await h.services.accessEnds.reactivateWith(h.system(), u.id, inDays(30));
    expect(back.status).to.equal('active');
    expect(back.accessEndsAt?.toISOString()).to.equal(inDays(30).toISOString());
  });

  it('a directory reactivation is refused unless the same request moves or clears the date', async () => {
    const u = await addUser(h, {}, { accessEndsAt: inDays(1) });
    h.clock.advance(DAY);
    await scheduler(h).tick();
    await rejection(h.services.directoryState.setState(h.system(), u.id, () => ({ active: true, profile: {}, deactivationReason: 'x' })), InvalidTransition);
    expect((await h.services.users.get(u.id)).status).to.equal('inactive');
    const outcome = await h.services.directoryState.setState(h.system(), u.id, () => ({ active: true, profile: {}, deactivationReason: 'x', accessEndsAt: null }));
    expect(outcome.outcome).to.equal('reactivated');
    expect(outcome.user.accessEndsAt).to.equal(null);
  });

  it('reads and writes dates in the organization time zone', () => {
    const at = parseZonedDateTime('2030-07-01T17:00', 'Europe/Berlin')!;
    expect(at.toISOString()).to.equal('2030-07-01T15:00:00.000Z');
    expect(zonedInputValue(at, 'Europe/Berlin')).to.equal('2030-07-01T17:00');
    expect(parseZonedDateTime('2030-01-15', 'America/New_York')!.toISOString()).to.equal('2030-01-16T04:59:00.000Z');
    expect(parseZonedDateTime('2030-02-30T10:00', 'UTC')).to.equal(null);
  });
});
