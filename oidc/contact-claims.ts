// The OIDC `address` and `phone` scopes' claims (OIDC Core §5.1, §5.1.1, §5.4) from what the
// account stores: the primary postal address as SCIM describes one (RFC 7643 §4.1.2), and the
// account's phone number. A claim the account has no value for is left out, never invented.

/** A stored postal address, with SCIM's sub-attribute names. */
export interface StoredAddress {
  formatted?: string | null;
  streetAddress?: string | null;
  locality?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  primary?: boolean | null;
}

/** OIDC Core §5.1.1: the address claim's members. */
export interface AddressClaim {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

const ADDRESS_MEMBERS: ReadonlyArray<[keyof StoredAddress, keyof AddressClaim]> = [
  ['formatted', 'formatted'],
  ['streetAddress', 'street_address'],
  ['locality', 'locality'],
  ['region', 'region'],
  ['postalCode', 'postal_code'],
  ['country', 'country'],
];

/**
 * The address claim, or null when the address has nothing to say. Line breaks in `formatted`
 * and `street_address` are kept: §5.1.1 lets both span lines.
 */
export function addressClaim(address: StoredAddress | null): AddressClaim | null {
  if (!address) return null;
  const claim: AddressClaim = {};
  for (const [from, to] of ADDRESS_MEMBERS) {
    const value = address[from];
    if (typeof value === 'string' && value.trim() !== '') claim[to] = value;
  }
  return Object.keys(claim).length ? claim : null;
}

/**
 * phone_number as stored (pages keep E.164, directories' values as given) and
 * phone_number_verified: true only while the number is the one the person proved by a code
 * sent to it (a directory's or an admin's number is not proven).
 */
export function phoneClaims(phone: string | null, verified = false): { phone_number?: string; phone_number_verified?: boolean } {
  if (!phone || phone.trim() === '') return {};
  return { phone_number: phone, phone_number_verified: verified };
}
