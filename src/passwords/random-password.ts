// "RANDOM button: create a random password": 100 bits from the CSPRNG, in
// groups of letters and digits that are easy to read aloud and type (no 0/O, 1/l/I).
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32 symbols: 5 bits each

export function randomPassword(groups = 4, groupLength = 5): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < groupLength; i++) part += ALPHABET[randomInt(ALPHABET.length)];
    parts.push(part);
  }
  return parts.join('-');
}
