// backup / export and restore: the whole database to a portable file and back, on the
// database alone (no services: a restore must find the target as migrations left it).
import type { Config } from '../../config/index.js';
import type { Database } from '../db/database.js';
import { ValidationError } from '../errors.js';
import { writeBackup } from '../backup/backup-writer.js';
import { restoreBackup } from '../backup/backup-restore.js';
import type { DatabaseCommand } from './command.js';

const KEYS_WARNING = `Warning: this backup holds the stored encryption and cookie keys: with it, anyone can read the
TOTP secrets, signing keys and directory passwords in it. Keep it encrypted (e.g. age or gpg
--symmetric) where only operators reach it, and delete copies you no longer need. Better: set
ENCRYPTION_KEY in production, so backups never need to carry the key.
`;

const STORED_KEY_NOTE = `Note: this Gatehouse keeps its encryption key in the database (ENCRYPTION_KEY is not set), and
the backup leaves it out: the signing keys and TOTP secrets in it open only with that key, so a
restore of this file is refused. Back up with --include-keys to move this instance, or set
ENCRYPTION_KEY (README) before relying on key-less backups.
`;

const backup: DatabaseCommand = {
  usage: '--out FILE [--include-keys]',
  summary: 'Write the whole database to FILE (JSON lines, mode 0600; portable between SQLite and MariaDB). The stored encryption and cookie keys are left out unless --include-keys.',
  options: { out: { type: 'string' }, 'include-keys': { type: 'boolean' } },
  async runOnDatabase(db: Database, config: Readonly<Config>, values) {
    const out = typeof values.out === 'string' ? values.out : undefined;
    if (!out) throw new ValidationError({ out: 'Name the file to write with --out FILE.' });
    const includeKeys = values['include-keys'] === true;
    const summary = await writeBackup(db, out, { includeKeys, encryptionKeyConfigured: !!config.encryptionKey, now: new Date() });
    if (includeKeys) process.stderr.write(KEYS_WARNING);
    else if (!config.encryptionKey) process.stderr.write(STORED_KEY_NOTE);
    return `Wrote ${summary.rows} rows of ${summary.tables} tables to ${out} (migration ${summary.header.migrations.at(-1)}, keys ${summary.header.keys}).`;
  },
};

const restore: DatabaseCommand = {
  usage: 'FILE',
  summary: 'Restore a backup into an empty database (new, migrated to the same level); all or nothing. Stop Gatehouse first.',
  options: {},
  async runOnDatabase(db: Database, config: Readonly<Config>, _values, [file]) {
    if (!file) throw new ValidationError({ file: 'Name the backup file to restore.' });
    const summary = await restoreBackup(db, file, { encryptionKey: config.encryptionKey });
    const lines = [`Restored ${summary.rows} rows of ${summary.tables} tables from ${file} (made ${summary.header.createdAt} on ${summary.header.sourceDialect}).`];
    if (config.encryptionKey) lines.push('Secrets are sealed with ENCRYPTION_KEY: keep it set for this Gatehouse.');
    if (summary.header.keys === 'excluded') lines.push('The cookie keys were not in the backup: new ones are made at the next start, so everyone signs in again.');
    return lines.join('\n');
  },
};

export const BACKUP_COMMANDS: Record<string, DatabaseCommand> = { backup, export: backup, restore };
