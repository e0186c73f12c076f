// The organization settings: each key, its type and, for choices, the values allowed.
// Below both the settings service (which stores them) and their validation (which checks
// a change), so neither imports the other's file for the shape.

/** Who must use a passkey (passkey-policy.ts decides per account). */
export const PASSKEY_POLICIES = ['allowed', 'second_factor', 'passkey_only'] as const;
export type PasskeyPolicy = (typeof PASSKEY_POLICIES)[number];

export interface Settings {
  organizationName: string;
  invitationExpiryHours: number;
  registrationMode: 'off' | 'open' | 'domains';
  registrationDomains: string[];
  registrationDefaultRoles: string[];
  invitationDefaultRoles: string[];
  requireEmailConfirmation: boolean;
  /** Minutes of inactivity after which an admin/account page session ends. */
  sessionIdleMinutes: number;
  /** Absolute lifetime of a sign-in session, in hours. */
  sessionLifetimeHours: number;
  /** TOTP requirement: nobody, everyone, or holders of the listed role ids. */
  totpRequired: 'off' | 'all' | 'roles';
  totpRequiredRoleIds: string[];
  /**
   * Passkeys: allowed for everyone; for holders of the chosen roles, required as the
   * second factor after a password, or the only way to sign in (passkey-policy.ts).
   */
  passkeyPolicy: PasskeyPolicy;
  passkeyPolicyRoleIds: string[];
  /**
   * How accounts provisioned by a directory (SCIM) sign in: through an
   * upstream identity provider, a set-password link mailed on creation, or the SCIM
   * `password` attribute (hashed, never returned). The default is the one mode that works
   * with no further setup for directories that send passwords (Okta); Entra ID never sends
   * one, so deployments provisioning from Entra choose `upstream` or `activation_email`.
   */
  provisionedCredentialMode: 'upstream' | 'activation_email' | 'scim_password';
  /** The organization's time zone (IANA name): the admin pages and reports show times in it. */
  timeZone: string;
  /** Days before an access end date the first and the last reminder go out (0: not sent). */
  accessEndFirstReminderDays: number;
  accessEndLastReminderDays: number;
  /** Whether the person whose access ends gets the reminders too. */
  accessEndRemindPerson: boolean;
  /** The phone number on the invitation accept page: not asked, optional, or required and proven by a code sent by SMS. */
  phoneAtAcceptance: 'off' | 'optional' | 'verified';
  /** Regions (ISO 3166-1 alpha-2) codes may be sent to; empty: every region. Guards against SMS pumping to premium numbers. */
  phoneCodeCountries: string[];
}
