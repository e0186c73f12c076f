// How a provider session's sign-in was proved (RFC 8176 amr values) in the page's words.
const WORDS: Record<string, string> = {
  pwd: 'password',
  fed: 'another provider',
  otp: 'one-time code',
  hwk: 'passkey',
};

export function signInMethodWords(amr: string[]): string {
  const methods = [...new Set(amr.flatMap((v) => (WORDS[v] ? [WORDS[v]] : [])))];
  if (methods.length === 0) return 'unknown';
  const words = methods.join(' + ');
  return amr.includes('mfa') ? `${words} (two-step)` : words;
}
