// A second oidc-provider started in the test as the "company IdP", and a relying party that
// signs in to Gatehouse through it with the real pages (openid-client on both sides).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { Provider } from 'oidc-provider';
import type { Harness } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';

export const CALLBACK = 'http://127.0.0.1:9/cb';
export const UPSTREAM_CLIENT = { clientId: 'gatehouse', clientSecret: 'upstream-client-secret' };

export interface UpstreamIdp {
  url: string;
  accounts: Map<string, { email: string; email_verified: boolean; name: string }>;
  close(): Promise<void>;
}

export async function startUpstream(gatehouseUrl: string): Promise<UpstreamIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, { email: string; email_verified: boolean; name: string }>();
  const provider = new Provider(url, {
    clients: [{ client_id: UPSTREAM_CLIENT.clientId, client_secret: UPSTREAM_CLIENT.clientSecret, redirect_uris: [`${gatehouseUrl}/upstream/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...accounts.get(sub) }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['upstream-test-cookie-key-0123456789abcdef'] },
  });
  server.on('request', provider.callback());
  return { url, accounts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface UpstreamSignIn {
  /** Where Gatehouse stands after the upstream provider sent the browser back. */
  page: Page;
  ua: UserAgent;
  /** Exchanges the code of the final redirect to the application for tokens. */
  tokens(redirect: Page): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>;
}

/** An application's sign-in that picks the upstream provider and signs in there as `subject`. */
export async function startUpstreamSignIn(h: Harness, idp: UpstreamIdp, providerId: string, subject: string): Promise<UpstreamSignIn> {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'App', type: 'web', redirectUris: [CALLBACK], firstParty: true });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'st' });
  const ua = new UserAgent(h.baseUrl, { alsoFollow: [idp.url] });
  const login = await ua.get(url.toString());
  const link = new RegExp(`href="(/interaction/[^"]+/upstream/${providerId})"`).exec(login.body);
  expect(link, 'the sign-in page offers the upstream provider').to.not.equal(null);
  let page = await ua.get(link![1]!);
  expect(page.url.startsWith(idp.url)).to.equal(true);
  page = await ua.submit(page, '/interaction/', { login: subject, password: 'anything' });
  if (page.body.includes('name="prompt" value="consent"')) page = await ua.submit(page, '/interaction/');
  return {
    page,
    ua,
    tokens: (redirect) => oidc.authorizationCodeGrant(config, new URL(redirect.location!), { pkceCodeVerifier: verifier, expectedState: 'st' }),
  };
}

export async function signInUpstream(h: Harness, idp: UpstreamIdp, providerId: string, subject: string): Promise<Page> {
  return (await startUpstreamSignIn(h, idp, providerId, subject)).page;
}
