// A number a person types on a page (a country code and a number, or a number starting
// with +) as E.164 with its region, checked by libphonenumber's numbering plans: a code is
// only ever sent to a number that can exist, and the region decides the country allow-list.
import lpn from 'google-libphonenumber';
import { composePhone } from '../users/user-validation.js';

const util = lpn.PhoneNumberUtil.getInstance();

export interface ParsedPhone {
  /** +<country code><national number>, digits only. */
  e164: string;
  /** ISO 3166-1 alpha-2 region the number belongs to ("GB", "US"), or "001" for non-geographic numbers. */
  region: string;
}

/** The number as E.164 and its region, or null when no numbering plan has it. */
export function parsePhone(countryCode: string, number: string): ParsedPhone | null {
  if (!number.trim() || number.length > 64 || countryCode.length > 8) return null;
  if (!number.trim().startsWith('+') && !/\d/.test(countryCode)) return null;
  const composed = composePhone(countryCode, number);
  try {
    const parsed = util.parse(composed);
    if (!util.isValidNumber(parsed)) return null;
    return { e164: util.format(parsed, lpn.PhoneNumberFormat.E164), region: util.getRegionCodeForNumber(parsed) ?? 'ZZ' };
  } catch {
    return null;
  }
}

/** Every region libphonenumber knows (the allow-list setting is checked against it). */
export function knownRegions(): string[] {
  return util.getSupportedRegions();
}
