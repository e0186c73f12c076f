// The pool row's `in_use` is an upper bound of usage that lets `take` skip the exact count
// far from the limit (src/seats/seat-service.ts). These tests hold it to its promise: it is
// never below real usage while known, decisions stay exactly those of counting, and every
// transition (unlimited → limited, deletions, address changes) keeps it safe.
import { expect } from 'chai';
import { SeatLimitReached } from '../../src/errors.js';
import { newId } from '../../src/ids.js';
import type { Kind } from '../../src/users/user-model.js';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addUser, rejection, setLimit, used } from './account-fixtures.js';

async function bound(h: Harness, pool: Kind = 'user'): Promise<number> {
  return (await h.services.models.SeatPool.findByPk(pool))!.inUse;
}

/** Known bounds are never below real usage; -1 means unknown (the next take counts). */
async function expectSafe(h: Harness): Promise<void> {
  for (const pool of ['user', 'requester'] as const) {
    const b = await bound(h, pool);
    if (b !== -1) expect(b, `${pool} bound`).to.be.at.least(await used(h, pool));
  }
}

describeEachDatabase('seats: the usage bound', (h) => {
  it('setLimit starts the bound at the exact usage; unlimited leaves it unknown', async () => {
    await addUser(h);
    await addUser(h, {}, { status: 'unconfirmed' });
    await addUser(h, {}, { status: 'inactive' });
    expect(await bound(h)).to.equal(-1); // creations while unlimited
    await setLimit(h, 50);
    expect(await bound(h)).to.equal(2);
    await setLimit(h, null);
    expect(await bound(h)).to.equal(-1);
  });

  it('creations below 90% only raise the bound; from 90% on each take counts exactly, up to the limit', async () => {
    await setLimit(h, 20);
    for (let i = 0; i < 20; i++) await addUser(h);
    expect(await bound(h)).to.equal(20);
    const err = await rejection(addUser(h), SeatLimitReached);
    expect(err.message).to.equal('Seat limit reached: 20 of 20 user seats in use');
    expect(await used(h)).to.equal(20);
  });

  it('freed seats leave the bound high, yet are given out again (the exact count finds them)', async () => {
    await setLimit(h, 10);
    const people = [];
    for (let i = 0; i < 10; i++) people.push(await addUser(h));
    for (const p of people.slice(0, 3)) await h.services.users.deactivate(h.system(), p.id);
    for (const p of people.slice(3, 5)) await h.services.users.delete(h.system(), p.id);
    expect(await bound(h)).to.equal(10);
    expect(await used(h)).to.equal(5);
    for (let i = 0; i < 5; i++) await addUser(h);
    await rejection(addUser(h), SeatLimitReached);
    await expectSafe(h);
  });

  it('creations while unlimited are counted when a limit is set', async () => {
    for (let i = 0; i < 5; i++) await addUser(h);
    await setLimit(h, 6);
    await addUser(h);
    expect((await rejection(addUser(h), SeatLimitReached)).message).to.equal('Seat limit reached: 6 of 6 user seats in use');
  });

  it('a limit set while an unlimited creation is still open counts that creation (it holds a shared lock)', async () => {
    await addUser(h); // the bound is now unknown, so the open creation below writes nothing to the pool row
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const inserted = new Promise<void>((resolve) => (written = resolve));
    const creation = h.db.transactions.run(h.system(), async (tx) => {
      await h.services.users.create(tx, { email: 'in-flight@example.com' }, { source: 'admin', origin: 'page' });
      written();
      await gate;
    });
    await inserted;
    const limiting = setLimit(h, 5);
    // Give setLimit the chance to finish early (it must not: it waits for the creation).
    await Promise.race([limiting, new Promise((resolve) => setTimeout(resolve, 300))]);
    release();
    await Promise.all([creation, limiting]);
    expect(await bound(h)).to.equal(2);
    await expectSafe(h);
  });

  it('stays safe through reactivations, kind changes and confirmations', async () => {
    await setLimit(h, 100);
    await setLimit(h, 100, 'requester');
    const a = await addUser(h);
    const b = await addUser(h, {}, { status: 'inactive' });
    const c = await addUser(h, {}, { status: 'unconfirmed' });
    await h.services.users.reactivate(h.system(), b.id);
    await h.services.users.update(h.system(), a.id, { kind: 'requester' }, { origin: 'page' });
    await h.services.users.confirm(h.system(), c.id, { emailVerified: true });
    await expectSafe(h);
    expect(await bound(h, 'requester')).to.equal(1);
  });

  it('deleting an account, or changing its email, re-exposes a live invitation to its address: that pool\'s bound rises', async () => {
    await setLimit(h, 100);
    await setLimit(h, 100, 'requester');
    const u = await addUser(h, { email: 'shared@example.com' });
    const v = await addUser(h, { email: 'moving@example.com' });
    // Written as the invitation service does: a seat taken, then the row (it counts zero while the account exists).
    for (const email of ['shared@example.com', 'moving@example.com']) {
      await h.db.transactions.run(h.system(), async (tx) => {
        await h.services.seats.take(tx, 'requester');
        const now = h.clock.now();
        await h.services.models.Invitation.create(
          { id: newId(), email, emailNormalized: email, kind: 'requester', status: 'pending', method: 'email', expiresAt: new Date(now.getTime() + 86_400_000), createdAt: now, updatedAt: now },
          { transaction: tx.transaction },
        );
      });
    }
    // The invitations' seats are reserved in the bound although usage does not count them yet.
    expect(await used(h, 'requester')).to.equal(0);
    await setLimit(h, 100, 'requester'); // recount: the bound drops to the exact 0
    expect(await bound(h, 'requester')).to.equal(0);
    await h.services.users.delete(h.system(), u.id);
    await h.services.users.update(h.system(), v.id, { email: 'moved@example.com' }, { origin: 'page' });
    expect(await used(h, 'requester')).to.equal(2);
    expect(await bound(h, 'requester')).to.equal(2);
    await expectSafe(h);
  });

  it('a race across the 90% line still creates exactly up to the limit', async () => {
    await setLimit(h, 30);
    for (let i = 0; i < 20; i++) await addUser(h);
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => addUser(h, { email: `line${i}@example.com` })));
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason, String(o.reason)).to.be.instanceOf(SeatLimitReached);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(10);
    expect(await used(h)).to.equal(30);
    await expectSafe(h);
  });
});
