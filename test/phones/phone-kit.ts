// Text messages in phone tests: the SMS outbox delivered by the real worker to a transport
// that keeps them in memory (delivery to a gateway is tested against a local HTTP server).
import type { Context } from '../../src/context.js';
import { parsePhone, type ParsedPhone } from '../../src/phones/phone-number.js';
import { SmsWorker } from '../../src/sms/sms-worker.js';
import type { OutgoingSms, SmsTransport } from '../../src/sms/sms-transport.js';
import type { Harness } from '../helpers/harness.js';
import { testLogger } from '../helpers/test-databases.js';

/** Delivers what is due and returns the messages sent in this pass. */
export async function deliverSms(h: Harness): Promise<OutgoingSms[]> {
  const sent: OutgoingSms[] = [];
  const transport: SmsTransport = { send: async (sms) => void sent.push(sms) };
  await new SmsWorker(h.services.models, h.services.smsOutbox, transport, h.clock, testLogger()).runOnce();
  return sent;
}

/** The code in the one message just sent to `phone`. */
export async function codeSentTo(h: Harness, phone: string): Promise<string> {
  const sent = (await deliverSms(h)).filter((s) => s.to === phone);
  if (sent.length !== 1) throw new Error(`expected one text message to ${phone}, got ${sent.length}`);
  return /\b(\d{6})\b/.exec(sent[0]!.body)![1]!;
}

export function phone(text: string): ParsedPhone {
  const parsed = parsePhone('', text);
  if (!parsed) throw new Error(`not a phone number: ${text}`);
  return parsed;
}

/** A context from a given client address (the per-address limit counts by it). */
export function fromAddress(ctx: Context, ip: string): Context {
  return { ...ctx, ip };
}

/** A wrong code that is surely not `code`. */
export function wrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}
