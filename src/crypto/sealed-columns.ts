// Every column holding values sealed with the SecretBox (AES-GCM under the encryption key).
// A restore checks that the key the restored instance will use opens each of them. A new
// sealed column belongs here.
export interface SealedColumn {
  table: string;
  column: string;
  /** What is lost when it cannot be opened, in an operator's words. */
  what: string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'oidc_keys', column: 'private_jwk', what: 'token signing keys' },
  { table: 'users', column: 'totp_secret', what: 'TOTP (authenticator app) secrets' },
  { table: 'upstream_providers', column: 'client_secret', what: 'upstream providers’ client secrets' },
  { table: 'ldap_config', column: 'bind_secret', what: 'the LDAP sync’s bind password' },
  { table: 'webhooks', column: 'secret', what: 'webhook signing secrets' },
  { table: 'webhooks', column: 'previous_secret', what: 'webhook signing secrets (the one still signing after a rotation)' },
];
