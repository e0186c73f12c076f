// What a finished sign-in tells relying parties about how the user proved who they are:
// `amr` in RFC 8176's words and an `acr` that says whether a second factor was used. Every
// sign-in path (password, upstream provider) builds its login result here, so the values
// stay the same whichever way the user came.

/** The first factor alone (a password, or an upstream provider's sign-in). */
export const ACR_SINGLE_FACTOR = 'urn:gatehouse:acr:pwd';
/** A first factor plus a TOTP or recovery code. */
export const ACR_MULTI_FACTOR = 'urn:gatehouse:acr:mfa';
/**
 * A passkey was used (alone, or after a password): bound to this origin by the browser,
 * so a look-alike site cannot relay it — phishing-resistant.
 */
export const ACR_PHISHING_RESISTANT = 'urn:gatehouse:acr:phr';
/** Advertised in discovery as acr_values_supported, weakest first. */
export const ACR_VALUES = [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR, ACR_PHISHING_RESISTANT] as const;

/**
 * A passkey in RFC 8176's words: a hardware-secured key proved ('hwk') with user
 * verification required ('user'); with that verification it is two factors on its own.
 */
const PASSKEY_AMR = ['hwk', 'user'];

export interface Factors {
  /** How the first factor was given: a password here, an upstream provider ('fed'), or a passkey alone ('hwk'). */
  first: 'pwd' | 'fed' | 'hwk';
  /**
   * A second factor: a TOTP code or a recovery code (both one-time passwords: 'otp'), a
   * passkey, or one the upstream provider is trusted to have enforced ('upstream').
   */
  second?: 'totp' | 'recovery' | 'passkey' | 'upstream';
}

export interface AuthenticationLevel {
  amr: string[];
  acr: string;
}

export function authenticationLevel(factors: Factors): AuthenticationLevel {
  if (factors.first === 'hwk') return { amr: [...PASSKEY_AMR, 'mfa'], acr: ACR_PHISHING_RESISTANT };
  if (factors.second === 'passkey') return { amr: [factors.first, ...PASSKEY_AMR, 'mfa'], acr: ACR_PHISHING_RESISTANT };
  if (!factors.second) return { amr: [factors.first], acr: ACR_SINGLE_FACTOR };
  if (factors.second === 'upstream') return { amr: [factors.first, 'mfa'], acr: ACR_MULTI_FACTOR };
  return { amr: [factors.first, 'otp', 'mfa'], acr: ACR_MULTI_FACTOR };
}

export interface AcrRequest {
  /** The ACRs the client asked for, most preferred first. */
  values: string[];
  /** Whether the client must get one of them (an essential `acr` claim) or merely prefers it (`acr_values`). */
  essential: boolean;
}

/**
 * The ACRs an authorization request asks for. As in oidc-provider (whose essential_acr
 * checks must agree with ours), voluntary `acr_values` (OIDC Core §3.1.2.1) take the place
 * of an `acr` claim in the `claims` parameter; without them an essential claim (§5.5.1.1) rules.
 */
export function requestedAcr(params: { acr_values?: unknown; claims?: unknown }): AcrRequest {
  const voluntary = typeof params.acr_values === 'string' ? params.acr_values.split(' ').filter(Boolean) : [];
  if (voluntary.length) return { values: voluntary, essential: false };
  const claim = idTokenAcrClaim(params.claims);
  if (claim?.essential) {
    const values = Array.isArray(claim.values) ? claim.values.map(String) : typeof claim.value === 'string' ? [claim.value] : [];
    if (values.length) return { values, essential: true };
  }
  return { values: [], essential: false };
}

/** Whether the request prefers (or must have) a phishing-resistant sign-in: a passkey. */
export function wantsPasskey(request: AcrRequest): boolean {
  return request.values[0] === ACR_PHISHING_RESISTANT || (request.essential && request.values.length > 0 && request.values.every((v) => v === ACR_PHISHING_RESISTANT));
}

/** Whether an achieved ACR has a second factor: a passkey sign-in counts. */
export function hasSecondFactor(acr: string | undefined): boolean {
  return acr === ACR_MULTI_FACTOR || acr === ACR_PHISHING_RESISTANT;
}

/** Whether the request asks for a second factor before any weaker level. */
export function wantsSecondFactor(request: AcrRequest): boolean {
  return request.values[0] === ACR_MULTI_FACTOR || (request.essential && !request.values.includes(ACR_SINGLE_FACTOR) && request.values.includes(ACR_MULTI_FACTOR));
}

/** Whether an achieved ACR satisfies the request (a voluntary request is always satisfied). */
export function satisfies(request: AcrRequest, acr: string): boolean {
  return !request.essential || request.values.includes(acr);
}

function idTokenAcrClaim(claims: unknown): { essential?: boolean; value?: unknown; values?: unknown } | undefined {
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return undefined;
    }
  }
  const acr = (parsed as { id_token?: { acr?: unknown } } | undefined)?.id_token?.acr;
  return acr && typeof acr === 'object' ? (acr as { essential?: boolean; value?: unknown; values?: unknown }) : undefined;
}
