// Express's bounded `trust proxy` (a hop count or the proxies' addresses) is the one
// decision about X-Forwarded-*. The OIDC provider runs on Koa, whose `proxy` setting trusts
// those headers all or nothing (and takes the leftmost, client-written X-Forwarded-For
// entry as the address), and it reads the raw request on its own endpoints and in the
// interaction pages. So every request's forwarded headers are replaced, once, by what
// Express concluded from them: both then see the same client address, protocol and host.
import type { NextFunction, Request, Response } from 'express';

export function forwardedAsDecided() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.app.get('trust proxy')) {
      const { ip, protocol, host } = req;
      req.headers['x-forwarded-for'] = ip ?? '';
      req.headers['x-forwarded-proto'] = protocol;
      if (host) req.headers['x-forwarded-host'] = host;
    }
    next();
  };
}
