// Email changes made by someone else (docs/permissions.md): such a change is announced to
// the old address, and the new one is unverified until confirmed. Each row is one mailed
// "it wasn't me" link to an old address: the notice of the change itself, and one more for
// every password reset asked in the seven days after it. The link restores the old address
// and ends every session; only its SHA-256 is kept. Also an index to count the outbox's
// recent mail to one address (password-reset notices).
import type { QueryInterface } from 'sequelize';
import { references, serialKey, str, time, type Migration } from './columns.js';

export const migration: Migration = {
  name: '010-email-changes',
  async up(qi: QueryInterface) {
    await qi.createTable('email_changes', {
      id: serialKey(),
      user_id: references('users', 'CASCADE'),
      old_email: str(320, false),
      new_email: str(320, false),
      // Who changed it, readable after that account is gone.
      changed_by_label: str(255, false),
      changed_at: time(false),
      // 'change' (the notice of the change) | 'reset' (a password reset asked meanwhile).
      mailed_for: str(16, false),
      restore_token_hash: str(64, false),
      created_at: time(false),
      restored_at: time(),
    });
    await qi.addIndex('email_changes', ['restore_token_hash'], { unique: true, name: 'email_changes_token_unique' });
    await qi.addIndex('email_changes', ['user_id', 'changed_at'], { name: 'email_changes_user' });
    // A reset asked for an unknown address mails that address a notice, at most a few per
    // half hour: counted by address in the outbox, which must not mean reading all of it.
    await qi.addIndex('mail_outbox', ['to_address', 'created_at'], { name: 'mail_outbox_to_created' });
  },
  async down(qi: QueryInterface) {
    await qi.removeIndex('mail_outbox', 'mail_outbox_to_created');
    await qi.dropTable('email_changes');
  },
};
