import { describeEachDatabase } from '../helpers/harness.js';
import { addAdmin } from '../invitations/invite-kit.js';
describeEachDatabase('prof', (h) => {
  it('times', async function () {
    this.timeout(300000);
    const admin = await addAdmin(h);
    const lines = ['email,role,first name,last name,kind'];
    for (let i = 0; i < 10_000; i++) lines.push(`person${i}@bulk.example,Member,Person,Number ${i},user`);
    let t = Date.now();
    const review = await h.services.invitations.bulk.review(admin.ctx, Buffer.from(lines.join('\n')));
    console.log('review', Date.now() - t); t = Date.now();
    await h.services.invitations.bulk.send(admin.ctx, review.batchId);
    console.log('send', Date.now() - t); t = Date.now();
    const { systemContext } = await import('../../src/context.js');
    await h.db.transactions.run(systemContext(), async (tx) => { for (let i = 0; i < 2000; i++) await h.services.audit.record(tx, 'settings.changed', {a: 1}); });
    console.log('2000 audits', Date.now() - t); t = Date.now();
    await h.db.transactions.run(systemContext(), async (tx) => { for (let i = 0; i < 2000; i++) await h.services.outbox.enqueue(tx, 'x@y.z', {template: 't', subject: 's', html: 'h'.repeat(2000), text: 't'.repeat(1000)}); });
    console.log('2000 enqueues', Date.now() - t); t = Date.now();
  });
});
