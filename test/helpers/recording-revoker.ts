// The AccessRevoker test double: records each call with whether it ran inside a
// transaction, and can be told to fail so the caller's change must roll back.
import type { AccessRevoker, RevocationReason } from '../../src/users/access-revoker.js';

export class RecordingRevoker implements AccessRevoker {
  readonly calls: Array<{ userId: string; reason: RevocationReason; inTransaction: boolean }> = [];
  failWith: Error | null = null;

  async revokeAll(ctx: Parameters<AccessRevoker['revokeAll']>[0], userId: string, reason: RevocationReason): Promise<void> {
    this.calls.push({ userId, reason, inTransaction: !!ctx.transaction });
    if (this.failWith) throw this.failWith;
  }
}
