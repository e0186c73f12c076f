// The OpenID Connect provider: upstream oidc-provider, configured so that PKCE S256 is
// required for every authorization code flow, refresh tokens rotate, access tokens are
// opaque (revocable), and tokens go only to active accounts.
import { Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Services } from '../src/services.js';
import { hashToken, safeEqual } from '../src/ids.js';
import { html, raw } from '../src/html.js';
import { page } from '../src/web/layout.js';
import { createAdapterClass } from './database-adapter.js';
import { findAccount } from './account-claims.js';
import { retryAfterOn503, toOidcError, translatingUnavailable } from './unavailable.js';
import { ADMIN_CLIENT_ID, adminClientMetadata } from './admin-client.js';
import type { OidcModels } from './oidc-models.js';
import type { KeyStore } from './key-store.js';
import { ACR_VALUES } from './interactions/authentication-level.js';
import { interactionPolicyWithStepUp } from './interactions/interaction-policy.js';
import { apiResourceIndicators } from './api-resource.js';
import { isApiScope } from '../src/clients/api-scopes.js';

export const OIDC_PREFIX = '/oidc';

/** The provider's endpoints under the prefix (the metrics name requests by them). */
export const OIDC_ROUTES = {
  authorization: `${OIDC_PREFIX}/auth`,
  token: `${OIDC_PREFIX}/token`,
  userinfo: `${OIDC_PREFIX}/me`,
  jwks: `${OIDC_PREFIX}/jwks`,
  revocation: `${OIDC_PREFIX}/token/revocation`,
  introspection: `${OIDC_PREFIX}/token/introspection`,
  end_session: `${OIDC_PREFIX}/session/end`,
  pushed_authorization_request: `${OIDC_PREFIX}/request`,
};

export const TOKEN_TTL = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  ClientCredentials: 600,
  IdToken: 3600,
  Interaction: 3600,
  RefreshToken: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
} as const;

export interface ProviderDeps {
  services: Services;
  oidcModels: OidcModels;
  keyStore: KeyStore;
  cookieKeys: string[];
  adminClientSecret: string;
  sessionLifetimeSeconds: number;
  /** Benchmarks only (npm run bench:oidc): 'memory' runs this same configuration on oidc-provider's built-in MemoryAdapter. */
  storage?: 'database' | 'memory';
}

/**
 * OIDC Core §3.1.2.1 and RP-Initiated Logout §2 want POST at the authorization and logout
 * endpoints. A cross-site form POST carries the session cookie only when it is
 * `SameSite=None; Secure`, and browsers drop such a cookie unless it is Secure, which the
 * provider marks only on requests it knows came over https: an https PUBLIC_URL, seen
 * through a trusted proxy (or TLS on the socket). Otherwise — plain-http development, or a
 * proxy not trusted — the endpoints stay GET-only (SameSite=Lax cookies keep working) and
 * start-up says why.
 */
export function httpPostRefusal(config: { publicUrl: string; trustProxy: unknown }): string | null {
  if (new URL(config.publicUrl).protocol !== 'https:') return 'PUBLIC_URL is plain http: the authorization and logout endpoints accept GET only (POST needs SameSite=None; Secure cookies, so https)';
  if (!config.trustProxy) return 'TRUST_PROXY is off: the authorization and logout endpoints accept GET only (POST needs SameSite=None; Secure cookies, which need https seen through a trusted proxy)';
  return null;
}

