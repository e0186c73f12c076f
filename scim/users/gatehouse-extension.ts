// Gatehouse's own User extension: what an account has that neither the core User nor the
// enterprise extension carries. `accessEndsAt` is the access end date (UTC): the account is
// deactivated then. It is declared once here, so /Schemas lists it, inbound validation
// checks its type, PATCH finds it and filters reach its column.
//
// Directories that do not know the extension never send it: a PUT without it leaves the
// date as it is (as userType and active); a PUT carrying the extension replaces it whole,
// and a PATCH "remove" of the attribute clears the date.
import { attribute, type SchemaDef } from '../schema/attribute-def.js';
import { GATEHOUSE_USER_URN } from '../urns.js';

/** A SCIM resource as parsed JSON (declared here too, so the mapper's file is not imported back). */
type Json = Record<string, unknown>;

export const GATEHOUSE_SCHEMA: SchemaDef = {
  id: GATEHOUSE_USER_URN,
  name: 'GatehouseUser',
  description: 'Gatehouse account attributes',
  attributes: [
    attribute('accessEndsAt', 'dateTime', "When the account's access ends (an instant, UTC when no offset is given): it is deactivated then, and reminders go out before. Absent: no end date. An account ended by its date is reactivated (active=true) only when the same request moves or clears this date.", {
      sql: { column: 'u.access_ends_at' },
    }),
  ],
};

/** The extension's body for an account, or undefined when it has nothing to say. */
export function gatehouseExtensionOut(u: { accessEndsAt: Date | null }): Json | undefined {
  return u.accessEndsAt ? { accessEndsAt: u.accessEndsAt.toISOString() } : undefined;
}

/** Whether a raw request body carries the extension (as an object or flattened keys). */
export function carriesGatehouseExtension(raw: Json): boolean {
  const urn = GATEHOUSE_USER_URN.toLowerCase();
  return Object.keys(raw).some((k) => k.toLowerCase() === urn || k.toLowerCase().startsWith(urn + ':'));
}

/**
 * The end date a validated document asks for: a Date, null (clear) when the extension is
 * there without it and `present` says so, else undefined (leave it).
 */
export function accessEndIn(doc: Json, present: boolean): Date | null | undefined {
  const ext = doc[GATEHOUSE_USER_URN] as Json | undefined;
  const value = ext?.accessEndsAt;
  if (typeof value === 'string') return new Date(value);
  return present ? null : undefined;
}
