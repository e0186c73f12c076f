// Directory sync and CSV import:
// the LDAP settings, the link between synced accounts and their directory entries (the DN
// an LDAP bind at sign-in uses, and the fingerprint that lets an unchanged entry be
// skipped without a write), the lease that keeps one sync runner across processes, the
// kept reports of every sync and import with their row-level messages, and uploaded CSV
// files kept in chunks between preview and import (several processes share them).
import type { QueryInterface } from 'sequelize';
import { int, references, str, text, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '008-directory',
  async up(qi: QueryInterface) {
    await qi.createTable('ldap_config', {
      // One row, 'default': the settings page edits it.
      id: { ...str(16, false), primaryKey: true },
      // JSON of the non-secret settings (src/directory/ldap-settings.ts).
      settings: text(false),
      // The bind password, sealed with the SecretBox (src/crypto/secret-box.ts).
      bind_secret: text(),
      updated_at: time(false),
    });

    await qi.createTable('ldap_accounts', {
      user_id: { ...references('users', 'CASCADE'), primaryKey: true },
      // DNs may exceed any indexable length; they are only read by user id.
      dn: str(1024, false),
      // SHA-256 of the mapped attributes last applied, and the account's version then: an
      // entry with the same fingerprint and an account not changed since is skipped.
      fingerprint: str(64, false),
      user_version: int(false, 0),
      // Set when the sync deactivated the account because the entry was missing; only
      // those accounts are reactivated when the entry comes back.
      missing_since: time(),
      synced_at: time(false),
    });

    await qi.createTable('directory_leases', {
      name: { ...str(64, false), primaryKey: true },
      // "<host>|<pid>|<nonce>" of the runner holding it, null when free.
      holder: str(255),
      expires_at: time(),
      acquired_at: time(),
    });

    await qi.createTable('directory_runs', {
      id: uuidKey(),
      kind: str(8, false), // ldap | csv
      // csv: previewed -> running -> completed | failed | interrupted;
      // ldap: running -> completed | failed | interrupted.
      status: str(16, false),
      trigger: str(16, false), // page | schedule | cli
      actor_label: str(255, false),
      created_by: str(36),
      file_name: str(255),
      total: int(false, 0),
      processed: int(false, 0),
      created: int(false, 0),
      updated: int(false, 0),
      unchanged: int(false, 0),
      reactivated: int(false, 0),
      deactivated: int(false, 0),
      blocked: int(false, 0),
      failed: int(false, 0),
      invalid: int(false, 0),
      // Why a run failed, or warnings (JSON list of strings).
      message: text(),
      warnings: text(),
      created_at: time(false),
      started_at: time(),
      finished_at: time(),
      heartbeat_at: time(),
    });
    await qi.addIndex('directory_runs', ['kind', 'created_at'], { name: 'directory_runs_kind_created' });

    await qi.createTable('directory_run_rows', {
      run_id: { ...references('directory_runs', 'CASCADE'), primaryKey: true },
      seq: { ...int(false), primaryKey: true },
      // The file line or the directory position of the row.
      position: int(false),
      // preview: create | update | unchanged | invalid | blocked; result: created | updated |
      // reactivated | deactivated | blocked | failed.
      phase: str(8, false),
      outcome: str(16, false),
      label: str(500),
      message: text(),
    });

    await qi.createTable('directory_upload_chunks', {
      run_id: { ...references('directory_runs', 'CASCADE'), primaryKey: true },
      seq: { ...int(false), primaryKey: true },
      // At most 16,000 characters: within MySQL's 64 kB TEXT even at 4 bytes a character.
      content: text(false),
    });
  },
  async down(qi: QueryInterface) {
    for (const table of ['directory_upload_chunks', 'directory_run_rows', 'directory_runs', 'directory_leases', 'ldap_accounts', 'ldap_config']) await qi.dropTable(table);
  },
};
