import { DomainError } from '../errors.js';

/** A backup or restore that cannot go ahead, saying why and what to do instead. */
export class BackupRefused extends DomainError {
  constructor(message: string) {
    super('backup_refused', message, 409);
  }
}

export const refused = (why: string): BackupRefused => new BackupRefused(why);
