// The benchmarks' HTTP client: node:http on kept-alive connections. It sends the same
// requests as fetch at about half the client CPU (bench:oidc: 3.5 → 1.7 ms per sign-in), which on a small machine would
// otherwise be taken from the server being measured (in bench:scim, from its event loop).
import http from 'node:http';
import type { Transport } from '../helpers/user-agent.js';

const agent = new http.Agent({ keepAlive: true });
export const httpTransport: Transport = ({ method, url, headers, body }) =>
  new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body).toString() } : headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const setCookie = res.headers['set-cookie'];
        resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, setCookies: setCookie ?? [], body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

