// oidc-provider's interaction policy plus two checks: a client whose acr_values prefer a
// second factor gets one from a user who has TOTP but whose session was opened with the
// password alone (a step-up), and one preferring a phishing-resistant sign-in gets a
// passkey prompt from a user who has a passkey. The essential `acr` claim is checked by
// oidc-provider's own essential_acr(s) checks; max_age and prompt=login by its max_age and
// login checks.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { ACR_PHISHING_RESISTANT, hasSecondFactor, requestedAcr, wantsPasskey, wantsSecondFactor } from './authentication-level.js';

export const STEP_UP_REASON = 'acr_values_second_factor';
export const PASSKEY_STEP_UP_REASON = 'acr_values_passkey';

/** The reasons a signed-in user is asked only for the second factor, not to sign in again. */
export const STEP_UP_REASONS: ReadonlySet<string> = new Set([STEP_UP_REASON, PASSKEY_STEP_UP_REASON, 'essential_acr', 'essential_acrs']);

export interface StepUpFacts {
  hasSecondFactor(accountId: string): Promise<boolean>;
  hasPasskey(accountId: string): Promise<boolean>;
}

export function interactionPolicyWithStepUp(facts: StepUpFacts) {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  /** A signed-in session that did not just sign in, and a request that may prompt. */
  const steppable = (ctx: KoaContextWithOIDC): string | null => {
    const { oidc } = ctx;
    const accountId = oidc.session?.accountId;
    // Just signed in (this very interaction): what was achieved stands, acr_values being voluntary.
    if (!accountId || oidc.result?.login) return null;
    // A silent request (prompt=none) keeps the session's level: these acr_values are voluntary.
    if (oidc.prompts.has('none')) return null;
    return accountId;
  };
  login.checks.add(
    new interactionPolicy.Check(STEP_UP_REASON, 'the client prefers a second factor', async (ctx: KoaContextWithOIDC) => {
      const accountId = steppable(ctx);
      if (!accountId || hasSecondFactor(ctx.oidc.acr) || !wantsSecondFactor(requestedAcr(ctx.oidc.params ?? {}))) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return (await facts.hasSecondFactor(accountId)) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  login.checks.add(
    new interactionPolicy.Check(PASSKEY_STEP_UP_REASON, 'the client prefers a phishing-resistant sign-in', async (ctx: KoaContextWithOIDC) => {
      const accountId = steppable(ctx);
      if (!accountId || ctx.oidc.acr === ACR_PHISHING_RESISTANT || !wantsPasskey(requestedAcr(ctx.oidc.params ?? {}))) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return (await facts.hasPasskey(accountId)) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}
