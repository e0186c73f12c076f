// Gatehouse's own pages are a relying party of its provider (the admin pages sign in
// through the provider as a first-party client), using openid-client with PKCE. Browser
// redirects use PUBLIC_URL; the server's own back-channel calls (token, JWKS) go to the
// address this process listens on, so they work behind any proxy or DNS.
import * as oidc from 'openid-client';

export interface RelyingPartyOptions {
  publicUrl: string;
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  signedOutUrl: string;
  /** Where this process can reach itself (set once listening). */
  internalUrl: () => string | null;
}

export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export class PageRelyingParty {
  private readonly config: oidc.Configuration;

  constructor(private readonly options: RelyingPartyOptions) {
    const issuer = options.publicUrl;
    this.config = new oidc.Configuration(
      {
        issuer,
        authorization_endpoint: `${issuer}/oidc/auth`,
        token_endpoint: `${issuer}/oidc/token`,
        jwks_uri: `${issuer}/oidc/jwks`,
        end_session_endpoint: `${issuer}/oidc/session/end`,
        userinfo_endpoint: `${issuer}/oidc/me`,
        id_token_signing_alg_values_supported: ['ES256'],
      },
      options.clientId,
      { redirect_uris: [options.callbackUrl], id_token_signed_response_alg: 'ES256' },
      oidc.ClientSecretBasic(options.clientSecret),
    );
    if (issuer.startsWith('http:')) oidc.allowInsecureRequests(this.config);
    this.config[oidc.customFetch] = (url, init) => fetch(this.toInternal(url), init as RequestInit);
  }

  async start(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const verifier = oidc.randomPKCECodeVerifier();
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, returnTo };
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.options.callbackUrl,
      scope: 'openid email profile roles',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.toString(), pending };
  }

  /** Exchanges the code and validates the ID token; returns the subject and the ID token. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<{ sub: string; idToken: string }> {
    const tokens = await oidc.authorizationCodeGrant(this.config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims?.sub || !tokens.id_token) throw new Error('no ID token in the token response');
    return { sub: claims.sub, idToken: tokens.id_token };
  }

  endSessionUrl(idToken: string | null): string {
    const params: Record<string, string> = { post_logout_redirect_uri: this.options.signedOutUrl, client_id: this.options.clientId };
    if (idToken) params.id_token_hint = idToken;
    return oidc.buildEndSessionUrl(this.config, params).toString();
  }

  private toInternal(url: string): string {
    const internal = this.options.internalUrl();
    return internal && url.startsWith(this.options.publicUrl) ? internal + url.slice(this.options.publicUrl.length) : url;
  }
}
