// Binding the HTTP port, with the failure said in an operator's words: a taken port is the
// usual reason a second start fails, and the raw EADDRINUSE does not say what to do.
import type http from 'node:http';

export class ListenError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'ListenError';
  }
}

function explain(err: NodeJS.ErrnoException, where: string): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is already in use (another Gatehouse or another program holds it). Stop that process or choose another PORT.`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges). Choose a PORT of 1024 or more.`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: this machine has no such address. Check HOST.`;
    default:
      return `cannot listen on ${where}: ${err.message}`;
  }
}

export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(new ListenError(explain(err, `${host}:${port}`), err.code));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
