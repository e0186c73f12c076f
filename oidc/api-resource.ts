// The management API as an OAuth resource server (RFC 8707 resource indicators). Only a
// client whose registration lists API scopes gets a token for it, and only with scopes it
// lists; every other client asking for the API is refused (invalid_target), so a relying
// party's sign-in tokens never carry the API as audience. A machine application gets them
// with client credentials; an application people sign in to gets them in a person's token
// only after that person allowed them on the consent screen (the provider's
// rs_scopes_missing check asks, first-party applications included, since their automatic
// grant covers OpenID scopes only).
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { apiResourceIndicator, isApiScope } from '../src/clients/api-scopes.js';

type ClientWithApi = { clientId: string; api_scopes?: string[]; apiScopes?: string[]; grantTypeAllowed(type: string): boolean };

function apiScopesOf(client: unknown): string[] {
  const c = client as ClientWithApi | undefined;
  return c?.api_scopes ?? c?.apiScopes ?? [];
}

function isMachine(client: unknown): boolean {
  return (client as ClientWithApi).grantTypeAllowed('client_credentials');
}

export function apiResourceIndicators(publicUrl: string, ttlSeconds: number): NonNullable<NonNullable<Configuration['features']>['resourceIndicators']> {
  const indicator = apiResourceIndicator(publicUrl);
  return {
    enabled: true,
    // A machine application registered for the API gets a token for it without naming it.
    defaultResource: async (ctx, client, oneOf) => {
      if (oneOf) return oneOf;
      const asked = (ctx as KoaContextWithOIDC).oidc.params?.resource;
      if (asked) return asked as string;
      return apiScopesOf(client).length && isMachine(client) ? indicator : (undefined as unknown as string);
    },
    getResourceServerInfo: async (ctx, resource, client) => {
      if (resource !== indicator) throw new errors.InvalidTarget('unknown resource indicator');
      const allowed = apiScopesOf(client);
      if (!allowed.length) throw new errors.InvalidTarget('this application is not registered for the management API');
      const requested = String((ctx as KoaContextWithOIDC).oidc.params?.scope ?? '').split(' ').filter(Boolean);
      const refused = requested.filter((s) => isApiScope(s) && !allowed.includes(s));
      if (refused.length) throw new errors.InvalidScope('requested scope is not registered for this application', refused.join(' '));
      return { scope: allowed.join(' '), audience: indicator, accessTokenFormat: 'opaque', accessTokenTTL: ttlSeconds };
    },
    useGrantedResource: async () => false,
  };
}
