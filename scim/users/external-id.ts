// externalId (RFC 7643 §3.1): the provisioning client's own identifier for an account.
// Case-exact; the server does not make it unique; a client sees its own connection's value
// only (the Users query joins the calling connection's row as `ux`). Its declaration, and how the mapper reads
// and writes it, live here alone.
import type { ConnectionUserView } from './connection-view.js';
import type { ProfileInput } from '../../src/users/user-input.js';
import { attribute, type AttributeDef } from '../schema/attribute-def.js';

export const EXTERNAL_ID: AttributeDef = attribute('externalId', 'string', "An identifier for the resource as defined by the provisioning client.", {
  caseExact: true,
  sql: { column: 'ux.external_id', normalized: 'ux.external_id_normalized' },
});

export function externalIdOut(u: ConnectionUserView): string | undefined {
  return u.externalId ?? undefined;
}

/** `clear`: what an omitted externalId becomes (null on PUT, undefined on create). */
export function externalIdIn(doc: Record<string, unknown>, clear: null | undefined): Pick<ProfileInput, 'externalId'> {
  return { externalId: typeof doc.externalId === 'string' ? doc.externalId : clear };
}
