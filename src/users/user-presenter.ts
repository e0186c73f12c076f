// The only shape of a user that leaves the users service (nothing leaves without a presenter): no password
// hash, no normalised columns.
import type { RoleRef } from '../roles/role-service.js';
import type { DirectoryField, UserAttributes } from './user-model.js';
import type { ExternalIdRef } from '../connections/external-ids.js';

export interface UserView extends Record<DirectoryField, string | null> {
  id: string;
  username: string;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  name: string;
  phone: string | null;
  /** The phone was proven by a code sent to it (and has not changed since). */
  phoneVerified: boolean;
  department: string | null;
  title: string | null;
  employeeNumber: string | null;
  manager: string | null;
  gender: string | null;
  birthdate: string | null;
  locale: string | null;
  /** One per provisioning connection that keeps one (a directory reads only its own). */
  externalIds: ExternalIdRef[];
  kind: UserAttributes['kind'];
  source: UserAttributes['source'];
  status: UserAttributes['status'];
  emailVerified: boolean;
  hasPassword: boolean;
  totpEnabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt: Date | null;
  deactivatedAt: Date | null;
  deactivationReason: string | null;
  /** When access ends by itself (UTC), or null. */
  accessEndsAt: Date | null;
  roles: Array<{ id: string; name: string; builtin: string | null }>;
}

/** An account as a password sign-in sees it (UserService.findForSignIn). */
export type SignInAccount = Pick<UserView, 'id' | 'username' | 'status' | 'source'> & { totpEnabled: boolean };

/** What OIDC claims are made of (UserService.findActiveForClaims). */
export type ClaimsProfile = Pick<UserView, 'id' | 'email' | 'emailVerified' | 'name' | 'givenName' | 'familyName' | 'locale' | 'phone' | 'phoneVerified'>;

/**
 * The address of an account made on a path that requires one (setup, admin add,
 * registration, invitations, upstream sign-in). Only directories make accounts without an
 * address, so a missing one here is a broken invariant, not a case to handle.
 */
export function addressOf(u: Pick<UserView, 'email' | 'username'>): string {
  if (u.email === null) throw new Error(`The account ${u.username} has no email address, yet was made on a path that requires one.`);
  return u.email;
}

export function displayNameOf(u: Pick<UserAttributes, 'displayName' | 'givenName' | 'familyName' | 'username'>): string {
  return u.displayName || [u.givenName, u.familyName].filter(Boolean).join(' ') || u.username;
}

export function presentUser(u: UserAttributes, roles: readonly RoleRef[], externalIds: readonly ExternalIdRef[] = []): UserView {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    givenName: u.givenName,
    familyName: u.familyName,
    displayName: u.displayName,
    name: displayNameOf(u),
    phone: u.phone,
    phoneVerified: u.phone !== null && u.verifiedPhone === u.phone,
    department: u.department,
    title: u.title,
    employeeNumber: u.employeeNumber,
    manager: u.manager,
    gender: u.gender,
    birthdate: u.birthdate,
    locale: u.locale,
    externalIds: [...externalIds],
    nameFormatted: u.nameFormatted,
    middleName: u.middleName,
    honorificPrefix: u.honorificPrefix,
    honorificSuffix: u.honorificSuffix,
    nickName: u.nickName,
    profileUrl: u.profileUrl,
    timezone: u.timezone,
    preferredLanguage: u.preferredLanguage,
    organization: u.organization,
    division: u.division,
    costCenter: u.costCenter,
    managerDisplayName: u.managerDisplayName,
    managerRef: u.managerRef,
    kind: u.kind,
    source: u.source,
    status: u.status,
    emailVerified: !!u.emailVerified,
    hasPassword: !!u.passwordHash,
    totpEnabled: !!u.totpEnabledAt,
    version: u.version,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    lastSignInAt: u.lastSignInAt,
    deactivatedAt: u.deactivatedAt,
    deactivationReason: u.deactivationReason,
    accessEndsAt: u.accessEndsAt ?? null,
    roles: roles.map((r) => ({ id: r.id, name: r.name, builtin: r.builtin })),
  };
}
