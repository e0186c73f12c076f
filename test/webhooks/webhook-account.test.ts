// The account a delivery carries is the same whether it came from the change itself (the
// users service hands its view over) or was read back in the transaction: a receiver cannot
// tell the two paths apart.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { createToken, scimClient, USER_URN } from '../scim/scim-fixtures.js';
import { readAccountSnapshot } from '../../src/webhooks/account-snapshot.js';
import { suiteReceiver } from './webhook-receiver.js';
import { drain, registerWebhook } from './webhook-fixtures.js';

describeEachDatabase(
  'Webhook account body',
  (h) => {
    const receiver = suiteReceiver();

    it('carries what a read of the account gives, roles and externalId included', async () => {
      await registerWebhook(h, receiver, ['user.created', 'user.deactivated', 'user.roles_changed']);
      const scim = scimClient(h, await createToken(h));
      const created = await scim.post('/Users', { schemas: [USER_URN], userName: 'ann', externalId: 'crm-42', title: 'Engineer', name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: 'ann@corp.example', primary: true }], active: true });
      expect(created.status, created.text).to.equal(201);
      const id = JSON.parse(created.text).id as string;
      await drain(h);
      expect(receiver.received[0]!.json.data.account).to.deep.equal(await readAccountSnapshot(h.services.models, h.system(), id));
      const viewer = (await h.services.roles.findByName('Viewer'))!;
      await h.services.roles.setUserRoles(h.system(), id, [viewer.id]);
      h.clock.advance(1_000);
      await h.services.users.deactivate(h.system(), id, 'left');
      await drain(h);
      const [, rolesChanged, deactivated] = receiver.received;
      expect(rolesChanged!.json.data.account.roles).to.deep.equal(['Viewer']);
      expect(deactivated!.json.data.account).to.deep.equal(await readAccountSnapshot(h.services.models, h.system(), id));
      expect(deactivated!.json.data.account).to.include({ status: 'inactive', title: 'Engineer', givenName: 'Ann' });
      expect(deactivated!.json.data.account.externalIds).to.have.length(1);
      expect(deactivated!.json.data.account.externalIds[0]).to.include({ value: 'crm-42' });
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } },
);
