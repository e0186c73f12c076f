// CSRF protection for every form: a double-submit token. A random value lives in a
// SameSite=Lax, HttpOnly cookie and must come back in the form's `_csrf` field; another
// site can neither read the cookie nor make the browser send a matching field.
import type { NextFunction, Request, Response } from 'express';
import { newToken, safeEqual } from '../ids.js';
import { readCookie } from './cookies.js';
import { DomainError } from '../errors.js';

const COOKIE = 'gh_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-serve-static-core' {
  interface Locals {
    csrfToken: string;
  }
}

export class CsrfError extends DomainError {
  constructor() {
    super('csrf_failed', 'This form has expired or was sent from another site. Go back, reload the page and try again.', 403);
  }
}

export function csrfProtection() {
  return (req: Request, res: Response, next: NextFunction) => {
    let token = readCookie(req, COOKIE);
    if (!token || token.length < 32) {
      token = newToken();
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    }
    res.locals.csrfToken = token;
    if (SAFE_METHODS.has(req.method)) return next();
    const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : req.get('x-csrf-token');
    if (!sent || !safeEqual(sent, token)) return next(new CsrfError());
    next();
  };
}
