// The AccessRevoker the users service calls: every edge that holds sessions or tokens
// (oidc/ for provider artifacts, the web sessions of the admin pages) registers its own,
// and all run inside the caller's transaction.
import type { AccessRevoker, RevocationReason } from './access-revoker.js';

export class RevokerChain implements AccessRevoker {
  private readonly revokers: AccessRevoker[] = [];

  add(revoker: AccessRevoker): void {
    this.revokers.push(revoker);
  }

  async revokeAll(ctx: Parameters<AccessRevoker['revokeAll']>[0], userId: string, reason: RevocationReason): Promise<void> {
    for (const revoker of this.revokers) await revoker.revokeAll(ctx, userId, reason);
  }
}
