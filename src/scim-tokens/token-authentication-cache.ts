// A SCIM request's token as last read, kept for a moment so a directory pushing hundreds of
// accounts a second is not read from the database on every request. In this process every
// change that can alter a token's standing (its own events, its creator's status, roles and
// role permissions: all audited) forgets the whole cache, at the change and again at its
// commit, so a request after the change never acts on the old standing. Another Gatehouse
// process notices such a change within `TOKEN_CACHE_MS`, the bound the docs state.
import { performance } from 'node:perf_hooks';
import type { AuditAction } from '../audit/audit-actions.js';
import type { Context } from '../context.js';
import type { ScimTokenAuthentication } from './scim-token-view.js';

export const TOKEN_CACHE_MS = 1_000;
/** Live tokens are few; the bound only keeps a flood of distinct valid tokens from growing memory. */
const MAX_ENTRIES = 1_000;

export interface CachedAuthentication {
  authentication: ScimTokenAuthentication;
  tokenId: string;
  lastUsedAt: Date | null;
  readAt: number;
}

/** Events after which a token's standing may differ: its own, and its creator's permissions. */
const STANDING_EVENTS: ReadonlySet<AuditAction> = new Set(['user.deactivated', 'user.reactivated', 'user.deleted', 'user.roles_changed', 'role.permissions_changed', 'role.deleted', 'owner.transferred']);

export class TokenAuthenticationCache {
  private readonly entries = new Map<string, CachedAuthentication>();
  private forgotten = 0;

  /**
   * The entry for the token's hash while it is fresh. Freshness is measured on the process's
   * monotonic clock, not the application clock: it bounds staleness in real time, and a
   * test's frozen clock must not keep an entry for ever.
   */
  get(hash: string): CachedAuthentication | null {
    const entry = this.entries.get(hash);
    if (!entry) return null;
    if (performance.now() - entry.readAt < TOKEN_CACHE_MS) return entry;
    this.entries.delete(hash);
    return null;
  }

  /** Counts the forgettings: a read that began before one may predate the change. */
  get generation(): number {
    return this.forgotten;
  }

  /** Keeps the entry unless the cache was forgotten since `generation`, when its read began. */
  put(hash: string, entry: Omit<CachedAuthentication, 'readAt'>, generation: number): void {
    if (generation !== this.forgotten) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(hash, { ...entry, readAt: performance.now() });
  }

  clear(): void {
    this.entries.clear();
    this.forgotten++;
  }

  /** The audit observer (registered in services.ts). */
  readonly observe = async (ctx: Context, action: AuditAction): Promise<void> => {
    if (!action.startsWith('scim_token.') && !STANDING_EVENTS.has(action)) return;
    this.clear();
    // A request between this change and its commit may have read and cached the old row.
    ctx.transaction?.afterCommit(() => this.clear());
  };
}
