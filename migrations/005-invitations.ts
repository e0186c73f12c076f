// Invitations and self-registration: the columns
// the invitations page shows (last sent, the inviter's label kept after the inviter is
// deleted, the account an accepted invitation became), email confirmation links, and the
// uploaded bulk-invitation files kept between their review and "Send all".
import { DataTypes, type QueryInterface } from 'sequelize';
import { references, serialKey, str, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '005-invitations',
  async up(qi: QueryInterface) {
    await qi.addColumn('invitations', 'sent_at', time());
    await qi.addColumn('invitations', 'invited_by_label', str(255));
    await qi.addColumn('invitations', 'accepted_user_id', str(36));
    await qi.addIndex('invitations', ['status', 'expires_at'], { name: 'invitations_status_expires' });

    await qi.createTable('email_confirmations', {
      id: serialKey(),
      user_id: references('users', 'CASCADE'),
      // 'registration' (self-registered, unconfirmed) | 'invitation' (accepted by shareable link)
      // | 'admin' (admin-added with "confirmed" off).
      purpose: str(16, false),
      token_hash: str(64, false),
      created_at: time(false),
      expires_at: time(false),
      used_at: time(),
    });
    await qi.addIndex('email_confirmations', ['token_hash'], { unique: true, name: 'email_confirmations_token_hash_unique' });
    await qi.addIndex('email_confirmations', ['user_id', 'expires_at'], { name: 'email_confirmations_user' });

    // A bulk CSV of 10,000 rows is about 600 kB: MySQL's TEXT holds 64 kB, so LONGTEXT there.
    const long = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
    await qi.createTable('invitation_batches', {
      id: uuidKey(),
      created_by: str(36),
      content: { type: long, allowNull: false },
      row_count: { type: DataTypes.INTEGER, allowNull: false },
      created_at: time(false),
      expires_at: time(false),
      sent_at: time(),
    });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('invitation_batches');
    await qi.dropTable('email_confirmations');
    await qi.removeIndex('invitations', 'invitations_status_expires');
    for (const column of ['accepted_user_id', 'invited_by_label', 'sent_at']) await qi.removeColumn('invitations', column);
  },
};
