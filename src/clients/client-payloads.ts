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
 * Ends the application's outstanding access tokens — its own (client credentials) and those
 * it obtained for people — so that whoever held the old secret keeps nothing it obtained
 * with it. Refresh tokens need the new secret from now on, so they may stay.
 */
export async function revokeAccessTokensOf(models: Models, clientId: string, ctx: Context): Promise<number> {
  const rows = await models.sql.select<{ id: string; model: string; payload: string }>(
    "SELECT id, model, payload FROM oidc_payloads WHERE model IN ('ClientCredentials', 'AccessToken') AND payload LIKE ? ESCAPE '!'",
    [clientIdPattern(clientId)],
    ctx,
  );
  const found = rows.filter((r) => isFor(clientId, r.payload));
  for (const r of found) await models.sql.write('DELETE FROM oidc_payloads WHERE model = ? AND id = ?', [r.model, r.id], ctx);
  return found.length;
}
