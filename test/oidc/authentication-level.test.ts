// The amr/acr rule shared by every sign-in path, and how an authorization request's
// acr_values and essential acr claim are read (pure functions, no database).
import { expect } from 'chai';
import { ACR_MULTI_FACTOR as MFA, ACR_PHISHING_RESISTANT as PHR, ACR_SINGLE_FACTOR as PWD, authenticationLevel, requestedAcr, satisfies, wantsPasskey, wantsSecondFactor } from '../../oidc/interactions/authentication-level.js';

describe('authentication level (amr, acr)', () => {
  it('names the factors in RFC 8176 words and says whether a second one was used', () => {
    expect(authenticationLevel({ first: 'pwd' })).to.deep.equal({ amr: ['pwd'], acr: PWD });
    expect(authenticationLevel({ first: 'pwd', second: 'totp' })).to.deep.equal({ amr: ['pwd', 'otp', 'mfa'], acr: MFA });
    expect(authenticationLevel({ first: 'pwd', second: 'recovery' })).to.deep.equal({ amr: ['pwd', 'otp', 'mfa'], acr: MFA });
    expect(authenticationLevel({ first: 'fed' })).to.deep.equal({ amr: ['fed'], acr: PWD });
    expect(authenticationLevel({ first: 'fed', second: 'totp' })).to.deep.equal({ amr: ['fed', 'otp', 'mfa'], acr: MFA });
  });

  it('names a passkey hwk and user (verification required) and calls any sign-in with one phishing-resistant', () => {
    expect(authenticationLevel({ first: 'hwk' })).to.deep.equal({ amr: ['hwk', 'user', 'mfa'], acr: PHR });
    expect(authenticationLevel({ first: 'pwd', second: 'passkey' })).to.deep.equal({ amr: ['pwd', 'hwk', 'user', 'mfa'], acr: PHR });
    expect(authenticationLevel({ first: 'fed', second: 'passkey' })).to.deep.equal({ amr: ['fed', 'hwk', 'user', 'mfa'], acr: PHR });
    expect(wantsPasskey({ values: [PHR, MFA], essential: false })).to.equal(true);
    expect(wantsPasskey({ values: [MFA, PHR], essential: false })).to.equal(false);
    expect(wantsPasskey({ values: [PHR], essential: true })).to.equal(true);
    expect(satisfies({ values: [PHR], essential: true }, MFA)).to.equal(false);
  });

  it('reads acr_values as voluntary and an essential acr claim as binding', () => {
    expect(requestedAcr({})).to.deep.equal({ values: [], essential: false });
    expect(requestedAcr({ acr_values: `${MFA} ${PWD}` })).to.deep.equal({ values: [MFA, PWD], essential: false });
    const essential = JSON.stringify({ id_token: { acr: { essential: true, values: [MFA] } } });
    expect(requestedAcr({ claims: essential })).to.deep.equal({ values: [MFA], essential: true });
    // acr_values take the place of the acr claim, as oidc-provider assigns them (its essential_acr checks agree).
    expect(requestedAcr({ acr_values: PWD, claims: essential })).to.deep.equal({ values: [PWD], essential: false });
    expect(requestedAcr({ claims: JSON.stringify({ id_token: { acr: { essential: true, value: PWD } } }) })).to.deep.equal({ values: [PWD], essential: true });
    // A voluntary acr claim or an unreadable claims parameter leaves acr_values in charge.
    expect(requestedAcr({ acr_values: MFA, claims: JSON.stringify({ id_token: { acr: { values: [PWD] } } }) })).to.deep.equal({ values: [MFA], essential: false });
    expect(requestedAcr({ acr_values: MFA, claims: '{not json' })).to.deep.equal({ values: [MFA], essential: false });
  });

  it('wants a second factor only when it comes first or is the only essential choice, and holds only essential requests to it', () => {
    expect(wantsSecondFactor({ values: [MFA, PWD], essential: false })).to.equal(true);
    expect(wantsSecondFactor({ values: [PWD, MFA], essential: false })).to.equal(false);
    expect(wantsSecondFactor({ values: ['urn:other', MFA], essential: true })).to.equal(true);
    expect(wantsSecondFactor({ values: ['urn:other', MFA, PWD], essential: true })).to.equal(false);
    expect(satisfies({ values: [MFA], essential: false }, PWD)).to.equal(true);
    expect(satisfies({ values: [MFA], essential: true }, PWD)).to.equal(false);
    expect(satisfies({ values: [MFA, PWD], essential: true }, PWD)).to.equal(true);
  });
});
