// The whole SCIM User (RFC 7643 §4.1 core, §4.3 enterprise extension) kept as a directory
// sends it.
// - users gets a column for each single-valued attribute not stored before (name parts,
//   nickName, profileUrl, timezone, preferredLanguage apart from locale, the enterprise
//   organization, division, costCenter and the manager's displayName and $ref).
// - user_values holds every value of the multi-valued attributes (emails, phoneNumbers,
//   ims, photos, addresses, entitlements, roles, x509Certificates), one row per value in
//   the order sent, removed with the account. `value` is TEXT (certificates are long);
//   `value_key` is its lower-cased first 191 characters, so equality filters walk an index
//   within MariaDB's 3072-byte utf8mb4 key limit.
// - Every existing account's email and phone become its one "work", primary value: the
//   account's email and phone are always among its stored values.
import type { QueryInterface } from 'sequelize';
import { DataTypes } from 'sequelize';
import { int, references, serialKey, str, text, type Migration } from './columns.js';

/** The first characters of a lower-cased value that the equality index holds. */
export const VALUE_KEY_LENGTH = 191;

const NEW_USER_COLUMNS: ReadonlyArray<[string, number]> = [
  ['name_formatted', 255],
  ['middle_name', 255],
  ['honorific_prefix', 64],
  ['honorific_suffix', 64],
  ['nick_name', 255],
  ['profile_url', 1024],
  ['timezone', 64],
  ['preferred_language', 64],
  ['organization', 255],
  ['division', 255],
  ['cost_center', 255],
  ['manager_display_name', 255],
  ['manager_ref', 1024],
];

export const migration: Migration = {
  name: '014-user-values',
  async up(qi: QueryInterface) {
    for (const [column, length] of NEW_USER_COLUMNS) await qi.addColumn('users', column, str(length));
    await qi.createTable('user_values', {
      id: serialKey(),
      user_id: references('users', 'CASCADE'),
      // The SCIM attribute name in its canonical case ("emails", "phoneNumbers", …).
      attribute: str(32, false),
      position: int(false),
      type: str(255),
      // NULL when the client did not say.
      is_primary: { type: DataTypes.BOOLEAN, allowNull: true },
      display: str(1024),
      value: text(),
      value_normalized: text(),
      value_key: str(VALUE_KEY_LENGTH),
      // addresses' sub-attributes (RFC 7643 §4.1.2); formatted and streetAddress keep their line breaks.
      formatted: text(),
      street_address: text(),
      locality: str(255),
      region: str(255),
      postal_code: str(255),
      country: str(255),
    });
    await qi.addIndex('user_values', ['user_id', 'attribute', 'position'], { name: 'user_values_user' });
    await qi.addIndex('user_values', ['attribute', 'value_key'], { name: 'user_values_value' });
    const sequelize = qi.sequelize;
    await sequelize.query(
      `INSERT INTO user_values (user_id, attribute, position, type, is_primary, value, value_normalized, value_key)
       SELECT id, 'emails', 0, 'work', 1, email, email_normalized, SUBSTR(email_normalized, 1, ${VALUE_KEY_LENGTH}) FROM users WHERE email IS NOT NULL`,
    );
    await sequelize.query(
      `INSERT INTO user_values (user_id, attribute, position, type, is_primary, value, value_normalized, value_key)
       SELECT id, 'phoneNumbers', 0, 'work', 1, phone, LOWER(phone), SUBSTR(LOWER(phone), 1, ${VALUE_KEY_LENGTH}) FROM users WHERE phone IS NOT NULL`,
    );
    // preferredLanguage and locale were one field: accounts keep answering what they did.
    await sequelize.query('UPDATE users SET preferred_language = locale WHERE locale IS NOT NULL');
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('user_values');
    for (const [column] of NEW_USER_COLUMNS) await qi.removeColumn('users', column);
  },
};
