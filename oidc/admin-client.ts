// Gatehouse's own admin and account pages sign in through the provider as a first-party,
// confidential client, like any application. Its secret is derived from the cookie keys, so
// every process knows it without storing it.
import { createHmac } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';

export const ADMIN_CLIENT_ID = 'gatehouse-admin';
export const ADMIN_CALLBACK_PATH = '/auth/callback';
export const SIGNED_OUT_PATH = '/auth/signed-out';

export function adminClientSecret(cookieKeys: readonly string[]): string {
  return createHmac('sha256', cookieKeys[0]!).update('gatehouse-admin-client-secret').digest('base64url');
}

export function adminClientMetadata(publicUrl: string, secretHash: string): ClientMetadata {
  return {
    client_id: ADMIN_CLIENT_ID,
    client_name: 'Gatehouse',
    client_secret: secretHash,
    first_party: true,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${publicUrl}${ADMIN_CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${publicUrl}${SIGNED_OUT_PATH}`],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  };
}
