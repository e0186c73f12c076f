// The account page lists the person's sign-ins at the OpenID provider with the applications
// each was used with; signing out of one ends it there: its refresh token fails and the next
// authorization request asks the browser to sign in again.
import { expect } from 'chai';
import request from 'supertest';
import * as oidc from 'openid-client';
import { describeEachDatabase } from '../helpers/harness.js';
import { registerClient, seedUser, startAuth, tokensFor } from '../helpers/relying-party.js';
import { clientFor } from '../admin/admin-kit.js';
import { textOf } from '../invitations/invite-kit.js';

describeEachDatabase(
  'provider sessions on the account page',
  (h) => {
    it('lists the sign-in with the application and ends it, tokens and all', async () => {
      const user = await seedUser(h);
      const { config } = await registerClient(h);
      const { tokens, ua } = await tokensFor(h, config);
      const browser = clientFor(h, user, await h.services.webSessions.create(user.id, null));
      const page = await browser.get('/account');
      expect(textOf(page.text)).to.match(/Signed in to applications[\s\S]*Timesheets\s+password/);
      const [ref] = [...page.text.matchAll(/action="\/account\/provider-sessions\/end">[\s\S]*?name="ref" value="([0-9a-f]{16})"/g)].map((m) => m[1]);
      expect(ref).to.be.a('string');

      const other = await seedUser(h, 'bob');
      const stranger = clientFor(h, other, await h.services.webSessions.create(other.id, null));
      expect((await stranger.post('/account/provider-sessions/end', { ref: ref! })).headers.location).to.equal('/account?done=nothing');
      expect((await stranger.post('/account/provider-sessions/end', { ref: 'not-a-ref' })).headers.location).to.equal('/account?done=nothing');

      const res = await browser.post('/account/provider-sessions/end', { ref: ref! });
      expect(res.headers.location).to.equal('/account?done=provider-session');
      const [event] = await h.services.models.sql.select<{ action: string }>("SELECT action FROM audit_events WHERE action = 'provider_session.ended'", []);
      expect(event).to.not.equal(undefined);
      expect(textOf((await browser.get('/account')).text)).to.match(/Signed in to applications\s+None now\./);

      const err = await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((err as { error?: string }).error).to.equal('invalid_grant');
      const again = await ua.get((await startAuth(config)).url.toString());
      expect(again.body).to.include('name="password"');
    });

    it('marks the sign-in of this browser by the provider\'s session cookie', async () => {
      const user = await seedUser(h);
      const { config } = await registerClient(h);
      const { ua } = await tokensFor(h, config);
      const session = await h.services.webSessions.create(user.id, null);
      const elsewhere = await request(h.app).get('/account').set('Cookie', `gh_session=${session}`).set('Accept', 'text/html');
      expect(textOf(elsewhere.text)).to.match(/Timesheets/).and.not.match(/This browser\s+Timesheets/);
      const here = await request(h.app).get('/account').set('Cookie', `gh_session=${session}; _session=${ua.cookie('_session')}`).set('Accept', 'text/html');
      expect(textOf(here.text)).to.match(/This browser\s+Timesheets/);
    });
  },
  { serve: true },
);
