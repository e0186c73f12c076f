// The person's sign-in sessions at the OpenID provider (what lets them into other
// applications without signing in again), as the account page lists them, and ending one.
// Rows are found through oidc_payloads' indexed account_id column. A session is named on the
// page by a prefix of its id's hash: the id itself is the provider's session cookie.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';
import { hashToken } from '../ids.js';
import { sqlDate } from '../db/sql.js';
import type { ProviderSessionEnder } from './provider-session-ender.js';

export interface OwnProviderSession {
  ref: string;
  signedInAt: Date | null;
  /** Names of the applications the session signed in to, those still registered. */
  applications: string[];
  /** How the person proved who they are (RFC 8176 amr values), when the sign-in said. */
  amr: string[];
  current: boolean;
}

interface SessionPayload {
  loginTs?: number;
  amr?: unknown;
  authorizations?: Record<string, unknown>;
}

const REF_LENGTH = 16;

export class OwnProviderSessions {
  private ender: ProviderSessionEnder | null = null;

  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The OIDC edge plugs in how a session ends; without a provider there is nothing to end. */
  useEnder(ender: ProviderSessionEnder): void {
    this.ender = ender;
  }

  /** `currentSessionId`: the provider's session cookie of this browser, to mark it. */
  async list(userId: string, currentSessionId: string | null): Promise<OwnProviderSession[]> {
    const rows = await this.rows(userId);
    const names = new Map((await this.models.Client.findAll({ attributes: ['clientId', 'name'] })).map((c) => [c.clientId, c.name]));
    return rows
      .map(({ id, payload }) => ({
        ref: hashToken(id).slice(0, REF_LENGTH),
        signedInAt: typeof payload.loginTs === 'number' ? new Date(payload.loginTs * 1000) : null,
        applications: Object.keys(payload.authorizations ?? {}).flatMap((clientId) => (names.has(clientId) ? [names.get(clientId)!] : [])).sort(),
        amr: Array.isArray(payload.amr) ? payload.amr.filter((v): v is string => typeof v === 'string') : [],
        current: id === currentSessionId,
      }))
      .sort((a, b) => (b.signedInAt?.getTime() ?? 0) - (a.signedInAt?.getTime() ?? 0));
  }

  /** Ends one of the person's own provider sessions (by its reference); false when there is none. */
  async end(ctx: Context, userId: string, ref: string): Promise<boolean> {
    if (!this.ender || !/^[0-9a-f]{16}$/.test(ref)) return false;
    const session = (await this.rows(userId)).find((r) => hashToken(r.id).startsWith(ref));
    if (!session) return false;
    const ender = this.ender;
    return this.transactions.run(ctx, async (tx) => {
      const ended = await ender.endSession(tx, userId, session.id);
      if (ended) await this.audit.record(tx, 'provider_session.ended', { clients: Object.keys(session.payload.authorizations ?? {}) }, { type: 'user', id: userId });
      return ended;
    });
  }

  /** Signed-in, unexpired sessions only: the provider also stores a session per anonymous browser. */
  private async rows(userId: string): Promise<Array<{ id: string; payload: SessionPayload }>> {
    const rows = await this.models.sql.select<{ id: string; payload: string; expiresAt: Date | string | null }>(
      "SELECT id, payload, expires_at AS expiresAt FROM oidc_payloads WHERE model = 'Session' AND account_id = ?",
      [userId],
    );
    const now = this.clock.now();
    return rows
      .filter((r) => { const at = sqlDate(r.expiresAt); return !at || at > now; })
      .map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as SessionPayload }));
  }
}
