// Wiring of the directory services (LDAP sync, its schedule and sign-in verifier, CSV
// import), filled in by src/services.ts. They reach accounts only through the users service.
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { Logger } from '../logger.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { RoleService } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import type { DirectoryStateWriter } from '../users/directory-state.js';
import type { UserService } from '../users/user-service.js';
import { AccountBatchCreator } from '../users/account-batch.js';
import { CsvImportService } from './csv-import-service.js';
import { CsvRowWriter } from './csv-row-writer.js';
import { DirectoryLease, LEASE_TTL_MS } from './lease.js';
import type { LdapClientOptions } from './ldap-client.js';
import { LdapEntryWriter } from './ldap-entry-writer.js';
import { LdapPasswordVerifier } from './ldap-password-verifier.js';
import { LdapSettingsService } from './ldap-settings-service.js';
import { LdapSyncService } from './ldap-sync-service.js';
import { DirectoryRunService } from './sync-report.js';
import { LdapSyncScheduler } from './sync-scheduler.js';

import type { ConnectionService } from '../connections/connection-service.js';
export interface DirectoryServices {
  ldapSettings: LdapSettingsService;
  ldapSync: LdapSyncService;
  ldapScheduler: LdapSyncScheduler;
  /** Checks directory passwords of LDAP-synced accounts at sign-in. */
  ldapVerifier: LdapPasswordVerifier;
  runs: DirectoryRunService;
  csvImport: CsvImportService;
  /** Creates the new accounts of an import a chunk at a time. */
  accountBatch: AccountBatchCreator;
}

export interface DirectoryDeps {
  models: Models;
  users: UserService;
  roles: RoleService;
  seats: SeatService;
  /** The one door through which a directory changes an existing account. */
  directoryState: DirectoryStateWriter;
  connections: ConnectionService;
  audit: AuditService;
  secrets: () => Promise<SecretBox>;
  clock: Clock;
  transactions: TransactionRunner;
  logger: Logger;
  /** LDAP_BIND_PASSWORD: overrides the password stored on the settings page. */
  ldapBindPassword: string | null;
  /** The organization's time zone, in which a CSV file's end dates are read. */
  timeZone: () => Promise<string>;
  clientOptions?: LdapClientOptions;
}

export function createDirectoryServices(d: DirectoryDeps): DirectoryServices {
  const runs = new DirectoryRunService(d.models, d.clock);
  // New accounts from a file or a directory are created a chunk at a time, by the accounts core's rules.
  const batch = new AccountBatchCreator(d.models, d.users, d.roles, d.seats, d.audit, d.clock, d.transactions);
  const ldapSettings = new LdapSettingsService(d.models, d.roles, d.audit, d.secrets, d.clock, d.transactions, d.ldapBindPassword, d.clientOptions);
  const writer = new LdapEntryWriter(d.models, d.users, d.directoryState, d.seats, d.clock, d.transactions, d.connections);
  const ldapSync = new LdapSyncService(writer, ldapSettings, d.roles, runs, new DirectoryLease(d.models, d.clock, LEASE_TTL_MS, d.transactions), d.audit, d.clock, d.logger, d.clientOptions);
  return {
    ldapSettings,
    ldapSync,
    ldapScheduler: new LdapSyncScheduler(ldapSync, ldapSettings, runs, d.clock, d.logger),
    ldapVerifier: new LdapPasswordVerifier(d.models, ldapSettings, d.clientOptions),
    runs,
    accountBatch: batch,
    csvImport: new CsvImportService(d.models, new CsvRowWriter(d.models, d.users, d.roles, d.directoryState, d.connections, batch), d.roles, d.seats, d.audit, runs, d.clock, d.logger, d.timeZone),
  };
}
