// An access end date ends OIDC access like any deactivation: once the
// scheduler passes the date, the user's refresh token fails and introspection says inactive.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase } from '../helpers/harness.js';
import { introspect, registerClient, seedUser, tokensFor } from '../helpers/relying-party.js';
import { scheduler } from '../accounts/access-end-fixtures.js';

describeEachDatabase(
  'access end date ends OIDC access',
  (h) => {
    it('refuses the refresh token and marks the access token inactive after the end date', async () => {
      const user = await seedUser(h);
      await h.services.accessEnds.set(h.system(), user.id, new Date(h.clock.now().getTime() + 3_600_000));
      const { config } = await registerClient(h);
      const { tokens } = await tokensFor(h, config);
      // Before the date the refresh token works (and rotates).
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.access_token).to.be.a('string');

      h.clock.advance(3_600_000);
      expect((await scheduler(h).tick()).ended).to.equal(1);

      const err = await oidc.refreshTokenGrant(config, refreshed.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((err as { error?: string }).error).to.equal('invalid_grant');
      expect((await introspect(config, refreshed.access_token)).active).to.equal(false);
    });
  },
  { serve: true },
);
