// oidc-provider's interaction policy plus one check: a client whose acr_values prefer a
// second factor gets one from a user who has TOTP but whose session was opened with the
// password alone (a step-up). The essential `acr` claim is checked by oidc-provider's own
// essential_acr(s) checks; max_age and prompt=login by its max_age and login checks.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { ACR_MULTI_FACTOR, requestedAcr, wantsSecondFactor } from './authentication-level.js';

export const STEP_UP_REASON = 'acr_values_second_factor';

/** The reasons a signed-in user is asked only for the second factor, not to sign in again. */
export const STEP_UP_REASONS: ReadonlySet<string> = new Set([STEP_UP_REASON, 'essential_acr', 'essential_acrs']);

export function interactionPolicyWithStepUp(hasSecondFactor: (accountId: string) => Promise<boolean>) {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check(STEP_UP_REASON, 'the client prefers a second factor', async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      // Just signed in (this very interaction): what was achieved stands, acr_values being voluntary.
      if (!accountId || oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      // A silent request (prompt=none) keeps the session's level: these acr_values are voluntary.
      if (oidc.prompts.has('none')) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      if (oidc.acr === ACR_MULTI_FACTOR || !wantsSecondFactor(requestedAcr(oidc.params ?? {}))) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return (await hasSecondFactor(accountId)) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}
