// How long a code lives, how many tries it allows and how often codes may be sent
// (docs/phone-verification.md explains each number).
const MINUTE = 60_000;

export const PHONE_CODE_RULES = {
  digits: 6,
  ttlMs: 10 * MINUTE,
  /** Codes entered against one code; past them the person asks for a new one. */
  maxAttempts: 5,
  /** Sends to one number, from any invitation or account. */
  perNumber: { limit: 3, windowMs: 15 * MINUTE },
  /**
   * Sends from one client address. Ten an hour lets a few colleagues behind one office NAT
   * verify together, while one address cannot drive more than 240 texts a day.
   */
  perAddress: { limit: 10, windowMs: 60 * MINUTE },
  /** Sends for one invitation or one account. */
  perSubject: { limit: 5, windowMs: 24 * 60 * MINUTE },
} as const;
