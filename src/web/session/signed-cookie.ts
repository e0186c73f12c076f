// Small HMAC-signed cookie values (the sign-in state: PKCE verifier, state, nonce).
// The first cookie key signs; every key verifies, so keys can rotate.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../ids.js';

export function signValue(value: object, keys: readonly string[], expiresAt: Date): string {
  const body = Buffer.from(JSON.stringify({ v: value, exp: expiresAt.getTime() })).toString('base64url');
  return `${body}.${createHmac('sha256', keys[0]!).update(body).digest('base64url')}`;
}

export function verifyValue<T>(signed: string | undefined, keys: readonly string[], now: Date): T | null {
  if (!signed) return null;
  const [body, mac] = signed.split('.');
  if (!body || !mac) return null;
  if (!keys.some((k) => safeEqual(createHmac('sha256', k).update(body).digest('base64url'), mac))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { v: T; exp: number };
    return parsed.exp > now.getTime() ? parsed.v : null;
  } catch {
    return null;
  }
}