export async function createProvider(deps: ProviderDeps): Promise<Provider> {
  const { services } = deps;
  const { config } = services;
  const keys = await deps.keyStore.signingKeys();
  const postRefusal = httpPostRefusal(config);
  const httpPost = postRefusal === null;
  const sameSite = httpPost ? 'none' : 'lax';

  const configuration: Configuration = {
    // Left undefined, oidc-provider falls back to its MemoryAdapter.
    adapter: deps.storage === 'memory' ? undefined : (translatingUnavailable(createAdapterClass(deps.oidcModels, services.db.sql, services.clients, services.clock), services.logger) as unknown as Configuration['adapter']),
    clients: [adminClientMetadata(config.publicUrl, hashToken(deps.adminClientSecret))],
    findAccount: (ctx, sub) => findAccount(services, sub).catch((err) => Promise.reject(toOidcError(err, services.logger))),
    claims: {
      // acr, amr and auth_time say how the user signed in (authentication-level.ts).
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'locale'],
      phone: ['phone_number', 'phone_number_verified'],
      address: ['address'],
      roles: ['roles', 'permissions'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'phone', 'address', 'roles'],
    // Scope-requested claims go into the ID token too, so apps read roles without userinfo.
    conformIdTokenClaims: false,
    acrValues: [...ACR_VALUES],
    enableHttpPostMethods: httpPost,
    features: {
      devInteractions: { enabled: false },
      // OIDC Core §5.5: individual claims for the ID token and userinfo. Roles and
      // permissions still come only with the roles scope (account-claims.ts).
      claimsParameter: { enabled: true },
      // Request objects are not accepted (and request_uri is advertised as unsupported below).
      requestObjects: { enabled: false },
      // A client may revoke or introspect only the tokens issued to it (RFC 7009 §2.1,
      // RFC 7662 §4): another client's token is answered as unknown (revocation does
      // nothing, introspection says active: false), which reveals nothing about it.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => ownToken(client, token) },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => ownToken(client, token) },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      // The management API at /api/v1 is the one resource server (RFC 8707).
      resourceIndicators: apiResourceIndicators(config.publicUrl, TOKEN_TTL.ClientCredentials),
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            'Sign out',
            html`<h1>Sign out?</h1><p>You are about to sign out of ${config.publicUrl}.</p>${rawForm(form)}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm" style="background:#6e7781">No, stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', html`<h1>You are signed out</h1><p><a href="/">Back to the start</a></p>`);
        },
      },
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    jwks: { keys: keys as never },
    cookies: { keys: deps.cookieKeys, long: { signed: true, sameSite }, short: { signed: true, sameSite } },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: interactionPolicyWithStepUp({
        hasSecondFactor: async (accountId) => (await services.totp.isEnrolled(accountId)) || (await services.passkeys.count(accountId)) > 0,
        hasPasskey: async (accountId) => (await services.passkeys.count(accountId)) > 0,
      }),
    },
    // Discovery says what is supported and nothing more: OIDC Discovery §3 reads a missing
    // request_uri_parameter_supported as true, so it is stated. Registration stays off
    // (no registration_endpoint is published).
    discovery: { request_parameter_supported: false, request_uri_parameter_supported: false, require_request_uri_registration: false },
    routes: OIDC_ROUTES,
    // Client secrets are stored hashed, so secret-derived (HS*) client assertions cannot work.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    ttl: { ...TOKEN_TTL, Session: deps.sessionLifetimeSeconds },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    extraClientMetadata: { properties: ['first_party', 'api_scopes'] },
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'RS256', token_endpoint_auth_method: 'client_secret_basic' },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256', 'EdDSA'],
      userinfoSigningAlgValues: ['ES256', 'RS256', 'EdDSA'],
      introspectionSigningAlgValues: ['ES256', 'RS256', 'EdDSA'],
      authorizationSigningAlgValues: ['ES256', 'RS256', 'EdDSA'],
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
    },
    // First-party clients skip consent for OpenID scopes: their grant covers them. Management
    // API scopes are left out, so the person is asked for those (api-resource.ts).
    loadExistingGrant: async (ctx) => {
      const existingId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      const existing = existingId ? await ctx.oidc.provider.Grant.find(existingId) : undefined;
      if (existing && !isFirstParty(ctx)) return existing;
      if (!isFirstParty(ctx)) return undefined;
      if (existing) {
        // A later request of the same first-party app for more scopes or claims needs no consent either.
        if (ctx.oidc.requestParamScopes) existing.addOIDCScope(oidcScopesOf(ctx.oidc.requestParamScopes));
        if (ctx.oidc.requestParamClaims?.size) existing.addOIDCClaims([...ctx.oidc.requestParamClaims]);
        await existing.save();
        return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? oidcScopesOf(ctx.oidc.requestParamScopes) : 'openid');
      // Claims asked for one by one (the claims parameter) are covered too.
      if (ctx.oidc.requestParamClaims?.size) grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in problem',
        html`<h1>This sign-in cannot continue</h1><p>${String(out.error_description ?? out.error)}</p>
<p class="hint">Error: <code>${String(out.error)}</code>. Go back to the application and start again; if this keeps happening, tell your administrator.</p>`,
      );
    },
  };

  const provider = new Provider(config.publicUrl, configuration);
  // Koa trusts forwarded headers all or nothing; the provider router hands it only the
  // values Express's bounded `trust proxy` concluded (src/web/forwarded-headers.ts).
  provider.proxy = config.trustProxy !== false;

  // Client secrets are stored as SHA-256 (shown once, never kept): compare hashes.
  const ClientClass = provider.Client as unknown as { prototype: { compareClientSecret(this: { clientSecret?: string }, actual: string): Promise<boolean> | boolean; includeSid(): boolean } };
  ClientClass.prototype.compareClientSecret = function (actual: string) {
    return !!this.clientSecret && safeEqual(this.clientSecret, hashToken(actual ?? ''));
  };
  // Every ID token names its session (`sid`), as discovery's backchannel_logout_session_supported
  // promises, not only those of clients with a back-channel logout URI.
  ClientClass.prototype.includeSid = () => true;

  if (postRefusal) services.logger.info({ publicUrl: config.publicUrl }, postRefusal);

  provider.use(retryAfterOn503);
  provider.on('server_error', (_ctx, err) => services.logger.error({ err }, 'oidc server error'));
  provider.on('grant.error', (_ctx, err) => services.logger.info({ err: (err as Error).message }, 'oidc grant error'));
  return provider;
}

function ownToken(client: { clientId: string }, token: { clientId?: string }): boolean {
  return !!token.clientId && token.clientId === client.clientId;
}

function oidcScopesOf(requested: Iterable<string>): string {
  return [...requested].filter((s) => !isApiScope(s)).join(' ');
}

function isFirstParty(ctx: KoaContextWithOIDC): boolean {
  const client = ctx.oidc.client as unknown as { clientId: string; first_party?: boolean; firstParty?: boolean } | undefined;
  return !!client && (client.clientId === ADMIN_CLIENT_ID || client.first_party === true || client.firstParty === true);
}

/** The provider builds this form (hidden xsrf and logout fields): trusted markup. */
function rawForm(form: string) {
  return raw(form);
}
