// externalId (RFC 7643 §3.1): the provisioning client's own identifier for an account.
// Case-exact; the server does not make it unique. Its declaration, and how the mapper reads
// and writes it, live here alone.
import type { UserView } from '../../src/users/user-presenter.js';
import type { ProfileInput } from '../../src/users/user-input.js';
import { attribute, type AttributeDef } from '../schema/attribute-def.js';

export const EXTERNAL_ID: AttributeDef = attribute('externalId', 'string', "An identifier for the resource as defined by the provisioning client.", {
  caseExact: true,
  sql: { column: 'u.external_id', normalized: 'u.external_id_normalized' },
});

export function externalIdOut(u: UserView): string | undefined {
  return u.externalId ?? undefined;
}

/** `clear`: what an omitted externalId becomes (null on PUT, undefined on create). */
export function externalIdIn(doc: Record<string, unknown>, clear: null | undefined): Pick<ProfileInput, 'externalId'> {
  return { externalId: typeof doc.externalId === 'string' ? doc.externalId : clear };
}
