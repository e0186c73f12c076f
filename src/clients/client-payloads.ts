// The provider's stored artifacts (oidc_payloads, one JSON document each) that belong to one
// application. The client id inside the document is matched in SQL first (portable LIKE,
// wildcards escaped), then confirmed on the parsed document.
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';

function clientIdPattern(clientId: string): string {
  return `%"clientId":"${clientId.replace(/[!%_]/g, (c) => `!${c}`)}"%`;
}

function isFor(clientId: string, payload: string): boolean {
  return (JSON.parse(payload) as { clientId?: unknown }).clientId === clientId;
}

/** The accounts holding a grant to the application (consent given, or a first-party sign-in). */
export async function grantHoldersOf(models: Models, clientId: string, ctx: Context): Promise<string[]> {
  const rows = await models.sql.select<{ accountId: string; payload: string }>(
    "SELECT account_id AS accountId, payload FROM oidc_payloads WHERE model = 'Grant' AND account_id IS NOT NULL AND payload LIKE ? ESCAPE '!'",
    [clientIdPattern(clientId)],
    ctx,
  );
  return [...new Set(rows.filter((r) => isFor(clientId, r.payload)).map((r) => r.accountId))];
}

/**
 * Ends the application's outstanding client-credentials access tokens, so that whoever held
 * the old secret keeps nothing it obtained with it.
 */
export async function revokeClientCredentialTokens(models: Models, clientId: string, ctx: Context): Promise<number> {
  const rows = await models.sql.select<{ id: string; payload: string }>(
    "SELECT id, payload FROM oidc_payloads WHERE model = 'ClientCredentials' AND payload LIKE ? ESCAPE '!'",
    [clientIdPattern(clientId)],
    ctx,
  );
  const ids = rows.filter((r) => isFor(clientId, r.payload)).map((r) => r.id);
  for (const id of ids) await models.sql.write("DELETE FROM oidc_payloads WHERE model = 'ClientCredentials' AND id = ?", [id], ctx);
  return ids.length;
}
