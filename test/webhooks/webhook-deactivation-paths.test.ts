// The other ways an account becomes deactivated each deliver exactly one `user.deactivated`
// (the pages, SCIM and CSV are in webhook-paths.test.ts): an LDAP sync that no longer finds
// the entry, an access end date that came (the scheduler), and a machine application's
// back end through the management API. Each actor kind is named as a receiver sees it.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addUser } from '../accounts/account-fixtures.js';
import { DAY_MS_FOR_TESTS, scheduler } from '../accounts/access-end-fixtures.js';
import { apiClient, registerMachine, tokenFor } from '../api/api-kit.js';
import { byUsername, configure, nextOu, sync, withLdapServer } from '../directory/directory-fixtures.js';
import { ACCESS_ENDED_REASON } from '../../src/users/access-ends.js';
import { suiteReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { drain, registerWebhook } from './webhook-fixtures.js';

const EVERY_ACCOUNT_EVENT = ['user.created', 'user.updated', 'user.roles_changed', 'user.deactivated', 'user.reactivated'] as const;

/** What the receiver got about one account, in order: "type actor-kind/actor-source". */
function eventsOf(receiver: WebhookReceiver, userId: string): string[] {
  return receiver
    .distinct()
    .filter((r) => r.json.data.account?.id === userId)
    .map((r) => `${r.json.type} ${r.json.data.actor.kind}/${r.json.data.actor.source}`);
}

/** Subscribes to every account event once the account exists, so only what follows is delivered. */
async function subscribeAfterSetup(h: Harness, receiver: WebhookReceiver): Promise<void> {
  await drain(h);
  await registerWebhook(h, receiver, [...EVERY_ACCOUNT_EVENT]);
}

const env = { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' };

describeEachDatabase(
  'Webhook user.deactivated from an access end date and the management API',
  (h) => {
    const receiver = suiteReceiver();

    it('an access end date that came: one user.deactivated from the scheduler', async () => {
      const ann = await addUser(h, { username: 'ann' });
      await h.services.accessEnds.set(h.system(), ann.id, new Date(h.clock.now().getTime() + DAY_MS_FOR_TESTS));
      await subscribeAfterSetup(h, receiver);
      h.clock.advance(DAY_MS_FOR_TESTS);
      // Two schedulers racing (two processes): the account's access ends once.
      const ticks = await Promise.all([scheduler(h).tick(), scheduler(h).tick()]);
      expect(ticks.reduce((n, t) => n + t.ended, 0)).to.equal(1);
      await scheduler(h).tick();
      await drain(h);
      expect(eventsOf(receiver, ann.id)).to.deep.equal(['user.deactivated system/system']);
      const [got] = receiver.received;
      expect(got!.json.data.account).to.include({ status: 'inactive', username: 'ann' });
      expect(got!.json.data.account.deactivatedAt).to.equal(h.clock.now().toISOString());
      expect((await h.services.users.get(ann.id)).deactivationReason).to.equal(ACCESS_ENDED_REASON);
    });

    it('the management API: one user.deactivated naming the application as the actor', async () => {
      const owner = await addOwner(h);
      const machine = await registerMachine(h, await h.as(owner), { name: 'Helpdesk portal' });
      const api = apiClient(h, await tokenFor(h, machine));
      const ann = await addUser(h, { username: 'ann' });
      await subscribeAfterSetup(h, receiver);
      const off = await api.post(`/api/v1/people/${ann.id}/deactivate`, { reason: 'left the company' });
      expect(off.status, off.text).to.equal(200);
      // Asking again changes nothing and sends nothing.
      expect((await api.post(`/api/v1/people/${ann.id}/deactivate`, {})).status).to.be.within(400, 499);
      await drain(h);
      expect(eventsOf(receiver, ann.id)).to.deep.equal(['user.deactivated application/api']);
      expect(receiver.received).to.have.length(1);
      expect(receiver.received[0]!.json.data.account).to.include({ id: ann.id, status: 'inactive' });
    });
  },
  { env },
);

withLdapServer({}, (ldap) => {
  describeEachDatabase(
    'Webhook user.deactivated from an LDAP sync',
    (h) => {
      const receiver = suiteReceiver();

      it('an entry gone from the directory: one user.deactivated, and none again on the next sync', async () => {
        const ou = await ldap.server.addOu(nextOu('wh'));
        const bobDn = await ldap.server.addPerson(ou, { uid: 'bob', givenName: 'Bob', sn: 'Doe', mail: 'bob@corp.example' });
        await ldap.server.addPerson(ou, { uid: 'carol', givenName: 'Carol', sn: 'Doe', mail: 'carol@corp.example' });
        await configure(h, ldap.server, { baseDn: ou, deactivateMissing: true });
        expect((await sync(h)).created).to.equal(2);
        const bob = await byUsername(h, 'bob');
        const carol = await byUsername(h, 'carol');
        await subscribeAfterSetup(h, receiver);

        await ldap.server.remove(bobDn);
        expect((await sync(h)).deactivated).to.equal(1);
        expect((await sync(h)).deactivated).to.equal(0);
        await drain(h);
        expect(eventsOf(receiver, bob.id)).to.deep.equal(['user.deactivated directory/ldap']);
        expect(eventsOf(receiver, carol.id)).to.deep.equal([]);
        expect(receiver.received).to.have.length(1);
        const account = receiver.received[0]!.json.data.account;
        expect(account).to.include({ username: 'bob', status: 'inactive', source: 'ldap' });
        expect(account.externalIds.map((x: { connection: string }) => x.connection)).to.deep.equal(['LDAP directory']);
      });
    },
    { env },
  );
});
