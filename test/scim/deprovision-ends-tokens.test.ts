// SCIM deprovisioning ends access at once: after a directory sets
// active=false, the user's OIDC refresh token fails and introspection says inactive.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase } from '../helpers/harness.js';
import { introspect, registerClient, seedUser, tokensFor } from '../helpers/relying-party.js';
import { createToken, json, patchOp, scimClient } from './scim-fixtures.js';

describeEachDatabase(
  'SCIM active=false ends OIDC access',
  (h) => {
    it('refuses the refresh token and marks the access token inactive', async () => {
      const user = await seedUser(h);
      const { config } = await registerClient(h);
      const { tokens } = await tokensFor(h, config);
      expect((await introspect(config, tokens.access_token)).active).to.equal(true);

      const scim = scimClient(h, await createToken(h, 'Entra ID'));
      const res = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
      expect(json(res).active).to.equal(false);

      const err = await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((err as { error?: string }).error).to.equal('invalid_grant');
      expect((await introspect(config, tokens.access_token)).active).to.equal(false);
    });
  },
  { serve: true },
);
