// Checks a management API bearer token in process, through the provider's own storage: a
// live token whose audience is the API (RFC 8707), issued to a client that still exists —
// a machine application's client-credentials token, or a person's access token carrying
// the API scopes that person allowed. Anything else (a relying party's sign-in token, an
// expired or unknown value) is refused.
import type { Provider } from 'oidc-provider';
import { apiResourceIndicator, type ApiTokenVerifier } from '../src/clients/api-scopes.js';

const MAX_TOKEN_LENGTH = 512;

type Issued = { clientId?: string; accountId?: string; scope?: string; aud?: string | string[] };

export function apiTokenVerifier(provider: Provider, publicUrl: string): ApiTokenVerifier {
  const audience = apiResourceIndicator(publicUrl);
  return async (value) => {
    if (!value || value.length > MAX_TOKEN_LENGTH) return { refused: 'The bearer token is not valid.' };
    const machine = (await provider.ClientCredentials.find(value)) as Issued | undefined;
    const token = machine ?? ((await provider.AccessToken.find(value)) as Issued | undefined);
    if (!token) return { refused: 'The bearer token is not valid or has expired.' };
    const audiences = Array.isArray(token.aud) ? token.aud : token.aud ? [token.aud] : [];
    if (!audiences.includes(audience)) return { refused: `This access token was not issued for the management API: ask for the resource ${audience}.` };
    const client = await provider.Client.find(token.clientId!);
    if (!client) return { refused: 'The application this token was issued to no longer exists.' };
    const scopes = String(token.scope ?? '').split(' ').filter(Boolean);
    if (machine) return { clientId: token.clientId!, scopes };
    return { clientId: token.clientId!, scopes, accountId: token.accountId! };
  };
}
