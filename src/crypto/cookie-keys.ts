// Cookie signing keys: from COOKIE_KEYS, else generated once and shared through the
// database so every process signs and verifies alike.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';

/** The settings row holding the generated cookie keys when COOKIE_KEYS is not set. */
export const COOKIE_KEYS_SETTING = 'internal.cookieKeys';

export async function loadCookieKeys(models: Models, clock: Clock, configured: readonly string[]): Promise<string[]> {
  if (configured.length) return [...configured];
  const fresh = JSON.stringify([randomBytes(32).toString('base64url')]);
  await models.Setting.findOrCreate({ where: { key: COOKIE_KEYS_SETTING }, defaults: { key: COOKIE_KEYS_SETTING, value: fresh, updatedAt: clock.now() } });
  const row = await models.Setting.findByPk(COOKIE_KEYS_SETTING);
  return JSON.parse(row!.value) as string[];
}
