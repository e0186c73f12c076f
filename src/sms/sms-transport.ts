// Where text messages leave the process: a gateway when SMS_URL is set (a Twilio-compatible
// Messages API or a generic JSON webhook), otherwise .txt files under SMS_DIR with the
// message logged, so a fresh install can finish a phone verification. Credentials go only
// into the request's headers: never into a log line or an error message.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';

export interface OutgoingSms {
  id: number;
  to: string;
  body: string;
}

export interface SmsTransport {
  send(sms: OutgoingSms): Promise<void>;
}

const TIMEOUT_MS = 10_000;

export function createSmsFileTransport(dir: string, logger: Logger): SmsTransport {
  return {
    async send(sms) {
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${String(sms.id).padStart(6, '0')}-${Date.now()}.txt`);
      await fs.writeFile(file, `To: ${sms.to}\n\n${sms.body}\n`);
      // Without a gateway the log is how an operator reads the code to the person.
      logger.info({ to: sms.to, file, text: sms.body }, 'text message written to file (no SMS_URL configured)');
    },
  };
}

/** The gateway's answer, shortened, for the outbox's last_error (its body never holds our secrets). */
async function refusal(res: Response): Promise<Error> {
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
  return new Error(`SMS gateway answered ${res.status}${text ? `: ${text}` : ''}`);
}

async function post(url: string, init: RequestInit): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, method: 'POST', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new Error(`SMS gateway unreachable${cause ? ` (${cause})` : ''}: ${(err as Error).name === 'TimeoutError' ? 'no answer in time' : (err as Error).message}`);
  }
  if (!res.ok) throw await refusal(res);
  await res.arrayBuffer().catch(() => undefined);
}

/** Twilio's Messages resource: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, basic auth. */
export function createTwilioTransport(g: { baseUrl: string; accountSid: string; authToken: string }, from: string): SmsTransport {
  const url = `${g.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(g.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${g.accountSid}:${g.authToken}`).toString('base64')}`;
  return {
    async send(sms) {
      await post(url, {
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ To: sms.to, From: from, Body: sms.body }).toString(),
      });
    },
  };
}

/**
 * A generic JSON webhook: {"id", "to", "from", "body"}. The id is stable across retries (also
 * sent as Idempotency-Key), so a gateway that saw a message whose answer was lost can tell.
 */
export function createWebhookTransport(url: string, from: string, token: string | null): SmsTransport {
  return {
    async send(sms) {
      const id = `gatehouse-sms-${sms.id}`;
      await post(url, {
        headers: { 'content-type': 'application/json', 'idempotency-key': id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ id, to: sms.to, from, body: sms.body }),
      });
    },
  };
}
