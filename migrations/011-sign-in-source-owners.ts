// Who configured each sign-in source: an
// upstream provider links an asserted email only to accounts its configuring admin could
// change (their permissions at sign-in time), and the LDAP settings record who last saved
// them. A provider may also be marked as enforcing a second factor itself, so Gatehouse
// does not ask for its own after that provider's sign-in.
import type { QueryInterface } from 'sequelize';
import { bool, str, type Migration } from './columns.js';

export const migration: Migration = {
  name: '011-sign-in-source-owners',
  async up(qi: QueryInterface) {
    // A user id, deliberately not a foreign key: a deleted configurer must stay recorded so
    // that its provider stops linking, instead of turning into "no configurer". Null: added
    // with no acting account (command line), or before configurers were recorded.
    await qi.addColumn('upstream_providers', 'configured_by', str(36));
    await qi.addColumn('upstream_providers', 'enforces_second_factor', bool(false));
    await qi.addColumn('ldap_config', 'configured_by', str(36));
  },
  async down(qi: QueryInterface) {
    await qi.removeColumn('ldap_config', 'configured_by');
    await qi.removeColumn('upstream_providers', 'enforces_second_factor');
    await qi.removeColumn('upstream_providers', 'configured_by');
  },
};
