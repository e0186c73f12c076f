// Builds the shell state every admin page renders with, and a guard that checks a
// permission before a route runs (authorize is still the one check: it throws Forbidden,
// which the error handler turns into a 403 page).
import type { NextFunction, Request, Response } from 'express';
import type { Services } from '../../services.js';
import { authorize } from '../../roles/authorize.js';
import type { ShellState } from './admin-layout.js';

export async function shellState(services: Services, req: Request, res: Response, current: string): Promise<ShellState> {
  const [pendingInvitations, soleUserManager, organizationName, timeZone] = await Promise.all([
    services.invitations.pendingCount(),
    services.roles.soleUserManager(),
    // Shown, not enforced: a value read a moment ago serves every page of a busy console.
    services.settings.recent('organizationName'),
    services.settings.recent('timeZone'),
  ]);
  return { user: req.user!, actor: req.actor!, csrfToken: res.locals.csrfToken, pendingInvitations, soleUserManager, current, organizationName, timeZone };
}

export function permit(permission: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    authorize(req.actor!, permission);
    next();
  };
}
