// The `address` and `phone` scopes' claims (OIDC Core §5.1.1, §5.4): the mapping from what an
// account stores, and with a real relying party, what the phone scope releases and what
// discovery advertises.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { addressClaim, phoneClaims } from '../../oidc/contact-claims.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { PASSWORD, registerClient, signIn, startAuth } from '../helpers/relying-party.js';
import { UserAgent } from '../helpers/user-agent.js';

describe('OIDC address and phone claims from stored values', () => {
  it('maps every part of a postal address to its §5.1.1 member, keeping line breaks', () => {
    const formatted = '100 Universal City Plaza\nHollywood, CA 91608 USA';
    expect(addressClaim({ formatted, streetAddress: '100 Universal City Plaza\r\nSuite 5', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US' })).to.deep.equal({
      formatted,
      street_address: '100 Universal City Plaza\r\nSuite 5',
      locality: 'Hollywood',
      region: 'CA',
      postal_code: '91608',
      country: 'US',
    });
  });

  it('leaves out parts the address lacks, and gives no claim for an empty or missing address', () => {
    expect(addressClaim({ locality: 'Lyon', country: 'FR', region: null, postalCode: '  ' })).to.deep.equal({ locality: 'Lyon', country: 'FR' });
    expect(addressClaim({ formatted: '', streetAddress: null })).to.equal(null);
    expect(addressClaim(null)).to.equal(null);
  });

  it('gives phone_number as stored with phone_number_verified false, and nothing without a number', () => {
    expect(phoneClaims('+33 4 72 00 00 00')).to.deep.equal({ phone_number: '+33 4 72 00 00 00', phone_number_verified: false });
    expect(phoneClaims('+14155550100', true)).to.deep.equal({ phone_number: '+14155550100', phone_number_verified: true });
    expect(phoneClaims(null)).to.deep.equal({});
    expect(phoneClaims(' ')).to.deep.equal({});
  });
});

describeEachDatabase('OIDC phone and address scopes with a relying party', (h) => {
  const seed = (username: string, phone: string | null) =>
    h.services.users.create(h.system(), { username, email: `${username}@example.com`, givenName: 'Alice', familyName: 'Doe', phone }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [] });

  async function signInWith(config: oidc.Configuration, login: string, scope: string) {
    const started = await startAuth(config, scope);
    const redirect = await signIn(new UserAgent(h.baseUrl), started.url, login);
    expect(redirect.location, redirect.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
    return oidc.authorizationCodeGrant(config, new URL(redirect.location!), { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
  }

  it('releases phone_number and phone_number_verified with the phone scope only, in the ID token and userinfo', async () => {
    const alice = await seed('alice', '+14155550100');
    const { config } = await registerClient(h, { firstParty: true });
    const tokens = await signInWith(config, 'alice', 'openid phone');
    expect(tokens.claims()).to.include({ sub: alice.id, phone_number: '+14155550100', phone_number_verified: false });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, alice.id)).to.include({ phone_number: '+14155550100', phone_number_verified: false });

    const without = await signInWith(config, 'alice', 'openid email');
    expect(without.claims()).to.not.have.property('phone_number');
    expect(without.claims()).to.not.have.property('phone_number_verified');
  });

  it('gives no phone claims to an account without a number', async () => {
    const bob = await seed('bob', null);
    const { config } = await registerClient(h, { firstParty: true });
    const tokens = await signInWith(config, 'bob', 'openid phone');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, bob.id);
    expect(info).to.not.have.property('phone_number');
    expect(info).to.not.have.property('phone_number_verified');
  });

  it('advertises the phone scope with both its claims, and the address scope with its claim', async () => {
    const { config } = await registerClient(h);
    const m = config.serverMetadata() as Record<string, unknown> & { scopes_supported: string[]; claims_supported: string[] };
    expect(m.scopes_supported).to.include.members(['phone', 'address']);
    expect(m.claims_supported).to.include.members(['phone_number', 'phone_number_verified', 'address']);
  });

  it('releases the primary stored address (not the first) with the address scope only', async () => {
    const home = { type: 'home', primary: false, locality: 'Lyon', country: 'FR' };
    const work = { type: 'work', primary: true, formatted: '1 Main St\nSpringfield', streetAddress: '1 Main St', locality: 'Springfield', postalCode: '12345', country: 'US' };
    const carol = await h.services.users.create(h.system(), { username: 'carol', email: 'carol@example.com' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [], values: { addresses: [home, work] } });
    const { config } = await registerClient(h, { firstParty: true });
    const tokens = await signInWith(config, 'carol', 'openid address');
    const expected = { formatted: '1 Main St\nSpringfield', street_address: '1 Main St', locality: 'Springfield', postal_code: '12345', country: 'US' };
    expect(tokens.claims()!.address).to.deep.equal(expected);
    expect((await oidc.fetchUserInfo(config, tokens.access_token, carol.id)).address).to.deep.equal(expected);
    const without = await signInWith(config, 'carol', 'openid phone');
    expect(without.claims()).to.not.have.property('address');
  });

  it('gives no address claim to an account without an address', async () => {
    const dan = await seed('dan', null);
    const { config } = await registerClient(h, { firstParty: true });
    const tokens = await signInWith(config, 'dan', 'openid address');
    expect(await oidc.fetchUserInfo(config, tokens.access_token, dan.id)).to.not.have.property('address');
  });
}, { serve: true });
