// The users list's sort name and search terms as migration 006 fills them in for existing
// accounts. A copy, not an import: the live rules (src/users/user-search-terms.ts) may
// change, and an old migration must keep writing what it always wrote; accounts are
// re-indexed by the users service whenever they change.
export interface SearchableProfileAt006 {
  username: string;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  phone: string | null;
}

const TERM_MAX = 100;
const MIN_PHONE_SUFFIX = 4;

function fold(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

function unaccented(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

function displayNameOf(p: Pick<SearchableProfileAt006, 'displayName' | 'givenName' | 'familyName' | 'username'>): string {
  return p.displayName || [p.givenName, p.familyName].filter(Boolean).join(' ') || p.username;
}

export function sortNameAt006(p: Pick<SearchableProfileAt006, 'displayName' | 'givenName' | 'familyName' | 'username'>): string {
  return fold(displayNameOf(p)).slice(0, 255);
}

function words(value: string | null): string[] {
  if (!value) return [];
  return fold(value).split(/[\s,;/()"]+/).filter(Boolean);
}

function pieces(value: string): string[] {
  return value.split(/[._+\-']+/).filter(Boolean);
}

function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function searchTermsAt006(p: SearchableProfileAt006): string[] {
  const terms = new Set<string>();
  const add = (w: string) => {
    if (!w) return;
    terms.add(w.slice(0, TERM_MAX));
    const plain = unaccented(w);
    if (plain !== w) terms.add(plain.slice(0, TERM_MAX));
  };
  for (const w of [...words(p.givenName), ...words(p.familyName), ...words(p.displayName)]) {
    add(w);
    for (const piece of pieces(w)) add(piece);
  }
  const username = fold(p.username);
  add(username);
  for (const piece of pieces(username)) add(piece);
  const email = p.email ? fold(p.email) : '';
  add(email);
  const at = email.lastIndexOf('@');
  if (at > 0) {
    const local = email.slice(0, at);
    add(local);
    add(email.slice(at + 1));
    for (const piece of pieces(local)) add(piece);
  }
  if (p.phone) {
    const digits = phoneDigits(p.phone);
    for (let i = 0; i + MIN_PHONE_SUFFIX <= digits.length || i === 0; i++) if (digits.slice(i)) add(digits.slice(i));
  }
  return [...terms];
}
