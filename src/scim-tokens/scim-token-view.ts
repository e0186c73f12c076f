// A SCIM token as it leaves the token service (never its secret or hash), and what a
// request's token authenticates to. Below the service and its authentication cache, which
// both speak of them.
import type { TokenState } from './token-permissions.js';

export interface ScimTokenView {
  id: string;
  name: string;
  /** The token's first characters, to tell tokens apart; never enough to use one. */
  hint: string;
  createdAt: Date;
  createdBy: string;
  /** The account that created (or adopted) the token; null: the command line. */
  createdById: string | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** The permission set chosen at creation. */
  permissions: string[];
  /** The set was given by the migration that introduced sets: someone should confirm it. */
  needsReview: boolean;
  /** active | orphaned (acts with less than its set) | stopped (refused) | revoked. */
  status: TokenState | 'revoked';
  /** What the token acts with now. */
  effectivePermissions: string[];
  /** Why it is orphaned or stopped; null otherwise. */
  statusReason: string | null;
  /** The provisioning connection it writes for: the externalIds it sees and sets are that connection's. */
  connectionId: string;
  connection: string;
}

/** A request's token: what it acts with, or why it is refused. */
export type ScimTokenAuthentication = { token: ScimTokenView; permissions: ReadonlySet<string> } | { stopped: string };
