// Encrypts secrets kept at rest (signing keys, TOTP secrets, directory bind passwords) with
// AES-256-GCM. The key comes from ENCRYPTION_KEY; without it a key is generated once and
// stored in the database, which keeps the format uniform but protects only against leaks
// of single columns — production should set ENCRYPTION_KEY (README).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Models } from '../db/models.js';
import type { Clock } from '../clock.js';

const PREFIX = 'v1:';
/** The settings row holding the generated key when ENCRYPTION_KEY is not set. */
export const STORED_KEY = 'internal.encryptionKey';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static async create(models: Models, clock: Clock, configured: string | null): Promise<SecretBox> {
    if (configured) return new SecretBox(decodeKey(configured));
    const existing = await models.Setting.findByPk(STORED_KEY);
    if (existing) return new SecretBox(Buffer.from(JSON.parse(existing.value) as string, 'base64'));
    const key = randomBytes(32);
    // Two processes starting at once: the first insert wins and both use its key.
    await models.Setting.findOrCreate({ where: { key: STORED_KEY }, defaults: { key: STORED_KEY, value: JSON.stringify(key.toString('base64')), updatedAt: clock.now() } });
    const stored = await models.Setting.findByPk(STORED_KEY);
    return new SecretBox(Buffer.from(JSON.parse(stored!.value) as string, 'base64'));
  }

  /** A box for a key as ENCRYPTION_KEY or the stored setting give it (hex or base64). */
  static forKey(encoded: string): SecretBox {
    return new SecretBox(decodeKey(encoded));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed secret');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

function decodeKey(value: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}
