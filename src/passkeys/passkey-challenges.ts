// The challenges of WebAuthn ceremonies, kept server-side with what asked for them (an
// interaction, a page session) and never in the browser. A challenge is used up by a
// conditional delete: it answers once, only for its own binding and purpose, and only
// until it expires — two replays racing each other cannot both succeed.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';

/** How long a ceremony may take, from the options to the answer. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export type CeremonyPurpose = 'register' | 'authenticate';

export class PasskeyChallenges {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async store(challenge: string, purpose: CeremonyPurpose, binding: string, userId: string | null): Promise<void> {
    const now = this.clock.now();
    // Expired ones of anyone go with each new one, so the table stays the size of the ceremonies in progress.
    await this.models.WebAuthnChallenge.destroy({ where: { expiresAt: { [Op.lte]: now } } });
    await this.models.WebAuthnChallenge.create({ challenge, purpose, binding, userId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  }

  /** True once for a stored, unexpired challenge of this binding and purpose; false ever after. */
  async consume(challenge: string, purpose: CeremonyPurpose, binding: string, userId: string | null): Promise<boolean> {
    if (typeof challenge !== 'string' || !challenge || challenge.length > 128) return false;
    const removed = await this.models.WebAuthnChallenge.destroy({
      where: { challenge, purpose, binding, userId, expiresAt: { [Op.gt]: this.clock.now() } },
    });
    return removed === 1;
  }
}
