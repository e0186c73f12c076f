// A relying party for tests: registers a client, runs the authorization code + PKCE flow
// through the real sign-in pages with a cookie-jar user agent, and exchanges the code with
// openid-client.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import type { Harness } from './harness.js';
import { UserAgent, type Page } from './user-agent.js';

export const PASSWORD = 'a long enough passphrase';
export const CALLBACK = 'http://127.0.0.1:9/cb';

export async function seedUser(h: Harness, username = 'alice', roleNames = ['Member']) {
  const roleIds = [];
  for (const name of roleNames) roleIds.push((await h.services.roles.findByName(name))!.id);
  return h.services.users.create(h.system(), { username, email: `${username}@example.com`, givenName: 'Alice', familyName: 'Doe' }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds });
}

export async function registerClient(h: Harness, options: { firstParty?: boolean; type?: 'web' | 'public' | 'machine' } = {}) {
  const { client, clientSecret } = await h.services.clients.add(h.system(), {
    name: 'Timesheets',
    type: options.type ?? 'web',
    redirectUris: options.type === 'machine' ? [] : [CALLBACK],
    postLogoutRedirectUris: options.type === 'machine' ? [] : ['http://127.0.0.1:9/bye'],
    firstParty: options.firstParty ?? false,
  });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  return { client, clientSecret, config };
}

export interface Started {
  verifier: string;
  state: string;
  nonce: string;
  url: URL;
}

export async function startAuth(config: oidc.Configuration, scope = 'openid email profile roles offline_access', extra: Record<string, string> = {}): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    prompt: 'consent',
    ...extra,
  });
  return { verifier, state, nonce, url };
}

/** Signs in through the pages and returns the final redirect to the client. */
export async function signIn(ua: UserAgent, url: URL, login = 'alice', password = PASSWORD): Promise<Page> {
  let page = await ua.get(url.toString());
  expect(page.body).to.include('Sign in');
  page = await ua.submit(page, '/login', { login, password });
  if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
  return page;
}

export async function tokensFor(h: Harness, config: oidc.Configuration, login = 'alice') {
  const started = await startAuth(config);
  const ua = new UserAgent(h.baseUrl);
  const redirect = await signIn(ua, started.url, login);
  expect(redirect.location, redirect.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(redirect.location!), {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
  });
  return { tokens, ua, redirect };
}

export async function introspect(config: oidc.Configuration, token: string) {
  return oidc.tokenIntrospection(config, token);
}

