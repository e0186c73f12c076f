// What a person sees of their own access on the account page, and may end: the browsers
// signed in to Gatehouse's pages, and the applications they gave access (the provider's
// grants, with every token issued under them). Ending one is the person's own choice, so it
// needs no permission; each is audited.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';

export interface OwnSession {
  /** A reference to the session for the page's forms (a prefix of its stored hash, never the cookie). */
  ref: string;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
  /** What the browser said it was, and the address it came from, when the session began. */
  userAgent: string | null;
  ip: string | null;
}

export interface ConnectedApp {
  grantId: string;
  clientId: string;
  name: string;
  scopes: string[];
}

const REF_LENGTH = 16;

export class OwnSessions {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  async sessions(userId: string, currentIdHash: string | null): Promise<OwnSession[]> {
    const rows = await this.models.sql.select<{ idHash: string; createdAt: Date | string; lastSeenAt: Date | string; userAgent: string | null; ip: string | null }>(
      'SELECT id_hash AS idHash, created_at AS createdAt, last_seen_at AS lastSeenAt, user_agent AS userAgent, ip FROM web_sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC',
      [userId, this.clock.now()],
    );
    return rows.map((r) => ({
      ref: r.idHash.slice(0, REF_LENGTH), createdAt: new Date(r.createdAt), lastSeenAt: new Date(r.lastSeenAt), current: r.idHash === currentIdHash, userAgent: r.userAgent, ip: r.ip,
    }));
  }

  /** Ends one of the person's own sessions (by its reference); false when there is none. */
  async endSession(ctx: Context, userId: string, ref: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(ref)) return false;
    return this.transactions.run(ctx, async (tx) => {
      const { affectedRows } = await this.models.sql.write('DELETE FROM web_sessions WHERE user_id = ? AND id_hash LIKE ?', [userId, `${ref}%`], tx);
      if (affectedRows > 0) await this.audit.record(tx, 'session.ended', { sessions: affectedRows }, { type: 'user', id: userId });
      return affectedRows > 0;
    });
  }

  async connectedApps(userId: string): Promise<ConnectedApp[]> {
    const rows = await this.models.sql.select<{ id: string; payload: string }>("SELECT id, payload FROM oidc_payloads WHERE model = 'Grant' AND account_id = ? ORDER BY id", [userId]);
    const grants = rows.map((r) => ({ grantId: r.id, ...(JSON.parse(r.payload) as { clientId?: string; openid?: { scope?: string } }) }));
    const names = new Map((await this.models.Client.findAll({ attributes: ['clientId', 'name'] })).map((c) => [c.clientId, c.name]));
    return grants
      .filter((g) => typeof g.clientId === 'string' && names.has(g.clientId))
      .map((g) => ({ grantId: g.grantId, clientId: g.clientId!, name: names.get(g.clientId!)!, scopes: (g.openid?.scope ?? '').split(' ').filter(Boolean) }));
  }

  /** Withdraws the access the person gave an application: the grant and every token under it. */
  async revokeApp(ctx: Context, userId: string, grantId: string): Promise<boolean> {
    const app = (await this.connectedApps(userId)).find((a) => a.grantId === grantId);
    if (!app) return false;
    await this.transactions.run(ctx, async (tx) => {
      await this.models.sql.write("DELETE FROM oidc_payloads WHERE account_id = ? AND ((model = 'Grant' AND id = ?) OR grant_id = ?)", [userId, grantId, grantId], tx);
      await this.audit.record(tx, 'grant.revoked', { client: app.name }, { type: 'client', id: app.clientId, label: app.name });
    });
    return true;
  }
}
