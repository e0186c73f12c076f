// Every path that deactivates an account — the admin page, SCIM (PATCH and PUT), a CSV
// import — emits exactly one `user.deactivated`, and a SCIM PUT that also changes the
// profile adds exactly one `user.updated`. Events come from the one operation each change
// goes through, so no path can forget one or send two.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { asBuiltIn } from '../admin/admin-kit.js';
import { createToken, patchOp, scimClient, USER_URN } from '../scim/scim-fixtures.js';
import { suiteReceiver } from './webhook-receiver.js';
import { drain, registerWebhook } from './webhook-fixtures.js';
import { SeatLimitReached } from '../../src/errors.js';
import { rejection } from '../accounts/account-fixtures.js';

describeEachDatabase(
  'Webhook events from every path',
  (h) => {
    const receiver = suiteReceiver();

    const types = () => receiver.received.map((r) => `${r.json.type} ${r.json.data.account?.username} ${r.json.data.actor.kind}/${r.json.data.actor.source}`);

    it('the admin page', async () => {
      const admin = await asBuiltIn(h, 'admin');
      const ann = await h.services.users.create(h.system(), { username: 'ann', email: 'ann@corp.example' }, { source: 'admin', origin: 'page' });
      await registerWebhook(h, receiver, ['user.deactivated', 'user.updated']);
      const res = await admin.post(`/admin/users/${ann.id}/deactivate`, { reason: 'left' });
      expect(res.status).to.be.oneOf([302, 303]);
      await drain(h);
      expect(types()).to.deep.equal(['user.deactivated ann user/admin']);
      expect(receiver.received[0]!.json.data.account).to.include({ status: 'inactive' });
    });

    it('SCIM PATCH and PUT', async () => {
      const scim = scimClient(h, await createToken(h));
      await registerWebhook(h, receiver, ['user.created', 'user.deactivated', 'user.updated', 'user.reactivated']);
      const created = await scim.post('/Users', { schemas: [USER_URN], userName: 'ann', emails: [{ value: 'ann@corp.example', primary: true }], active: true });
      expect(created.status).to.equal(201);
      const id = JSON.parse(created.text).id as string;
      expect((await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }))).status).to.equal(200);
      expect((await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }))).status).to.equal(200);
      const put = await scim.put(`/Users/${id}`, { schemas: [USER_URN], userName: 'ann', title: 'Engineer', emails: [{ value: 'ann@corp.example', primary: true }], active: false });
      expect(put.status).to.equal(200);
      await drain(h);
      expect(types()).to.deep.equal([
        'user.created ann directory/scim',
        'user.deactivated ann directory/scim',
        'user.reactivated ann directory/scim',
        'user.deactivated ann directory/scim',
        'user.updated ann directory/scim',
      ]);
      expect(receiver.received.at(-1)!.json.data.account).to.include({ title: 'Engineer', status: 'inactive' });
    });

    it('a CSV import', async () => {
      const admin = h.withPermissions(['users.manage', 'users.view', 'directory.manage'], null);
      const csv = (...rows: string[]) => Buffer.from(['username,email,first name,last name,title,external id,kind,roles,status', ...rows].join('\r\n') + '\r\n');
      const run = async (text: Buffer) => {
        const staged = await h.services.directory.csvImport.stage(admin, 'people.csv', text);
        return (await h.services.directory.csvImport.start(admin, staged.id)).done;
      };
      await run(csv('ann,ann@corp.example,,,,,user,,', 'bob,bob@corp.example,,,,,user,,'));
      await registerWebhook(h, receiver, ['user.deactivated', 'user.created', 'user.updated']);
      const done = await run(csv('ann,ann@corp.example,,,,,user,,inactive', 'bob,bob@corp.example,,,,,user,,'));
      expect(done.deactivated).to.equal(1);
      await drain(h);
      expect(types()).to.deep.equal(['user.deactivated ann directory/csv']);
    });

    it('an accepted invitation, a role change and a refusal for a full pool', async () => {
      await registerWebhook(h, receiver, ['user.created', 'invitation.accepted', 'user.roles_changed', 'seats.limit_reached']);
      const member = (await h.services.roles.findByName('Member'))!;
      const [invited] = await h.services.invitations.invite(h.system(), [{ addresses: 'nia@corp.example', roleIds: [member.id], method: 'link' }]);
      const token = new URL(invited!.link!).searchParams.get('token')!;
      const anonymous = { actor: { userId: null, label: 'anonymous', permissions: new Set<string>() }, source: 'invitation' as const, ip: null };
      const { user } = await h.services.invitations.accept(anonymous, token, { password: 'correct horse battery staple 42' });
      const viewer = (await h.services.roles.findByName('Viewer'))!;
      await h.services.roles.setUserRoles(h.system(), user.id, [viewer.id], 'moved');
      await h.services.seats.setLimit(h.system(), 'user', 1);
      await rejection(h.services.users.create(h.system(), { username: 'extra', email: 'extra@corp.example' }, { source: 'admin', origin: 'page' }), SeatLimitReached);
      await drain(h);
      // Ordered per account (and per pool), not across them.
      const ofNia = receiver.received.filter((r) => r.json.data.account?.id === user.id);
      expect(ofNia.map((r) => r.json.type)).to.deep.equal(['user.created', 'invitation.accepted', 'user.roles_changed']);
      expect(ofNia[1]!.json.data).to.deep.include({ invitation: { id: invited!.invitationId, method: 'link' } });
      expect(ofNia[2]!.json.data.account.roles).to.deep.equal(['Viewer']);
      const refusals = receiver.received.filter((r) => r.json.type === 'seats.limit_reached');
      expect(refusals.map((r) => r.json.data)).to.deep.equal([{ actor: { kind: 'system', source: 'system' }, pool: 'user', used: 1, limit: 1 }]);
      expect(receiver.received).to.have.length(4);
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } },
);
