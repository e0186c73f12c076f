// Idempotency-Key on the management API's creations (draft-ietf-httpapi-idempotency-key-header):
// the first request with a key claims it (per application) with the fingerprint of its
// method, path and body; when it succeeds its answer is kept, sealed, for KEY_TTL_MS. A
// retry with the same key and the same request gets that answer without anything being
// done again; the same key on another request is refused (422); a retry while the first
// still runs is refused (409). A failed request releases its key, so a retry runs afresh.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { uniqueViolation } from '../db/sql.js';
import type { ApiAnswer } from './operation.js';

export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim without an answer this old belongs to a process that stopped mid-request. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;
const CLEANUP_EVERY_MS = 60 * 1000;

export type Claim = { state: 'claimed' } | { state: 'replay'; answer: ApiAnswer } | { state: 'reused' } | { state: 'in_progress' };

/** The key a header carries (a bare token or an RFC 8941 string), or null when it is not one. */
export function parseIdempotencyKey(header: string): string | null {
  const quoted = /^"(.*)"$/.exec(header.trim());
  const key = quoted ? quoted[1]! : header.trim();
  return /^[\x21-\x7e]{1,255}$/.test(key) ? key : null;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${JSON.stringify(canonical(body ?? null))}`).digest('hex');
}

interface KeyRow {
  fingerprint: string;
  answer: string | null;
  created_at: number | string;
  expires_at: number | string;
}

export class IdempotencyKeys {
  private lastCleanup = 0;

  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
    private readonly secrets: () => Promise<SecretBox>,
  ) {}

  async claim(clientId: string, key: string, fingerprint: string): Promise<Claim> {
    const { sql } = this.models;
    await this.cleanupNow();
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now().getTime();
      try {
        await sql.write('INSERT INTO api_idempotency_keys (client_id, idempotency_key, fingerprint, answer, created_at, expires_at) VALUES (?, ?, ?, NULL, ?, ?)', [clientId, key, fingerprint, now, now + KEY_TTL_MS]);
        return { state: 'claimed' };
      } catch (err) {
        if (uniqueViolation(err) === null) throw err;
      }
      const [row] = await sql.select<KeyRow>('SELECT fingerprint, answer, created_at, expires_at FROM api_idempotency_keys WHERE client_id = ? AND idempotency_key = ?', [clientId, key]);
      if (!row) continue; // released or expired meanwhile: claim again
      if (Number(row.expires_at) <= now) {
        await sql.write('DELETE FROM api_idempotency_keys WHERE client_id = ? AND idempotency_key = ? AND expires_at = ?', [clientId, key, Number(row.expires_at)]);
        continue;
      }
      if (row.fingerprint !== fingerprint) return { state: 'reused' };
      if (row.answer !== null) return { state: 'replay', answer: JSON.parse((await this.secrets()).open(row.answer)) as ApiAnswer };
      if (now - Number(row.created_at) < ABANDONED_AFTER_MS) return { state: 'in_progress' };
      const taken = await sql.write('UPDATE api_idempotency_keys SET created_at = ? WHERE client_id = ? AND idempotency_key = ? AND created_at = ? AND answer IS NULL', [now, clientId, key, Number(row.created_at)]);
      if (taken.affectedRows === 1) return { state: 'claimed' };
    }
    return { state: 'in_progress' };
  }

  /** Keeps the answer of a claimed key for its retries. */
  async finish(clientId: string, key: string, answer: ApiAnswer): Promise<void> {
    const sealed = (await this.secrets()).seal(JSON.stringify({ status: answer.status, body: answer.body, headers: answer.headers }));
    await this.models.sql.write('UPDATE api_idempotency_keys SET answer = ? WHERE client_id = ? AND idempotency_key = ?', [sealed, clientId, key]);
  }

  /** Frees a claimed key whose request failed. */
  async release(clientId: string, key: string): Promise<void> {
    await this.models.sql.write('DELETE FROM api_idempotency_keys WHERE client_id = ? AND idempotency_key = ? AND answer IS NULL', [clientId, key]);
  }

  /** Removes expired keys (also done, at most once a minute, as keys are claimed). */
  async deleteExpired(): Promise<number> {
    this.lastCleanup = this.clock.now().getTime();
    return (await this.models.sql.write('DELETE FROM api_idempotency_keys WHERE expires_at <= ?', [this.lastCleanup])).affectedRows;
  }

  private async cleanupNow(): Promise<void> {
    if (this.clock.now().getTime() - this.lastCleanup >= CLEANUP_EVERY_MS) await this.deleteExpired();
  }
}
