// The HTTP load generator of `npm run bench:oidc`. It runs in its own process (started by
// oidc-bench.ts with an IPC channel) so its HTTP client never shares an event loop with the
// servers being measured, and every measurement goes through this same client. It takes one
// job at a time and answers with how many operations completed in how long.
import { createHash, randomBytes } from 'node:crypto';
import { UserAgent } from '../helpers/user-agent.js';
import { httpTransport } from './keep-alive-transport.js';

export type LoadJob =
  | { kind: 'token'; url: string; authorization: string; body: string; concurrency: number; seconds: number }
  | {
      kind: 'signin';
      baseUrl: string;
      clientId: string;
      authorization: string;
      redirectUri: string;
      logins: string[];
      password: string;
      concurrency: number;
      seconds: number;
    };

export interface LoadResult {
  ops: number;
  ms: number;
  /** CPU time this load process spent (user + system), to tell client cost from server cost. */
  cpuMs: number;
  errors: string[];
}

/** `concurrency` lanes repeat `once` until the time is up; the first errors are kept. */
async function lanes(concurrency: number, seconds: number, once: (lane: number) => Promise<void>): Promise<LoadResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let ops = 0;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (performance.now() < deadline && errors.length < 5) {
        try {
          await once(lane);
          ops++;
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { ops, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, errors };
}


async function postForm(url: string, authorization: string, body: string): Promise<Record<string, unknown>> {
  const res = await httpTransport({ method: 'POST', url: new URL(url), headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = JSON.parse(res.body) as Record<string, unknown>;
  if (res.status !== 200 || typeof json.access_token !== 'string') throw new Error(`token endpoint answered ${res.status}: ${res.body.slice(0, 300)}`);
  return json;
}

/** One full password sign-in: authorization request, sign-in form, code, token exchange. */
async function signIn(job: Extract<LoadJob, { kind: 'signin' }>, login: string): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL('/oidc/auth', job.baseUrl);
  auth.search = new URLSearchParams({
    client_id: job.clientId,
    redirect_uri: job.redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(16).toString('base64url'),
  }).toString();
  const ua = new UserAgent(job.baseUrl, { transport: httpTransport });
  const form = await ua.get(auth.toString());
  if (!form.body.includes('/login')) throw new Error(`no sign-in form (${form.status}): ${form.body.slice(0, 200)}`);
  const done = await ua.submit(form, '/login', { login, password: job.password });
  const code = done.location?.startsWith(job.redirectUri) ? new URL(done.location).searchParams.get('code') : null;
  if (!code) throw new Error(`sign-in did not redirect with a code (${done.status}): ${done.body.slice(0, 200)}`);
  const tokens = await postForm(
    new URL('/oidc/token', job.baseUrl).toString(),
    job.authorization,
    new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: job.redirectUri, code_verifier: verifier }).toString(),
  );
  if (typeof tokens.id_token !== 'string') throw new Error('no ID token');
}

function run(job: LoadJob): Promise<LoadResult> {
  if (job.kind === 'token') return lanes(job.concurrency, job.seconds, () => postForm(job.url, job.authorization, job.body).then(() => undefined));
  return lanes(job.concurrency, job.seconds, (lane) => signIn(job, job.logins[lane % job.logins.length]!));
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result),
    (err: Error) => process.send!({ ops: 0, ms: 0, cpuMs: 0, errors: [err.message] } satisfies LoadResult),
  );
});
process.on('disconnect', () => process.exit(0));
