// Every seat-taking path checks the pool in the write's transaction,
// serialized by a lock on the pool row, "so the limit holds across several Gatehouse
// processes on one MySQL database". Many parallel creations against few free seats must
// create exactly that many accounts, in one process and from two processes at once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SeatLimitReached } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, setLimit, userCount } from './account-fixtures.js';
import { startOnGo } from '../helpers/process-on-go.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seat-race-worker.ts');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface WorkerSummary {
  created: number;
  refused: number;
  errors: string[];
}

describeEachDatabase('seats: races', (h) => {
  it('40 parallel creations with 7 free seats create exactly 7; the rest are SeatLimitReached', async () => {
    await setLimit(h, 10);
    for (let i = 0; i < 3; i++) await addUser(h);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => h.services.users.create(h.system(), { email: `racer${i}@example.com` }, { source: 'scim', origin: 'directory' })),
    );
    const created = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const o of refused) expect(o.reason, String(o.reason)).to.be.instanceOf(SeatLimitReached);
    expect(created).to.have.length(7);
    expect(await userCount(h)).to.equal(10);
    expect((await h.services.seats.usage('user')).used).to.equal(10);
    for (const o of refused) expect((o.reason as Error).message).to.equal('Seat limit reached: 10 of 10 user seats in use');
    expect(await auditEvents(h, { action: 'seats.limit_reached' })).to.have.length(33);
  });

  it('parallel reactivations and creations share the free seats exactly', async () => {
    await setLimit(h, 5);
    const sleepers = [];
    for (let i = 0; i < 10; i++) sleepers.push(await addUser(h, {}, { status: 'inactive' }));
    const outcomes = await Promise.allSettled([
      ...sleepers.map((s) => h.services.users.reactivate(h.system(), s.id)),
      ...Array.from({ length: 10 }, (_, i) => h.services.users.create(h.system(), { email: `mix${i}@example.com` }, { source: 'admin', origin: 'page' })),
    ]);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const o of refused) expect(o.reason, String(o.reason)).to.be.instanceOf(SeatLimitReached);
    expect(outcomes.length - refused.length).to.equal(5);
    expect((await h.services.seats.usage('user')).used).to.equal(5);
  });

  it('two Gatehouse processes on one database with 7 free seats create exactly 7 between them', async function () {
    this.timeout(120_000);
    await setLimit(h, 10);
    for (let i = 0; i < 3; i++) await addUser(h);
    const url = h.config.database.url;
    const start = (prefix: string) => startOnGo<WorkerSummary>(WORKER, [url, '20', prefix], ROOT);
    const workers = await Promise.all([start(`a${process.pid}`), start(`b${process.pid}`)]);
    const summaries = await Promise.all(workers.map((w) => w.go()));
    for (const s of summaries) expect(s.errors, s.errors.join('\n')).to.deep.equal([]);
    expect(summaries.reduce((n, s) => n + s.created, 0)).to.equal(7);
    expect(summaries.reduce((n, s) => n + s.refused, 0)).to.equal(33);
    expect(await userCount(h)).to.equal(10);
    expect((await h.services.seats.usage('user')).used).to.equal(10);
  });
});
