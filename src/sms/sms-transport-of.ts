// The transport SMS_URL names (config/sms-gateway.ts), or files under SMS_DIR without one.
import type { Logger } from '../logger.js';
import { createSmsFileTransport, createTwilioTransport, createWebhookTransport, type SmsTransport } from './sms-transport.js';

export interface SmsSettings {
  gateway: { kind: 'twilio'; baseUrl: string; accountSid: string; authToken: string } | { kind: 'webhook'; url: string } | null;
  from: string;
  webhookToken: string | null;
  dir: string;
}

export function smsTransportOf(sms: SmsSettings, logger: Logger): SmsTransport {
  if (!sms.gateway) return createSmsFileTransport(sms.dir, logger);
  return sms.gateway.kind === 'twilio' ? createTwilioTransport(sms.gateway, sms.from) : createWebhookTransport(sms.gateway.url, sms.from, sms.webhookToken);
}
