// A short-lived, signed, HttpOnly cookie naming an account that has just proved itself on
// one of our own pages (an accepted invitation). The next sign-in interaction in this
// browser consumes it instead of asking for the password again, so the new account lands
// signed in at Gatehouse with a real provider session.
import type { Request, Response } from 'express';
import { addMs, MINUTE_MS } from '../../clock.js';
import type { Services } from '../../services.js';
import { readCookie } from '../cookies.js';
import { signValue, verifyValue } from './signed-cookie.js';

const COOKIE = 'gh_login_ticket';
const TTL_MS = 2 * MINUTE_MS;

export async function issueLoginTicket(req: Request, res: Response, services: Services, accountId: string): Promise<void> {
  const keys = await services.cookieKeys();
  res.cookie(COOKIE, signValue({ accountId }, keys, addMs(services.clock.now(), TTL_MS)), { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/interaction', maxAge: TTL_MS });
}

export async function takeLoginTicket(req: Request, res: Response, services: Services): Promise<string | null> {
  const value = readCookie(req, COOKIE);
  if (!value) return null;
  res.clearCookie(COOKIE, { path: '/interaction' });
  const ticket = verifyValue<{ accountId: string }>(value, await services.cookieKeys(), services.clock.now());
  if (!ticket) return null;
  const user = await services.users.get(ticket.accountId).catch(() => null);
  return user?.status === 'active' ? user.id : null;
}

/** After an invitation is accepted: sign the new account in and land on the account page, welcomed. */
export const WELCOME_PAGE = '/account?done=welcome';

export function signInAfterAccept(services: Services) {
  return async (req: Request, res: Response, user: { id: string }) => {
    await issueLoginTicket(req, res, services, user.id);
    res.redirect(303, `/auth/login?returnTo=${encodeURIComponent(WELCOME_PAGE)}`);
  };
}
