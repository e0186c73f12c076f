// After the first factor (a password, or an upstream provider's sign-in): a passkey when
// the account has one (with the TOTP code offered instead unless a passkey is required),
// the TOTP code when it has TOTP turned on, a forced enrolment (passkey or TOTP) when its
// roles require one, else the interaction finishes. Shared by password and upstream sign-in, so signing in through
// another provider never skips Gatehouse's own second factor (unless that provider is
// trusted to enforce one itself; the caller decides that).
import type { Response } from 'express';
import type { Provider } from 'oidc-provider';
import type { Services } from '../../src/services.js';
import { raw } from '../../src/html.js';
import { totpEnrolPage, totpPage } from './interaction-pages.js';
import { passkeyEnrolPage, passkeyStepPage } from './passkey-pages.js';
import { authenticationLevel, requestedAcr, satisfies, type Factors } from './authentication-level.js';

export type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** How the first factor was given: RFC 8176's `pwd`, or `fed` for an upstream provider. */
export type FirstFactor = Factors['first'];

export interface PendingLogin {
  accountId: string;
  /** Absent on interactions stored before upstream sign-in asked for a second factor. */
  first?: FirstFactor;
  /** Set once a required enrolment has been confirmed: recovery codes still to show. */
  enrolled?: boolean;
}

/** Stores a result on the interaction for the rest of its lifetime. */
export async function saveResult(d: Details, result: unknown): Promise<void> {
  (d as unknown as { result?: unknown }).result = result;
  await d.save(Math.max(1, (d.exp ?? 0) - Math.floor(Date.now() / 1000)));
}

export const savePending = (d: Details, pending: PendingLogin | null) => saveResult(d, pending ? { pendingLogin: pending } : undefined);

export const pendingOf = (d: Details): PendingLogin | null => (d as unknown as { result?: { pendingLogin?: PendingLogin } }).result?.pendingLogin ?? null;

/**
 * What provider.interactionFinished does (store the result, 303 to the resume URL), on the
 * interaction this request already loaded rather than reading it again. Every completed
 * sign-in passes here (password, directory password, upstream provider, the sign-in that
 * follows an accepted invitation, a second step), so here it becomes the account's last
 * activity.
 */
export async function finishLogin(services: Services, res: Response, d: Details, accountId: string, factors: Factors): Promise<void> {
  const { amr, acr } = authenticationLevel(factors);
  // An essential acr the sign-in did not reach ends the request (OIDC Core §5.5.1.1)
  // rather than asking again and again.
  const result = satisfies(requestedAcr(d.params), acr)
    ? { login: { accountId, amr, acr } }
    : { error: 'unmet_authentication_requirements', error_description: 'The application requires a stronger sign-in (two-step verification or a passkey) than this account has set up.' };
  await saveResult(d, result);
  if ('login' in result) await services.users.recordSignIn(accountId);
  res.status(303).set('Content-Length', '0').location(d.returnTo).end();
}

export async function afterFirstFactor(services: Services, res: Response, d: Details, account: { id: string; totpEnabled: boolean }, first: FirstFactor): Promise<void> {
  const accountId = account.id;
  const [policy, passkeys] = await Promise.all([services.passkeys.policyFor(accountId), services.passkeys.count(accountId)]);
  if (passkeys > 0) {
    await savePending(d, { accountId, first });
    res.type('html').send(passkeyStepPage({ uid: d.uid, csrfToken: res.locals.csrfToken, codeInstead: account.totpEnabled && policy === 'allowed' }));
    return;
  }
  if (policy !== 'allowed') {
    await savePending(d, { accountId, first });
    res.type('html').send(passkeyEnrolPage({ uid: d.uid, csrfToken: res.locals.csrfToken }));
    return;
  }
  if (account.totpEnabled) {
    await savePending(d, { accountId, first });
    res.type('html').send(totpPage({ uid: d.uid, csrfToken: res.locals.csrfToken }));
    return;
  }
  if (await services.totp.requiredFor(accountId)) {
    await savePending(d, { accountId, first });
    const enrolment = await services.totp.startEnrolment(accountId);
    res.type('html').send(totpEnrolPage({ uid: d.uid, csrfToken: res.locals.csrfToken, qrSvg: raw(enrolment.qrSvg), secret: enrolment.secret }));
    return;
  }
  await finishLogin(services, res, d, accountId, { first });
}
