// Last activity is the last completed sign-in, on every path that signs someone in: the
// password form, and the sign-in that follows accepting an invitation (no password asked
// again). Upstream and directory-password sign-ins are checked in their own suites.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { addUser } from './account-fixtures.js';
import { addAdmin, GOOD_PASSWORD, lastMailTo, roleId } from '../invitations/invite-kit.js';

describeEachDatabase(
  'last activity',
  (h) => {
    const lastSignIn = async (login: string) => (await h.services.users.findByLogin(login))!.lastSignInAt;

    it('is set by a password sign-in to the account page', async () => {
      await addUser(h, { email: 'pat@example.com', username: 'pat' }, { password: GOOD_PASSWORD });
      expect(await lastSignIn('pat')).to.equal(null);
      const ua = new UserAgent(h.baseUrl);
      const login = await ua.get('/account');
      const done = await ua.submit(login, '/login', { login: 'pat', password: GOOD_PASSWORD });
      expect(new URL(done.url).pathname, done.body.slice(0, 400)).to.equal('/account');
      expect((await lastSignIn('pat'))?.toISOString()).to.equal(h.clock.now().toISOString());
    });

    it('is set by the sign-in that follows accepting an invitation', async () => {
      const inviter = await addAdmin(h);
      const [o] = await h.services.invitations.invite(inviter.ctx, [{ addresses: 'nia@example.com', roleIds: [await roleId(h, 'member')] }]);
      expect(o!.status).to.equal('sent');
      const link = /https?:\/\/\S+\/invitations\/accept\?token=\S+/.exec((await lastMailTo(h, 'nia@example.com')).text)![0];
      const ua = new UserAgent(h.baseUrl);
      const page = await ua.get(new URL(link).pathname + new URL(link).search);
      h.clock.advanceHours(1);
      const landed = await ua.submit(page, '/invitations/accept', { password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });
      expect(new URL(landed.url).pathname, landed.body.slice(0, 400)).to.equal('/account');
      expect((await lastSignIn('nia@example.com'))?.toISOString()).to.equal(h.clock.now().toISOString());
    });
  },
  { serve: true },
);
