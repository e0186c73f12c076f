// The invite form's address box: one or many addresses separated by ";", ",", spaces or
// new lines.
import { emailProblem, normalize } from '../users/user-validation.js';

export function splitAddresses(text: string | null | undefined): string[] {
  return String(text ?? '')
    .split(/[;,\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

export interface ParsedAddress {
  address: string;
  normalized: string;
  /** Why the address cannot be invited, or null. */
  problem: string | null;
}

export function parseAddress(address: string): ParsedAddress {
  const problem = emailProblem(address);
  return { address, normalized: normalize(address), problem };
}
