// Checks a management API bearer token in process, through the provider's own storage: a
// live client-credentials token whose audience is the API (RFC 8707), issued to a client
// that still exists. Anything else — a relying party's access token, an expired or
// unknown value — is refused.
import type { Provider } from 'oidc-provider';
import { apiResourceIndicator, type ApiTokenVerifier } from '../src/clients/api-scopes.js';

const MAX_TOKEN_LENGTH = 512;

export function apiTokenVerifier(provider: Provider, publicUrl: string): ApiTokenVerifier {
  const audience = apiResourceIndicator(publicUrl);
  return async (value) => {
    if (!value || value.length > MAX_TOKEN_LENGTH) return { refused: 'The bearer token is not valid.' };
    const token = await provider.ClientCredentials.find(value);
    if (!token) {
      const personal = await provider.AccessToken.find(value);
      return { refused: personal ? 'This access token was not issued for the management API: use a machine application\'s client credentials token for the resource ' + audience + '.' : 'The bearer token is not valid or has expired.' };
    }
    const aud = (token as unknown as { aud?: string | string[] }).aud;
    const audiences = Array.isArray(aud) ? aud : aud ? [aud] : [];
    if (!audiences.includes(audience)) return { refused: `This access token was not issued for the management API (resource ${audience}).` };
    const client = await provider.Client.find(token.clientId!);
    if (!client) return { refused: 'The application this token was issued to no longer exists.' };
    return { clientId: token.clientId!, scopes: String(token.scope ?? '').split(' ').filter(Boolean) };
  };
}
