// How the domain ends one of a person's sign-in sessions at the OpenID provider without
// knowing OIDC: `oidc/` implements it with the same removal "sign out everywhere" uses
// (the session, its grants and every token under them; back-channel logout after commit).
import type { TxContext } from '../context.js';

export interface ProviderSessionEnder {
  /** Ends the provider session `sessionId` of `userId` in the caller's transaction; false when there is none. */
  endSession(tx: TxContext, userId: string, sessionId: string): Promise<boolean>;
}
