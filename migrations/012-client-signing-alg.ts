// New clients sign their ID tokens with RS256 (OIDC Registration §2's default); clients
// registered before were given ES256 when they named none. This writes every existing
// client's algorithm into its metadata explicitly, so a default changing can never change
// the signature an application already verifies. Data only: the schema is unchanged.
import type { QueryInterface } from 'sequelize';
import { QueryTypes } from 'sequelize';
import type { Migration } from './columns.js';

/** What a client without an explicit algorithm was signed with before this migration. */
export const PREVIOUS_DEFAULT_ALG = 'ES256';

interface ClientRow {
  client_id: string;
  metadata: string;
}

export const migration: Migration = {
  name: '012-client-signing-alg',
  async up(qi: QueryInterface) {
    const rows = await qi.sequelize.query<ClientRow>('SELECT client_id, metadata FROM oidc_clients ORDER BY client_id', { type: QueryTypes.SELECT });
    for (const row of rows) {
      const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
      if (typeof metadata.id_token_signed_response_alg === 'string' && metadata.id_token_signed_response_alg) continue;
      metadata.id_token_signed_response_alg = PREVIOUS_DEFAULT_ALG;
      await qi.sequelize.query('UPDATE oidc_clients SET metadata = :metadata WHERE client_id = :id', { replacements: { metadata: JSON.stringify(metadata), id: row.client_id } });
    }
  },
  // Nothing to undo: an explicit algorithm means the same as the default it replaced.
  async down() {},
};
