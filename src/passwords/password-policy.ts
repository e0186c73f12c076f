// At least 8 characters (pages recommend 15), at least 64
// allowed, no composition rules, common passwords refused (NIST SP 800-63B §5.1.1.2).
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 8;
export const PASSWORD_RECOMMENDED = 15;
// Far above the required 64 yet bounded, so nobody can make us hash a megabyte.
export const PASSWORD_MAX = 256;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase()));
  return common;
}

/** Returns a message for beside the password field, or null when the password is acceptable. */
export function passwordProblem(password: string, context: { email?: string | null; username?: string | null } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters (${PASSWORD_RECOMMENDED} or more is better).`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'This password is too common. Choose one that is harder to guess.';
  const ownNames = [context.email, context.email?.split('@')[0], context.username].filter((v): v is string => !!v && v.length >= 4);
  if (ownNames.some((n) => lower === n.toLowerCase())) return 'Do not use your email address or username as your password.';
  return null;
}
