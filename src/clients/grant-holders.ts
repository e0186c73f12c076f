// The accounts an application can act for: those holding a grant to it (consent given, or
// a first-party sign-in), whose tokens it can obtain and refresh. Grants are stored by the
// provider as JSON documents; the client id inside is matched in SQL first (portable LIKE,
// wildcards escaped), then confirmed on the parsed document.
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';

export async function grantHoldersOf(models: Models, clientId: string, ctx: Context): Promise<string[]> {
  const pattern = `%"clientId":"${clientId.replace(/[!%_]/g, (c) => `!${c}`)}"%`;
  const rows = await models.sql.select<{ accountId: string; payload: string }>(
    "SELECT account_id AS accountId, payload FROM oidc_payloads WHERE model = 'Grant' AND account_id IS NOT NULL AND payload LIKE ? ESCAPE '!'",
    [pattern],
    ctx,
  );
  const holders = rows.filter((r) => (JSON.parse(r.payload) as { clientId?: unknown }).clientId === clientId).map((r) => r.accountId);
  return [...new Set(holders)];
}
