// What the users list searches and sorts by (search by name, email or
// phone). Each account keeps a list of lower-cased words — its names, username, email
// (whole, local part, domain and their pieces) and the digits of its phone — and a search
// matches a word by prefix, which is an index range on both dialects (an infix LIKE reads
// every row). Phone digits are also kept from every position (length ≥ 4), so a number
// typed without its country code, or only its last digits, is found too.
import { displayNameOf } from './user-presenter.js';

export interface SearchableProfile {
  username: string;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  phone: string | null;
}

/** Longest term stored (the column is 100 characters); longer words match by their start. */
export const TERM_MAX = 100;
const MIN_PHONE_SUFFIX = 4;
/** A search uses at most this many words (each is one index range). */
export const MAX_SEARCH_WORDS = 5;

export function fold(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

/** Without accents: "José" is found by "jose" on SQLite too (MySQL's collation ignores them). */
function unaccented(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

/** The lower-cased display name the list sorts by (users.sort_name). */
export function sortNameOf(p: Pick<SearchableProfile, 'displayName' | 'givenName' | 'familyName' | 'username'>): string {
  return fold(displayNameOf(p)).slice(0, 255);
}

function words(value: string | null): string[] {
  if (!value) return [];
  return fold(value).split(/[\s,;/()"]+/).filter(Boolean);
}

function pieces(value: string): string[] {
  return value.split(/[._+\-']+/).filter(Boolean);
}

export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function searchTermsOf(p: SearchableProfile): string[] {
  const terms = new Set<string>();
  const add = (w: string) => {
    if (!w) return;
    terms.add(w.slice(0, TERM_MAX));
    const plain = unaccented(w);
    if (plain !== w) terms.add(plain.slice(0, TERM_MAX));
  };
  for (const w of [...words(p.givenName), ...words(p.familyName), ...words(p.displayName)]) {
    add(w);
    // "Anne-Marie" and "O'Neil" are also found by "marie" and "neil".
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

/** A search as the list runs it: each word must start one of the account's terms. */
export interface SearchQuery {
  words: string[];
}

/**
 * Splits what an admin typed into prefixes to look up. A query made only of phone
 * characters ("+44 20 7946 0958", "020 7946") is one number: its digits, without the
 * trunk zero a national number starts with.
 */
export function parseSearch(input: string | null | undefined): SearchQuery | null {
  const text = (input ?? '').trim();
  if (!text) return null;
  if (/^[+\d\s().-]+$/.test(text) && phoneDigits(text).length >= 3) {
    const digits = phoneDigits(text);
    return { words: [(text.startsWith('+') ? digits : digits.replace(/^0+/, '') || digits).slice(0, TERM_MAX)] };
  }
  const list = [...new Set(words(text).map((w) => unaccented(w).slice(0, TERM_MAX)))].slice(0, MAX_SEARCH_WORDS);
  return list.length ? { words: list } : null;
}
