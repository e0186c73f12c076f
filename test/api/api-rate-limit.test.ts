// Per-application rate limits of the management API: every answer carries the IETF
// RateLimit and RateLimit-Policy headers; past the configured limit the application gets
// 429 problem+json with Retry-After, while another application is unaffected.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor } from './api-kit.js';

describeEachDatabase(
  'management API: rate limits',
  (h) => {
    it('counts each application against API_RATE_LIMIT per minute and refuses past it with 429', async () => {
      const ctx = await h.as(await addOwner(h));
      const portal = apiClient(h, await tokenFor(h, await registerMachine(h, ctx, { name: 'Portal' })));
      const other = apiClient(h, await tokenFor(h, await registerMachine(h, ctx, { name: 'Reports' })));
      const left: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await portal.get('/api/v1/seats');
        expect(res.status).to.equal(200);
        expect(res.get('ratelimit-policy')).to.equal('"per-application";q=3;w=60');
        left.push(res.get('ratelimit')!.split(';')[1]!);
      }
      expect(left).to.deep.equal(['r=2', 'r=1', 'r=0']);
      const refused = await portal.get('/api/v1/seats');
      expect(refused.status).to.equal(429);
      expect(refused.get('content-type')).to.include('application/problem+json');
      expect(refused.body.type).to.equal('/api/docs#problem-rate_limited');
      expect(Number(refused.get('retry-after'))).to.be.within(1, 60);
      expect(refused.get('ratelimit')).to.match(/^"per-application";r=0;t=\d+$/);
      expect((await other.get('/api/v1/seats')).status).to.equal(200);

      h.clock.advance(61_000);
      expect((await portal.get('/api/v1/seats')).status).to.equal(200);
    });
  },
  { env: { API_RATE_LIMIT: '3' } },
);
