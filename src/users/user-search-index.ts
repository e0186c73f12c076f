// Keeps each account's search terms (src/users/user-search-terms.ts) in step with its
// profile, inside the transaction that writes the profile.
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import { insertInto, type Statement } from '../db/sql.js';
import { searchTermsOf, type SearchableProfile } from './user-search-terms.js';

export class UserSearchIndex {
  constructor(private readonly models: Models) {}

  /** Writes the account's terms; `fresh` for a new account (nothing to remove first). */
  async replace(tx: TxContext, userId: string, profile: SearchableProfile, fresh = false): Promise<void> {
    if (!fresh) await this.models.UserSearchTerm.destroy({ where: { userId }, transaction: tx.transaction });
    await this.models.sql.writeAll(this.insertStatements(userId, profile), tx);
  }

  /** The INSERT of the account's terms, for an account that has none yet (none when there are no terms). */
  insertStatements(userId: string, profile: SearchableProfile): Statement[] {
    const terms = searchTermsOf(profile);
    if (!terms.length) return [];
    const insert = insertInto(this.models.UserSearchTerm, terms.map((term) => ({ userId, term })));
    return [{ sql: insert.statement, params: insert.params }];
  }
}
