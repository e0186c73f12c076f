// Sign-in against hostile input: a login of any length is answered like a wrong password
// and counted (the throttle's key columns are bounded), and behind one reverse proxy
// (TRUST_PROXY=1) the per-address limit holds however many addresses a client writes into
// X-Forwarded-For: the client address is the rightmost one the proxy wrote.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { PASSWORD, registerClient, seedUser, startAuth } from '../helpers/relying-party.js';
import { UserAgent, type Page, type Transport } from '../helpers/user-agent.js';
import { THROTTLE } from '../../src/signin/sign-in-throttle.js';

const WRONG = 'The username or password is not right.';

/** A browser whose requests pass through one reverse proxy: it appends the address it saw. */
function behindProxy(h: Harness, clientAddress: () => string, written: () => string | null): UserAgent {
  const transport: Transport = async ({ method, url, headers, body }) => {
    const claimed = written();
    const forwarded = claimed ? `${claimed}, ${clientAddress()}` : clientAddress();
    const res = await fetch(url, { method, redirect: 'manual', headers: { ...headers, 'x-forwarded-for': forwarded }, body });
    return { status: res.status, location: res.headers.get('location'), setCookies: res.headers.getSetCookie(), body: await res.text() };
  };
  return new UserAgent(h.baseUrl, { transport });
}

async function failures(h: Harness): Promise<Array<{ account_key: string; ip: string | null }>> {
  return h.services.models.sql.select('SELECT account_key, ip FROM sign_in_failures ORDER BY id', []);
}

describeEachDatabase(
  'sign-in: hostile input',
  (h) => {
    async function loginPage(ua: UserAgent): Promise<Page> {
      const { config } = await registerClient(h);
      const page = await ua.get((await startAuth(config)).url.toString());
      expect(page.body).to.include('Sign in');
      return page;
    }

    it('answers a 1,000-character login like a wrong password and counts the failure', async () => {
      await seedUser(h);
      const ua = new UserAgent(h.baseUrl);
      const page = await loginPage(ua);
      const wrong = await ua.submit(page, '/login', { login: 'alice', password: 'not the password' });
      const long = await ua.submit(wrong, '/login', { login: 'x'.repeat(1000), password: 'not the password' });
      const longer = await ua.submit(long, '/login', { login: 'Ü'.repeat(400) + '@example.com', password: 'not the password' });
      for (const p of [long, longer]) {
        expect(p.status).to.equal(wrong.status);
        expect(p.body).to.include(WRONG);
      }
      const rows = await failures(h);
      expect(rows).to.have.length(3);
      expect(rows[1]!.account_key).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(rows[2]!.account_key).to.match(/^sha256:[0-9a-f]{64}$/).and.not.equal(rows[1]!.account_key);
      // The same long login is the same key: its failures add up like any other login's.
      await ua.submit(longer, '/login', { login: 'x'.repeat(1000), password: 'again wrong' });
      expect((await failures(h)).filter((r) => r.account_key === rows[1]!.account_key)).to.have.length(2);
    });

    it('keeps the per-address limit when a client writes made-up X-Forwarded-For addresses', async () => {
      await seedUser(h);
      let n = 0;
      let realAddress = '203.0.113.7';
      const ua = behindProxy(h, () => realAddress, () => `198.18.${Math.floor(n / 250)}.${n % 250}, 10.0.${n}.1`);
      let page = await loginPage(ua);
      for (; n < THROTTLE.ipLimit + 10; n++) {
        page = await ua.submit(page, '/login', { login: `nobody-${n}`, password: 'not the password' });
        expect(page.body).to.include(WRONG);
      }
      const rows = await failures(h);
      // Only the first 100 were counted: then the address itself was held back.
      expect(rows).to.have.length(THROTTLE.ipLimit);
      expect(new Set(rows.map((r) => r.ip))).to.deep.equal(new Set(['203.0.113.7']));
      const limited = (await h.services.audit.recent(500)).filter((e) => e.action === 'signin.failed' && (e.details as { reason?: string }).reason === 'ip_limit');
      expect(limited).to.have.length(10);
      // The right password from the held-back address is refused alike, whatever it claims…
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      expect(page.body).to.include(WRONG);
      // …and accepted from another client behind the same proxy.
      realAddress = '198.51.100.9';
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      expect(page.body).to.not.include(WRONG);
    });
  },
  { serve: true, env: { TRUST_PROXY: '1' } },
);
